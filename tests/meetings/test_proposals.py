"""Proposals and stances: every outcome branch with the quorum and stand-aside edges, stance
changes before closing, the history kept, and the flow through the pages."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from starlette.testclient import TestClient

from models.accounts.audit import AuditEntry
from models.actor import Actor
from models.db import database
from models.meetings import AgendaItem, Meeting, Proposal, Stance
from models.meetings.errors import Locked, NotAllowed
from models.meetings.proposals import close_proposal, current_stances, take_stance
from models.people import Membership
from tests.conftest import csrf_of, post
from tests.meetings.conftest import next_planned, person_id, project_id

# Uitgeverij Woordwerk has 9 active members (Fatima is paused): the quorum is 5.
ACTIVE = [
    "Anouk B.",
    "Bram",
    "Carla V.",
    "Dewi",
    "Erik de M.",
    "Gert",
    "Lina",
    "Kim (coördinatie)",
    "Yara",
]


def new_proposal() -> Proposal:
    meeting = next_planned()
    item = AgendaItem.select().where(AgendaItem.meeting == meeting.id).first()
    return Proposal.create(project=meeting.project_id, agenda_item=item.id, text="Test")


def close_with(kinds: list[str]) -> str:
    with database.atomic():
        proposal = new_proposal()
        for name, kind in zip(ACTIVE, kinds, strict=False):
            reason = "reden" if kind in ("concern", "block") else ""
            take_stance(proposal, person_id(name), kind, reason, None)
        return close_proposal(proposal, "Uitkomst")


def test_the_demo_project_has_nine_active_members(db):
    count = (
        Membership.select()
        .where((Membership.project == project_id()) & (Membership.status == "active"))
        .count()
    )
    assert count == len(ACTIVE) == 9


@pytest.mark.parametrize(
    ("kinds", "expected"),
    [
        (["agree"] * 5, "consensus"),  # exactly the quorum
        (["agree"] * 4, "provisional"),  # one short of the quorum
        (["agree"] * 4 + ["more_time"], "provisional"),  # more time is not a stance
        (["block"], "blocked"),  # a block stands even below the quorum
        (["agree"] * 8 + ["block"], "blocked"),
        (["agree"] * 3 + ["stand_aside"] * 2, "no_consensus"),  # 2 of 5: 6 >= 5
        (["agree"] * 4 + ["stand_aside"] * 2, "no_consensus"),  # exactly a third
        (["agree"] * 5 + ["stand_aside"] * 2, "consensus"),  # 2 of 7: less than a third
        (["concern"] * 5, "consensus"),  # concerns are agreement
        (["agree"] * 2 + ["concern"] * 2 + ["stand_aside"], "consensus"),
    ],
)
def test_every_outcome_branch(db, kinds, expected):
    assert close_with(kinds) == expected


def test_changing_a_stance_before_closing_counts_only_the_latest_and_keeps_history(db):
    with database.atomic():
        proposal = new_proposal()
        for name in ACTIVE[:5]:
            take_stance(proposal, person_id(name), "agree", "", None)
        take_stance(proposal, person_id("Bram"), "block", "Te duur", None)
        take_stance(proposal, person_id("Bram"), "concern", "Toch wel goed", None)
        result = close_proposal(proposal, "Besloten")
    assert result == "consensus"
    proposal = Proposal.get_by_id(proposal.id)
    assert (proposal.agree, proposal.concern, proposal.block) == (4, 1, 0)
    kinds = [
        s.kind
        for s in Stance.select()
        .where((Stance.proposal == proposal.id) & (Stance.person == person_id("Bram")))
        .order_by(Stance.id)
    ]
    assert kinds == ["agree", "block", "concern"]


def test_stances_cannot_change_after_closing(db):
    with database.atomic():
        proposal = new_proposal()
        close_proposal(proposal, "x")
    with pytest.raises(Locked):
        take_stance(Proposal.get_by_id(proposal.id), person_id("Bram"), "agree", "", None)


def test_only_who_runs_the_meeting_records_a_stance_for_someone_else(db):
    """take_stance checks in its own transaction whom the actor may record for (the form
    checked it before, but a turn may have moved since): a member who has no part in the
    meeting is refused, for someone else and for a paused member; nothing is stored."""
    from tests.access.meetings import meeting_id

    meeting = Meeting.get_by_id(meeting_id())  # anouk has no part in this meeting
    item = AgendaItem.select().where(AgendaItem.meeting == meeting.id).first()
    proposal = Proposal.create(project=project_id(), agenda_item=item.id, text="Koffie")
    anouk = Actor(account_id=None, person_id=person_id("Anouk B."))
    paused = Membership.get((Membership.project == project_id()) & (Membership.status == "paused"))
    lines = AuditEntry.select().count()
    with pytest.raises(NotAllowed):
        take_stance(proposal, person_id("Bram"), "agree", "", anouk)
    with pytest.raises(NotAllowed):
        take_stance(proposal, paused.person_id, "agree", "", Actor(person_id=paused.person_id))
    assert not Stance.select().where(Stance.proposal == proposal.id).exists()
    assert AuditEntry.select().count() == lines
    minute_taker = Actor(person_id=meeting.minute_taker_id)
    take_stance(proposal, person_id("Bram"), "agree", "", minute_taker)
    stance = Stance.get(Stance.proposal == proposal.id)
    assert (stance.person_id, stance.recorded_by_id) == (person_id("Bram"), meeting.minute_taker_id)


def test_the_whole_flow_through_the_pages(as_viewer, db):
    from tests.access.meetings import meeting_id

    meeting = Meeting.get_by_id(meeting_id())  # anouk has no part in this meeting
    item = AgendaItem.select().where(AgendaItem.meeting == meeting.id).first()
    chair = as_viewer("coordinator")
    response = post(
        chair,
        f"/agenda/{item.id}/proposals",
        {"text": "We kopen een bank."},
        follow_redirects=False,
    )
    assert response.status_code == 303
    url = response.headers["location"]
    proposal_id = int(url.rsplit("/", 1)[1])

    member = as_viewer("member")
    page = member.get(url).text
    assert "I agree" in page or "Ik ben voor" in page
    # A concern needs a reason.
    assert post(member, f"{url}/stance", {"kind": "concern", "reason": ""}).status_code == 400
    assert (
        post(
            member,
            f"{url}/stance",
            {"kind": "concern", "reason": "Past hij?"},
            follow_redirects=False,
        ).status_code
        == 303
    )
    # The minute-taker (here: a coordinator) writes down stances given aloud.
    for name in ("Bram", "Dewi", "Lina", "Yara"):
        response = post(
            chair,
            f"{url}/stance",
            {"kind": "agree", "person": person_id(name)},
            follow_redirects=False,
        )
        assert response.status_code == 303
    # A member cannot record for someone else.
    assert (
        post(
            member, f"{url}/stance", {"kind": "block", "reason": "x", "person": person_id("Bram")}
        ).status_code
        == 400
    )
    tally = chair.get(f"{url}/tally", headers={"HX-Request": "true"}).text
    assert "<html" not in tally
    assert "Gert" in tally  # not responded yet, listed plainly
    # Close: a statement is needed.
    assert post(chair, f"{url}/close", {"statement": ""}).status_code == 400
    response = post(
        chair, f"{url}/close", {"statement": "We kopen de bank."}, follow_redirects=False
    )
    assert response.status_code == 303
    proposal = Proposal.get_by_id(proposal_id)
    assert (proposal.outcome, proposal.agree, proposal.concern) == ("consensus", 4, 1)
    # The decision register finds it; the member's stance can no longer change.
    register = member.get(f"/projects/{project_id()}/decisions?q=bank").text
    assert "We kopen de bank." in register
    assert post(member, f"{url}/stance", {"kind": "agree"}).status_code == 409


def test_blocked_offers_next_steps_and_a_new_version_keeps_history(as_viewer, db):
    with database.atomic():
        proposal = new_proposal()
        take_stance(proposal, person_id("Bram"), "block", "Niet zonder overleg", None)
        close_proposal(proposal, "Tegengehouden")
    chair = as_viewer("coordinator")
    page = chair.get(f"/proposals/{proposal.id}").text
    assert "Niet zonder overleg" in page
    response = post(
        chair,
        f"/proposals/{proposal.id}/amend",
        {"text": "Test, na overleg"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    new = Proposal.get_by_id(int(response.headers["location"].rsplit("/", 1)[1]))
    assert (new.version, new.previous_id, new.state) == (2, proposal.id, "open")
    assert Proposal.get_by_id(proposal.id).outcome == "blocked"


def test_stances_are_shown_with_the_dutch_words_and_no_pressure(as_viewer, db):
    with database.atomic():
        proposal = new_proposal()
    member = as_viewer("member")
    page = member.get(f"/proposals/{proposal.id}").text
    for words in (
        "Ik ben voor",
        "Ik ben voor, maar heb een zorg",
        "Wat is je zorg?",
        "Ik sta opzij",
        "Ik ben tegen: dit mag niet door",
        "Waarom niet?",
        "Ik heb meer tijd nodig",
    ):
        assert words in page, words
    chair = as_viewer("coordinator").get(f"/proposals/{proposal.id}").text
    assert 'data-hx-trigger="every 5s"' in chair
    assert "Nog geen antwoord van:" in chair
    for pressure in ("nog steeds", "snel", "moet", "te laat"):
        assert pressure not in chair.lower().split("<main")[1], pressure


def test_the_tally_counts_more_time_apart_and_lists_who_has_not_answered(as_viewer, db):
    with database.atomic():
        proposal = new_proposal()
        take_stance(proposal, person_id("Bram"), "more_time", "", None)
        take_stance(proposal, person_id("Dewi"), "stand_aside", "", None)
    tally = (
        as_viewer("coordinator")
        .get(f"/proposals/{proposal.id}/tally", headers={"HX-Request": "true"})
        .text
    )
    assert "Vroeg om meer tijd: <strong>1</strong>" in tally
    assert "Ik sta opzij: <strong>1</strong>" in tally
    waiting = tally.split("Nog geen antwoord van:", 1)[1]
    assert "Gert" in waiting and "Dewi" not in waiting
    # Without htmx the same address gives the whole page.
    assert "<html" in as_viewer("coordinator").get(f"/proposals/{proposal.id}/tally").text


CLOSED = "Dit voorstel is gesloten. Antwoorden veranderen niet meer."


def test_a_stance_after_the_close_is_refused_with_a_sentence_and_not_stored(as_viewer, db):
    with database.atomic():
        proposal = new_proposal()
        take_stance(proposal, person_id("Bram"), "agree", "", None)
    chair, member = as_viewer("coordinator"), as_viewer("member")
    url = f"/proposals/{proposal.id}"
    assert post(chair, f"{url}/close", {"statement": "Klaar."}).status_code == 200
    response = post(member, f"{url}/stance", {"kind": "agree"})
    assert response.status_code == 409 and CLOSED in response.text
    response = post(chair, f"{url}/stance", {"kind": "block", "reason": "x", "person": 0})
    assert response.status_code == 409 and CLOSED in response.text
    assert Stance.select().where(Stance.proposal == proposal.id).count() == 1
    again = post(chair, f"{url}/close", {"statement": "Nog eens."})
    assert again.status_code == 409 and "Dit voorstel is al gesloten." in again.text
    assert Proposal.get_by_id(proposal.id).statement == "Klaar."


def _at_once(app, cookies, token: str, posts: list[tuple[str, dict]]) -> list:
    """POST everything at the same moment, each from its own client on the same session."""
    barrier = threading.Barrier(len(posts))

    def send(item):
        path, data = item
        with TestClient(app, cookies=cookies) as client:
            barrier.wait(timeout=30)
            response = client.post(path, data={"csrf_token": token, **data})
            return path, response.status_code, response.text

    with ThreadPoolExecutor(len(posts)) as pool:
        return list(pool.map(send, posts))


def test_closing_wins_over_stances_posted_at_the_same_moment(app, as_viewer, db):
    """The minute-taker records stances said aloud while the chair closes: every stance is
    either counted in the outcome or refused with a sentence, never stored after the close."""
    chair = as_viewer("coordinator")
    token = csrf_of(chair, "/")
    for _round in range(3):
        with database.atomic():
            proposal = new_proposal()
        url = f"/proposals/{proposal.id}"
        posts = [
            (f"{url}/stance", {"kind": "agree", "person": person_id(name)})
            for name in ACTIVE
            if name != "Kim (coördinatie)"
        ]
        posts.insert(len(posts) // 2, (f"{url}/close", {"statement": "Gesloten."}))
        results = _at_once(app, chair.cookies, token, posts)

        assert all(status in (200, 303, 409) for _path, status, _text in results), results
        assert [s for path, s, _t in results if path.endswith("/close")] == [200]
        refused = [text for path, s, text in results if path.endswith("/stance") and s == 409]
        assert all(CLOSED in text for text in refused)
        accepted = sum(1 for path, s, _t in results if path.endswith("/stance") and s == 200)
        assert accepted + len(refused) == len(posts) - 1
        closed = Proposal.get_by_id(proposal.id)
        current = current_stances([proposal.id]).get(proposal.id, {})
        stored = Stance.select().where(Stance.proposal == proposal.id).count()
        assert closed.agree == len(current) == stored == accepted


def test_closing_while_someone_asked_for_more_time_asks_the_chair_first(as_viewer, db):
    """The walk (issue 22): the chair closed while Bram asked for more time, without being
    asked whether to wait. The first click asks (naming Bram, as the chair's tally does); only
    the second, explicit step closes, with the statement written the first time."""
    with database.atomic():
        proposal = new_proposal()
        take_stance(proposal, person_id("Bram"), "more_time", "", None)
        take_stance(proposal, person_id("Dewi"), "agree", "", None)
    chair = as_viewer("coordinator")
    url = f"/proposals/{proposal.id}"
    first = post(chair, f"{url}/close", {"statement": "We wachten niet."})
    assert first.status_code == 200
    assert "Bram vroeg om meer tijd. Toch sluiten?" in first.text
    assert 'name="despite_more_time" value="y"' in first.text
    assert 'value="We wachten niet."' in first.text
    assert Proposal.get_by_id(proposal.id).state == "open"
    assert not AuditEntry.select().where(AuditEntry.action == "decision.close").exists()
    second = post(
        chair,
        f"{url}/close",
        {"statement": "We wachten niet.", "despite_more_time": "y"},
        follow_redirects=False,
    )
    assert second.status_code == 303
    closed = Proposal.get_by_id(proposal.id)
    assert (closed.state, closed.statement) == ("closed", "We wachten niet.")
    # Without a wish to wait, one click closes, as before.
    with database.atomic():
        other = new_proposal()
        take_stance(other, person_id("Dewi"), "agree", "", None)
    response = post(
        chair, f"/proposals/{other.id}/close", {"statement": "Ok"}, follow_redirects=False
    )
    assert response.status_code == 303


def test_a_closed_proposal_shows_its_answers_not_answers_so_far(as_viewer, db):
    with database.atomic():
        proposal = new_proposal()
        take_stance(proposal, person_id("Bram"), "agree", "", None)
    chair = as_viewer("coordinator")
    assert "Antwoorden tot nu toe" in chair.get(f"/proposals/{proposal.id}").text
    with database.atomic():
        close_proposal(proposal, "Klaar")
    page = chair.get(f"/proposals/{proposal.id}").text
    assert "Antwoorden tot nu toe" not in page
    assert '<h2 id="tally-heading">Antwoorden</h2>' in page
