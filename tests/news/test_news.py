"""What happened to you (issue 21.3): a sentence for every kind of news, the news page (own
news only, unread in words, read once seen, a fixed number of queries), the news the
existing flows tell, and news in "my data" and the erasure."""

import re

import pytest

from models.accounts.tables import Account
from models.actor import Actor
from models.budget import claims
from models.budget.tables import SubBudget
from models.clock import today
from models.db import database
from models.meetings.between import NEWS_OUTCOME
from models.meetings.project_tables import Signal
from models.meetings.rota import answer_swap, ask_swap
from models.meetings.signals import add_signal, answer_signal
from models.news import push
from models.news.tables import NewsItem, PushSubscription
from models.news.tell import tell
from models.person import Person
from models.records.privacy import erase_person, personal_data
from models.rules import consensus
from tests.meetings.conftest import next_planned, person_id, project_id
from webapp.access import viewer_of
from webapp.i18n import current_language
from webapp.news.words import KINDS, sentence

WHEN = "2026-07-01T17:30:00"  # 19.30 in Amsterdam
EXAMPLES = [
    ("swap_accepted", {"project": "Woordwerk", "when": WHEN}),
    ("swap_declined", {"project": "Woordwerk", "when": WHEN}),
    ("claim_approved", {"amount_cents": 1250}),
    ("claim_paid", {"amount_cents": 1250}),
    ("claim_rejected", {"amount_cents": 1250}),
    ("signal_answered", {"project": "Woordwerk"}),
    ("meeting_moved", {"project": "Woordwerk", "from": WHEN, "to": "2026-07-08T17:30:00"}),
    ("meeting_cancelled", {"project": "Woordwerk", "when": WHEN, "reason": "Zomer"}),
    ("meeting_cancelled", {"project": "Woordwerk", "when": WHEN, "reason": ""}),
    ("meeting_added", {"project": "Woordwerk", "when": "2026-07-15"}),
    ("new_turn", {"project": "Woordwerk", "role": "chair", "when": WHEN}),
    ("new_turn", {"project": "Woordwerk", "role": "minutes", "when": WHEN}),
    *[
        ("proposal_closed", {"project": "Woordwerk", "outcome": outcome})
        for outcome in ("consent", "blocked", "more_time", "no_quorum", "no_consensus")
    ],
    ("proposal_reminder", {"project": "Woordwerk", "closes_at": WHEN, "hours": 24}),
    ("proposal_reminder", {"project": "Woordwerk", "closes_at": WHEN, "hours": 2}),
]


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_kind_has_a_sentence_of_its_own_in_both_languages(language):
    token = current_language.set(language)
    try:
        fallback = sentence("no_such_kind", {})
        said = [sentence(kind, params) for kind, params in EXAMPLES]
        # Junk in params (a stored line is JSON) never breaks a sentence.
        junk = [sentence(kind, {"when": "gisteren", "amount_cents": "12", "hours": True})
                for kind in KINDS]  # fmt: skip
    finally:
        current_language.reset(token)
    assert {kind for kind, _ in EXAMPLES} == set(KINDS)
    assert len(set(said)) == len(said)
    assert fallback not in said and all(junk)
    for text in said:
        assert "–" not in text, text
    if language == "nl":
        assert "1 juli 2026, 19.30" in said[0] and "€\xa012,50" in said[3]
        assert said[-1].startswith("Een voorstel bij Woordwerk sluit over 2 uur")


@pytest.mark.once
def test_every_outcome_a_proposal_between_meetings_closes_with_has_its_words():
    """A third or more standing aside closes a proposal between meetings as "no_consensus",
    which the news told but had no words for ("is gesloten: –."); review21."""
    results = {
        consensus.between_outcome(kinds, 3)
        for kinds in (["agree"] * 2, ["block"], ["more_time"], [], ["stand_aside"] * 2)
    }
    assert results == {"provisional", "blocked", "more_time", "no_quorum", "no_consensus"}
    for result in results:
        told = {"project": "Woordwerk", "outcome": NEWS_OUTCOME.get(result, result)}
        assert "–" not in sentence("proposal_closed", told), result


def test_the_news_page_shows_ones_own_news_new_in_words_then_read(as_viewer, db):
    anouk = person_id("Anouk B.")
    NewsItem.delete().execute()  # without the demo's own news (seeds/between.py)
    for n, (kind, params) in enumerate(EXAMPLES):
        tell([anouk], kind, f"example:{n}", link="/budget/claims", params=params)
    tell([anouk], "claim_paid", "example:other-site", link="//elders.example", params={})
    member = as_viewer("member")
    page = member.get("/news").text
    assert page.count("<strong>Nieuw:</strong>") == len(EXAMPLES) + 1
    assert "Je vraag om onkosten terug van €\xa012,50 is betaald." in page
    assert 'href="//elders.example"' not in page
    assert 'staat op de startpagina, bij <a href="/">Voor jou</a>.' in page  # a link, not text
    assert "<strong>Nieuw:</strong>" not in member.get("/news").text
    assert NewsItem.select().where(NewsItem.read_at.is_null()).count() == 0
    # Nobody else sees it, not even a coordinator of her project.
    for other in ("coordinator", "other"):
        assert "onkosten terug" not in as_viewer(other).get("/news").text
    # The start page says how many are new; after reading, none.
    tell([anouk], "signal_answered", "example:late", link="/", params={"project": "Woordwerk"})
    assert "1 nieuw bericht" in member.get("/").text


def test_the_news_page_runs_as_many_queries_with_three_lines_as_with_three_pages(
    as_viewer, db, count_queries
):
    anouk = person_id("Anouk B.")
    member = as_viewer("member")
    for n in range(3):
        tell([anouk], "claim_paid", f"few:{n}", params={"amount_cents": n})
    few = count_queries(member, "/news")
    for n in range(45):
        tell([anouk], "claim_paid", f"many:{n}", params={"amount_cents": n})
    many = count_queries(member, "/news")
    older = re.search(r'href="(/news\?after=\d+)[^"]*" rel="next"', member.get("/news").text)
    assert many == few
    assert count_queries(member, older.group(1)) == few


def _actor(username: str):
    return viewer_of(Account.with_person(Person.get_by_id(person_id(username))))


def test_the_existing_flows_tell_the_person_what_happened(db):
    anouk, dewi = person_id("Anouk B."), person_id("Dewi")
    treasurer = viewer_of(Account.get(Account.username == "penningmeester"))
    coordinator = viewer_of(Account.get(Account.username == "coordinator"))
    NewsItem.delete().execute()  # without the demo's own news (seeds/between.py)
    # A swap: accepted, then (the turn is Dewi's now) declined.
    meeting = next_planned()
    chair = meeting.chair_id
    taker = next(p for p in (anouk, dewi) if p not in (chair, meeting.minute_taker_id))
    with database.atomic():
        swap = ask_swap(meeting, "chair", taker, Actor(person_id=chair))
        answer_swap(swap, True, Actor(person_id=taker))
    meeting = next_planned()
    other = next(p for p in (anouk, dewi, chair) if p not in (taker, meeting.minute_taker_id))
    with database.atomic():
        declined = ask_swap(meeting, "chair", other, Actor(person_id=taker))
        answer_swap(declined, False, Actor(person_id=other))
    # Claims: approved and paid; another rejected.
    sub = SubBudget.select().order_by(SubBudget.id).first()
    made = [
        claims.submit(
            claimant_id=anouk, sub_budget_id=sub.id, kind="printing", km=None,
            amount_cents=cents, spent_on=today(), description="Papier voor de vergadering",
            receipt=None, account_id=None,
        )
        for cents in (700, 900)
    ]  # fmt: skip
    assert claims.approve(made[0].id, treasurer) and claims.pay(made[0].id, treasurer)
    assert claims.reject(made[1].id, "Geen bon", treasurer)
    # A signal answered twice is told once; one without a known author is told to nobody.
    signal = add_signal(project_id(), "idea", "Een nieuwe koffiemachine", Actor(person_id=anouk))
    answer_signal(signal, "busy", "We kijken ernaar", actor=coordinator)
    answer_signal(Signal.get_by_id(signal.id), "done", "Besteld", actor=coordinator)
    nobody = add_signal(project_id(), "problem", "Zonder naam", None)
    answer_signal(nobody, "done", "Opgelost", actor=coordinator)

    told = {
        (n.person_id, n.kind, n.key, n.link)
        for n in NewsItem.select().where(NewsItem.key.not_in([]))
    }
    assert told == {
        (chair, "swap_accepted", f"swap:{swap.id}:accepted", f"/meetings/{swap.meeting_id}"),
        (taker, "swap_declined", f"swap:{declined.id}:declined", f"/meetings/{meeting.id}"),
        (anouk, "claim_approved", f"claim:{made[0].id}:approved", f"/budget/claims/{made[0].id}"),
        (anouk, "claim_paid", f"claim:{made[0].id}:paid", f"/budget/claims/{made[0].id}"),
        (anouk, "claim_rejected", f"claim:{made[1].id}:rejected", f"/budget/claims/{made[1].id}"),
        (anouk, "signal_answered", f"signal:{signal.id}:answered",
         f"/projects/{project_id()}/signals"),
    }  # fmt: skip
    params = " ".join(n.params for n in NewsItem.select())
    # Only what the sentence shows: no description, no reason, no text, no name.
    for secret in ("Papier", "Geen bon", "koffiemachine", "Besteld", "Anouk", "Dewi"):
        assert secret not in params


def test_news_and_phones_are_in_my_data_and_go_with_the_person(as_viewer, db):
    anouk = person_id("Anouk B.")
    NewsItem.delete().execute()  # without the demo's own news (seeds/between.py)
    tell([anouk], "claim_paid", "claim:1:paid", link="/budget/claims/1", params={"amount_cents": 5})
    page = as_viewer("member").get("/account/my-data").text
    assert "Je vraag om onkosten terug van €\xa00,05 is betaald." in page
    PushSubscription.create(
        person=anouk, endpoint="https://fcm.googleapis.com/x", p256dh="k", auth="a"
    )
    data = personal_data(anouk)
    assert [n["kind"] for n in data["news"]] == ["claim_paid"]
    assert data["news"][0]["params"] == {"amount_cents": 5}
    assert len(data["push_phones"]) == 1 and "endpoint" not in data["push_phones"][0]
    with database.atomic():
        erase_person(Person.get_by_id(anouk))
    assert not NewsItem.select().where(NewsItem.person == anouk).exists()
    assert not PushSubscription.select().where(PushSubscription.person == anouk).exists()
    assert push.phones_of(anouk) == []
