"""Words on the meeting pages (issue 12 point 9): the decision register's tallies as a sentence,
the stance icons as inline SVG beside their words, plurals, planning that continues the
series' pattern, and a start weeks before the meeting's date that asks first."""

import datetime as dt
import re
from types import SimpleNamespace

import pytest

from models import clock
from models.meetings import AgendaItem, Meeting, Proposal
from models.meetings.planning import EARLY_START_DAYS, default_start, plan_meetings, starts_early
from models.meetings.proposals import take_stance
from models.organisation import Project
from models.rules.series import nth_weekday, week_of_month
from tests.conftest import post
from tests.meetings.conftest import next_planned, person_id, project_id
from webapp.i18n import current_language, load_catalogs
from webapp.meetings.words import tally_sentence
from webapp.templating import env


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def in_language(code: str, make):
    load_catalogs()
    token = current_language.set(code)
    try:
        return make()
    finally:
        current_language.reset(token)


def counts(agree=0, concern=0, stand_aside=0, block=0):
    return SimpleNamespace(agree=agree, concern=concern, stand_aside=stand_aside, block=block)


@pytest.mark.parametrize(
    ("tally", "dutch", "english"),
    [
        (
            counts(5, 1),
            "5 mensen zijn voor, 1 persoon is voor met een zorg en niemand is tegen.",
            "5 people agree, 1 person agrees with a concern and nobody blocks.",
        ),
        (
            counts(1, 0, 2, 1),
            "1 persoon is voor, 2 mensen staan opzij en 1 persoon is tegen.",
            "1 person agrees, 2 people stand aside and 1 person blocks.",
        ),
        (
            counts(0, 2, 1, 2),
            "Niemand is voor, 2 mensen zijn voor met een zorg, 1 persoon staat opzij en "
            "2 mensen zijn tegen.",
            "Nobody agrees, 2 people agree with a concern, 1 person stands aside and "
            "2 people block.",
        ),
        (counts(), "Niemand is voor en niemand is tegen.", "Nobody agrees and nobody blocks."),
    ],
)
def test_a_tally_reads_as_a_sentence_in_dutch_and_english(tally, dutch, english):
    assert in_language("nl", lambda: tally_sentence(tally)) == dutch
    assert in_language("en", lambda: tally_sentence(tally)) == english


def test_the_decision_register_shows_the_tallies_as_sentences(as_viewer, db):
    decisions = list(Proposal.decisions(project_id()))
    assert decisions
    page = text_of(as_viewer("member").get(f"/projects/{project_id()}/decisions").text)
    for p in decisions:
        assert in_language("nl", lambda p=p: tally_sentence(p)) in page
    assert not re.search(r"Ik ben voor \d", page)
    proposal = decisions[0]
    closed = text_of(as_viewer("member").get(f"/proposals/{proposal.id}").text)
    assert in_language("nl", lambda: tally_sentence(proposal)) in closed


def _open_proposal() -> Proposal:
    meeting = next_planned()
    item = AgendaItem.select().where(AgendaItem.meeting == meeting.id).first()
    return Proposal.create(project=meeting.project_id, agenda_item=item.id, text="Een bank")


def test_stance_icons_are_inline_svg_hidden_beside_their_words(as_viewer, db):
    proposal = _open_proposal()
    take_stance(proposal, person_id("Bram"), "more_time", "", None)
    for viewer in ("member", "coordinator"):
        page = as_viewer(viewer).get(f"/proposals/{proposal.id}").text
        main = page.split("<main", 1)[1]
        assert not set("✓⚠↪✗⌛") & set(main), viewer
        icons = re.findall(r"<svg class=\"icon icon-(\w+)\"[^>]*>", main)
        assert {"agree", "stand_aside", "more_time", "concern", "block"} <= set(icons), icons
        for tag in re.findall(r"<svg [^>]*>", main):
            assert 'aria-hidden="true"' in tag and 'focusable="false"' in tag
        # Each icon has its words right beside it.
        assert re.search(r"</svg> Ik heb meer tijd nodig</button>", main)
    tally = as_viewer("coordinator").get(
        f"/proposals/{proposal.id}/tally", headers={"HX-Request": "true"}
    )
    assert '<svg class="icon icon-more_time"' in tally.text and "<main" not in tally.text


def test_counts_on_meeting_pages_have_singular_and_plural(as_viewer, db):
    meeting = next_planned()
    AgendaItem.create(meeting=meeting.id, position=90, title="Kort punt", time_box=1)
    AgendaItem.create(meeting=meeting.id, position=91, title="Lang punt", time_box=15)
    member = as_viewer("member")
    page = text_of(member.get(f"/meetings/{meeting.id}").text)
    assert "Kort punt · 1 minuut" in page and "Lang punt · 15 minuten" in page
    printed = text_of(member.get(f"/meetings/{meeting.id}/print").text)
    assert "Kort punt (1 minuut)" in printed
    post(member, "/language", {"language": "en", "next": "/"})
    page = text_of(member.get(f"/meetings/{meeting.id}").text)
    assert "Kort punt · 1 minute" in page and "Lang punt · 15 minutes" in page
    # The quorum line, and a template's ngettext with a variable of its own besides num.
    proposal = _open_proposal()
    chair = text_of(as_viewer("coordinator").get(f"/proposals/{proposal.id}").text)
    assert re.search(r"Nodig voor een besluit: \d+ van de \d+ leden\.", chair), chair
    line = env.from_string(
        '{{ ngettext("Needed for a decision: %(quorum)s of %(num)s member.", '
        '"Needed for a decision: %(quorum)s of %(num)s members.", n, quorum=q) }}'
    )
    assert in_language("nl", lambda: line.render(n=1, q=1)) == (
        "Nodig voor een besluit: 1 van 1 lid."
    )
    assert in_language("en", lambda: line.render(n=3, q=2)) == (
        "Needed for a decision: 2 of 3 members."
    )


def test_planning_offers_the_next_date_on_the_series_pattern(on_date, as_viewer, db):
    """On every special date: the offered date is in a month after the latest meeting's, on
    its weekday and in its week of the month (the demo's Tuesdays), never before today."""
    latest = (
        Meeting.select()
        .where(Meeting.project == project_id())
        .order_by(Meeting.date.desc())[0]
        .date
    )
    page = as_viewer("coordinator").get(f"/projects/{project_id()}/meetings").text
    offered = dt.date.fromisoformat(re.search(r'name="start"[^>]*value="([^"]+)"', page).group(1))
    assert offered.weekday() == latest.weekday() and offered >= clock.today()
    assert (offered.year, offered.month) > (latest.year, latest.month)
    if week_of_month(latest) < 5:
        assert week_of_month(offered) == week_of_month(latest)
    assert offered == default_start(project_id())


def test_planning_more_first_tuesdays_goes_on_with_first_tuesdays(db):
    project = Project.create(name="Nieuwe groep")
    plan_meetings(project.id, 3, dt.date(2026, 10, 6))  # first Tuesdays Oct, Nov, Dec
    start = default_start(project.id)
    assert start == dt.date(2027, 1, 5)  # not "next Tuesday" from 17 June 2026
    made = plan_meetings(project.id, 3, start)
    assert [m.date for m in made] == [dt.date(2027, 1, 5), dt.date(2027, 2, 2), dt.date(2027, 3, 2)]
    # A series on the last Tuesday stays on the last, also after a month where it is the 4th.
    last = Project.create(name="Laatste dinsdag")
    plan_meetings(last.id, 2, dt.date(2026, 9, 29))  # 29 Sep (5th), 27 Oct (4th = last)
    start = default_start(last.id)
    assert start == nth_weekday(2026, 11, 1, 5) == dt.date(2026, 11, 24)
    made = plan_meetings(last.id, 2, start)
    assert [m.date for m in made] == [dt.date(2026, 11, 24), dt.date(2026, 12, 29)]


def test_starting_early_is_more_than_a_week_before():
    day = dt.date(2026, 9, 1)
    assert not starts_early(day, day)
    assert not starts_early(day, day - dt.timedelta(days=EARLY_START_DAYS))
    assert starts_early(day, day - dt.timedelta(days=EARLY_START_DAYS + 1))
    assert not starts_early(day, day + dt.timedelta(days=3))  # after its date: no question


def _meeting_on(days_from_today: int) -> Meeting:
    """The next planned meeting, moved to a day, chaired by Kim (the coordinator)."""
    meeting = next_planned()
    meeting.date = clock.today() + dt.timedelta(days=days_from_today)
    meeting.chair, meeting.chair_duo = person_id("Kim (coördinatie)"), None
    meeting.save()
    return meeting


def test_a_start_weeks_early_asks_first_and_starts_after_yes(as_viewer, db):
    meeting = _meeting_on(21)
    chair = as_viewer("coordinator")
    asked = post(chair, f"/meetings/{meeting.id}/start", follow_redirects=False)
    assert asked.status_code == 200
    assert Meeting.get_by_id(meeting.id).state == "planned"
    text = text_of(asked.text)
    assert "De vergadering nu al beginnen?" in text and "pas over 21 dagen" in text
    assert 'name="sure" value="y"' in asked.text and "Ja, nu beginnen" in text
    assert "Nee, nog niet" in text
    done = post(chair, f"/meetings/{meeting.id}/start", {"sure": "y"}, follow_redirects=False)
    assert done.status_code == 303 and Meeting.get_by_id(meeting.id).state == "started"


@pytest.mark.parametrize("days", [0, 3, EARLY_START_DAYS, -2])
def test_a_start_on_the_day_or_a_few_days_before_goes_on_directly(as_viewer, db, days):
    meeting = _meeting_on(days)
    response = post(as_viewer("coordinator"), f"/meetings/{meeting.id}/start")
    assert response.status_code == 200 and "Ja, nu beginnen" not in response.text
    assert Meeting.get_by_id(meeting.id).state == "started"


def test_only_the_chair_or_a_coordinator_can_start_early_even_with_yes(as_viewer, db):
    meeting = _meeting_on(21)
    for viewer, status in (("member", 403), ("other", 403)):
        response = post(as_viewer(viewer), f"/meetings/{meeting.id}/start", {"sure": "y"})
        assert response.status_code == status, viewer
    assert Meeting.get_by_id(meeting.id).state == "planned"
    assert "Ja, nu beginnen" not in as_viewer("member").get(f"/meetings/{meeting.id}").text


def test_each_vocabulary_is_defined_once_in_models_and_labelled_once():
    """The words the database stores come from models (the consensus rule's stances and
    outcomes among them); the screen labels every one of them and nothing else."""
    import pytest

    from models.meetings import vocabulary
    from models.rules import consensus
    from webapp.meetings import words

    assert list(words.STANCES) == [*consensus.STANCES, consensus.MORE_TIME]
    assert list(words.OUTCOMES)[: len(consensus.OUTCOMES)] == list(consensus.OUTCOMES)
    assert list(words.SIGNAL_STATUSES) == list(vocabulary.SIGNAL_STATUSES)
    assert list(words.ROLES) == list(vocabulary.TURN_ROLES)
    with pytest.raises(ValueError):
        words.labelled(("open", "done"), {"open": "Open"})
