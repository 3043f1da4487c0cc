"""Confirming a provisional decision at the next meeting, or talking about it again in a new
round (issue 12 point 1): who may, when, and what the agenda and the register show after."""

import csv
import io

from models.db import database
from models.meetings import AgendaItem, Meeting, Proposal
from models.meetings.proposals import close_proposal, take_stance
from tests.conftest import csrf_of, post
from tests.html_checker import check
from tests.meetings.conftest import next_planned, person_id
from tests.meetings.test_proposals import _at_once


def provisional_case(chair: str | None = "Anouk B.", state: str = "started"):
    """The next planned meeting (chaired by `chair`, in `state`) and a provisional decision of
    the meeting before it."""
    meeting = next_planned()
    before = Meeting.get_by_id(meeting.previous().id)
    with database.atomic():
        item = AgendaItem.create(meeting=before.id, title="Nieuwe bank", position=99)
        proposal = Proposal.create(
            project=meeting.project_id, agenda_item=item.id, text="We kopen een bank."
        )
        take_stance(proposal, person_id("Bram"), "agree", "", None)
        assert close_proposal(proposal, "Volgende keer bevestigen.") == "provisional"
        meeting.chair = person_id(chair) if chair else None
        meeting.chair_duo = None
        meeting.state = state
        meeting.save()
    return meeting, before, Proposal.get_by_id(proposal.id)


def answer(client, meeting, proposal, do: str = "confirm"):
    return post(
        client,
        f"/meetings/{meeting.id}/provisional",
        {"proposal": proposal.id, "do": do},
        follow_redirects=False,
    )


def test_the_chair_confirms_and_the_agenda_stops_asking(as_viewer, db):
    meeting, before, proposal = provisional_case()
    chair = as_viewer("member")  # Anouk chairs this meeting
    page = chair.get(f"/meetings/{meeting.id}").text
    assert "Te bevestigen" in page or "To confirm" in page
    assert f'name="proposal" value="{proposal.id}"' in page

    response = answer(chair, meeting, proposal)
    assert response.status_code == 303
    confirmed = Proposal.get_by_id(proposal.id)
    assert confirmed.outcome == "confirmed"
    assert confirmed.confirmed_in_id == meeting.id
    assert confirmed.confirmed_on is not None
    assert confirmed.decided_on == proposal.decided_on  # the first date stays

    page = chair.get(f"/meetings/{meeting.id}").text
    assert "Te bevestigen" not in page and "To confirm" not in page
    assert f'name="proposal" value="{proposal.id}"' not in page
    # A second confirm is refused plainly, and changes nothing.
    again = answer(chair, meeting, proposal)
    assert again.status_code == 409
    assert "al bevestigd" in again.text or "already confirmed" in again.text
    assert Proposal.get_by_id(proposal.id).confirmed_on == confirmed.confirmed_on


def test_the_register_and_its_file_show_both_dates(as_viewer, db):
    meeting, before, proposal = provisional_case()
    assert answer(as_viewer("coordinator"), meeting, proposal).status_code == 303
    confirmed = Proposal.get_by_id(proposal.id)

    coordinator = as_viewer("coordinator")
    page = coordinator.get(f"/projects/{meeting.project_id}/decisions").text
    assert confirmed.confirmed_on.strftime("%Y") in page
    for day in (before.date, meeting.date, confirmed.decided_on, confirmed.confirmed_on):
        assert str(day.day) in page
    assert "bevestigd" in page.lower() or "confirmed" in page.lower()

    text = coordinator.get(f"/projects/{meeting.project_id}/decisions.csv").text
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0][:10] == [
        "date",
        "project",
        "meeting",
        "proposal",
        "outcome",
        "agree",
        "concern",
        "stand_aside",
        "block",
        "statement",
    ]
    assert rows[0][10:] == ["confirmed_on", "confirmed_meeting"]
    row = next(r for r in rows[1:] if r[3] == proposal.text)
    assert row[0] == confirmed.decided_on.isoformat()
    assert row[2] == before.date.isoformat()
    assert row[4] == "confirmed"
    assert row[10:] == [confirmed.confirmed_on.isoformat(), meeting.date.isoformat()]
    others = [r for r in rows[1:] if r[4] != "confirmed"]
    assert others and all(r[10:] == ["", ""] for r in others)


def test_reopen_makes_a_new_version_on_this_meeting(as_viewer, db):
    meeting, before, proposal = provisional_case()
    chair = as_viewer("member")
    response = answer(chair, meeting, proposal, "reopen")
    assert response.status_code == 303
    new = Proposal.get_by_id(int(response.headers["location"].rsplit("/", 1)[1]))
    assert new.agenda_item.meeting_id == meeting.id
    assert new.agenda_item.source == "provisional"
    assert (new.version, new.previous_id, new.text, new.state) == (
        2,
        proposal.id,
        proposal.text,
        "open",
    )
    assert [p.id for p in new.versions()] == [proposal.id, new.id]
    assert [p.id for p in Proposal.get_by_id(proposal.id).versions()] == [proposal.id, new.id]
    page = chair.get(f"/proposals/{new.id}").text
    assert f'href="/proposals/{proposal.id}"' in page  # the history is there

    agenda = chair.get(f"/meetings/{meeting.id}").text
    assert f'name="proposal" value="{proposal.id}"' not in agenda
    assert f'href="/proposals/{new.id}"' in agenda
    # Reopened once: a confirm or a second reopen is refused.
    assert answer(chair, meeting, proposal).status_code == 409
    assert answer(chair, meeting, proposal, "reopen").status_code == 409
    assert Proposal.get_by_id(proposal.id).outcome == "provisional"


def test_a_member_who_does_not_chair_is_refused(as_viewer, db):
    meeting, _, proposal = provisional_case(chair="Bram")
    member = as_viewer("member")
    page = member.get(f"/meetings/{meeting.id}").text
    assert f'name="proposal" value="{proposal.id}"' not in page
    assert answer(member, meeting, proposal).status_code == 403
    assert answer(as_viewer("other"), meeting, proposal).status_code == 403
    assert answer(as_viewer("anonymous"), meeting, proposal).status_code in (302, 303)
    assert Proposal.get_by_id(proposal.id).outcome == "provisional"


def test_only_while_the_meeting_runs(as_viewer, db):
    meeting, _, proposal = provisional_case(state="planned")
    chair = as_viewer("member")
    assert answer(chair, meeting, proposal).status_code == 409
    Meeting.update(state="closed").where(Meeting.id == meeting.id).execute()
    response = answer(chair, meeting, proposal)
    assert response.status_code == 409
    assert Proposal.get_by_id(proposal.id).outcome == "provisional"


def test_bad_input_changes_nothing(as_viewer, db):
    meeting, _, proposal = provisional_case()
    chair = as_viewer("member")
    for data in (
        {"proposal": "abc", "do": "confirm"},
        {"proposal": "99999999999999999999", "do": "confirm"},
        {"proposal": proposal.id, "do": "delete"},
        {},
    ):
        response = post(chair, f"/meetings/{meeting.id}/provisional", data)
        assert response.status_code == 400, data
    # A decision that is not of the meeting before.
    other = Proposal.select().where(Proposal.outcome == "consensus").first()
    assert answer(chair, meeting, other).status_code == 409
    assert Proposal.get_by_id(proposal.id).outcome == "provisional"
    assert Proposal.get_by_id(other.id).outcome == "consensus"


def test_the_pages_with_the_new_forms_are_valid_html(as_viewer, db, vnu):
    meeting, _, proposal = provisional_case()
    chair = as_viewer("member")
    pages = {f"/meetings/{meeting.id} before": chair.get(f"/meetings/{meeting.id}").text}
    assert answer(chair, meeting, proposal).status_code == 303
    pages[f"/meetings/{meeting.id} after"] = chair.get(f"/meetings/{meeting.id}").text
    url = f"/projects/{meeting.project_id}/decisions"
    pages[url] = chair.get(url).text
    pages[f"/proposals/{proposal.id}"] = chair.get(f"/proposals/{proposal.id}").text
    assert check(vnu, pages) == []


def test_at_the_same_moment_one_answer_wins(app, as_viewer, db):
    """Two confirms, a reopen and the meeting's close posted at once: exactly one answer to
    the decision is stored; the others are refused with a sentence, never a 500."""
    meeting, _, proposal = provisional_case()
    chair = as_viewer("member")
    token = csrf_of(chair, "/")
    url = f"/meetings/{meeting.id}/provisional"
    posts = [
        (url, {"proposal": proposal.id, "do": "confirm"}),
        (url, {"proposal": proposal.id, "do": "reopen"}),
        (f"/meetings/{meeting.id}/close", {}),
        (url, {"proposal": proposal.id, "do": "confirm"}),
    ]
    results = _at_once(app, chair.cookies, token, posts)
    assert all(status in (200, 303, 409) for _path, status, _text in results), results
    answered = [s for path, s, _t in results if path == url and s in (200, 303)]
    assert len(answered) <= 1
    fresh = Proposal.get_by_id(proposal.id)
    reopened = Proposal.select().where(Proposal.previous == proposal.id).count()
    assert (fresh.outcome == "confirmed") + reopened == len(answered)
    assert Meeting.get_by_id(meeting.id).state == "closed"
