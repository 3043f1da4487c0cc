"""Meetings that move (issue 21 point 1, docs/rules.md "Moving, cancelling and adding
meetings"): a coordinator moves, cancels and adds a meeting, and the rota, the notice board,
the news of the people with a turn and the calendar feed (parsed by icalendar) follow; the
chair may do it for their own meeting only; a meeting started early keeps its real date."""

import datetime as dt
import json

from icalendar import Calendar

from models.db import database
from models.meetings import AgendaItem, Meeting, Minutes, Proposal
from models.meetings.agenda import add_agenda_item
from models.meetings.proposals import close_proposal, open_proposal
from models.news.tables import NewsItem
from models.organisation import Announcement
from tests.conftest import post
from tests.meetings.conftest import person_id, project_id


def _coming(project: int) -> list[Meeting]:
    return list(
        Meeting.select()
        .where((Meeting.project == project) & (Meeting.state == "planned"))
        .order_by(Meeting.date, Meeting.id)
    )


def _news(kind: str) -> dict[str, set[int]]:
    """Who was told what: key -> people."""
    told: dict[str, set[int]] = {}
    for item in NewsItem.select().where(NewsItem.kind == kind):
        told.setdefault(item.key, set()).add(item.person_id)
    return told


def _events(client, project: int) -> dict[str, object]:
    response = client.get(f"/projects/{project}/calendar.ics")
    assert response.status_code == 200
    return {
        str(e["UID"]).split("@")[0]: e for e in Calendar.from_ical(response.content).walk("VEVENT")
    }


def _notice_lines(client, project: int) -> str:
    return client.get(f"/projects/{project}/notices").text


def test_a_coordinator_moves_cancels_and_adds_a_meeting_and_everything_follows(as_viewer, db):
    coordinator = as_viewer("coordinator")
    project = project_id()
    first, second, third, fourth = _coming(project)[:4]
    item = add_agenda_item(first, "Nieuwe flyer")
    notices = Announcement.select().where(Announcement.kind.is_null(False)).count()  # the demo's

    # Moving: a week later at 20.00; the agenda and the turns go with it.
    new_day = first.date + dt.timedelta(days=7)
    assert new_day < second.date
    response = post(
        coordinator,
        f"/meetings/{first.id}/move",
        {"date": new_day.isoformat(), "time": "20:00", "place": "De Zaal"},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text[:2000]
    moved = Meeting.get_by_id(first.id)
    assert (moved.date, moved.time, moved.sequence) == (new_day, dt.time(20, 0), 1)
    assert (moved.chair_id, moved.minute_taker_id) == (first.chair_id, first.minute_taker_id)
    assert moved.moved_from == first.date
    assert AgendaItem.get_by_id(item.id).meeting_id == first.id
    assert _news("meeting_moved")[f"meeting:{first.id}:moved:1"] == {
        p for p in (first.chair_id, first.minute_taker_id) if p
    }
    params = json.loads(NewsItem.get(NewsItem.key == f"meeting:{first.id}:moved:1").params)
    assert params["to"] == f"{new_day.isoformat()}T18:00:00+00:00"  # 20.00 in summer, in UTC
    assert "Deze vergadering is verplaatst" in coordinator.get(f"/meetings/{first.id}").text

    # Cancelling the next one: its turn goes to the one after it, its agenda too.
    cancelled_item = add_agenda_item(second, "Begroting")
    response = post(
        coordinator,
        f"/meetings/{second.id}/cancel",
        {"reason": "Te weinig mensen in de zomer"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    gone = Meeting.get_by_id(second.id)
    assert (gone.state, gone.sequence) == ("cancelled", second.sequence + 1)
    after = Meeting.get_by_id(third.id)
    assert after.chair_id == second.chair_id
    assert AgendaItem.get_by_id(cancelled_item.id).meeting_id == third.id
    assert _news("meeting_cancelled") == {
        f"meeting:{second.id}:cancelled": {
            p for p in (second.chair_id, second.minute_taker_id) if p
        }
    }
    assert second.chair_id in _news("new_turn")[f"turn:{third.id}:chair:{second.chair_id}"]
    page = coordinator.get(f"/meetings/{second.id}").text
    assert "Deze vergadering gaat niet door: Te weinig mensen in de zomer" in page
    # No minutes to write and no turns that look as if they still hold.
    assert f'href="/meetings/{second.id}/minutes"' not in page
    assert "De beurten gingen naar wie daarna aan de beurt is." in page
    # A cancelled meeting cannot start nor take agenda items nor minutes.
    assert post(coordinator, f"/meetings/{second.id}/start", {"sure": "y"}).status_code == 409
    refused = post(coordinator, f"/meetings/{second.id}/minutes", {"text": "Iets", "version": 0})
    assert refused.status_code == 409
    assert "Deze vergadering gaat niet door; er zijn geen notulen." in refused.text
    assert Minutes.of_meeting(second.id) is None
    refused = post(coordinator, f"/meetings/{second.id}/agenda", {"title": "Nog iets"})
    assert refused.status_code == 409
    assert "gaat niet door; er kunnen geen agendapunten meer bij" in refused.text

    # An extra meeting on a free Sunday: the members hear it, the rota gives it turns.
    extra_day = third.date + dt.timedelta(days=(6 - third.date.weekday()) or 7)
    response = post(
        coordinator,
        f"/projects/{project}/meetings/extra",
        {"date": extra_day.isoformat(), "time": "", "place": "Buurthuis"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    extra = Meeting.get(Meeting.project == project, Meeting.date == extra_day)
    assert extra.chair_id and extra.minute_taker_id
    members = {m for keys in _news("meeting_added").values() for m in keys}
    assert person_id("Anouk B.") in members
    assert person_id("Kim (coördinatie)") not in members  # she added it: no news to her
    assert extra.chair_id in _news("new_turn")[f"turn:{extra.id}:chair:{extra.chair_id}"]

    # The notice board, each in one line.
    board = _notice_lines(coordinator, project)
    months = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
              "september", "oktober", "november", "december"]  # fmt: skip

    def dutch(day):
        return f"{day.day} {months[day.month - 1]} {day.year}"

    assert (
        f"De vergadering van {dutch(first.date)} is verplaatst naar {dutch(new_day)} om 20.00 uur."
        in board
    )
    assert f"De vergadering van {dutch(second.date)} gaat niet door: Te weinig mensen" in board
    assert f"Extra vergadering op {dutch(extra_day)}." in board
    assert Announcement.select().where(Announcement.kind.is_null(False)).count() == notices + 3

    # The feed: the same UIDs, a higher SEQUENCE, the cancelled one stays as CANCELLED.
    events = _events(coordinator, project)
    assert events[f"meeting-{first.id}"]["SEQUENCE"] == 1
    assert events[f"meeting-{first.id}"].decoded("DTSTART").date() == new_day
    assert events[f"meeting-{second.id}"]["STATUS"] == "CANCELLED"
    assert events[f"meeting-{second.id}"]["SEQUENCE"] == second.sequence + 1
    assert events[f"meeting-{fourth.id}"]["STATUS"] == "CONFIRMED"
    assert events[f"meeting-{fourth.id}"]["SEQUENCE"] == 0
    assert f"meeting-{extra.id}" in events


def test_a_meeting_cannot_move_into_the_past_nor_onto_another_meeting(as_viewer, db):
    coordinator = as_viewer("coordinator")
    first, second = _coming(project_id())[:2]
    for data, sentence in (
        ({"date": "2026-06-16", "time": "19:00"}, "Dit moment is al voorbij."),
        ({"date": "2026-06-17", "time": "09:59"}, "Dit moment is al voorbij."),
        (
            {
                "date": second.date.isoformat(),
                "time": second.time.isoformat("minutes") if second.time else "",
            },
            "Op dat moment is er al een vergadering van dit project.",
        ),
    ):
        response = post(coordinator, f"/meetings/{first.id}/move", data)
        assert response.status_code == 400
        assert f'<p class="error" id="date-error">{sentence}' in response.text
    assert Meeting.get_by_id(first.id).sequence == 0
    assert f"meeting:{first.id}:moved:1" not in _news("meeting_moved")


def test_the_chair_moves_their_own_meeting_only_and_a_member_not_at_all(as_viewer, db):
    project = project_id()
    first, second = _coming(project)[:2]
    anouk = person_id("Anouk B.")
    Meeting.update(chair=anouk).where(Meeting.id == first.id).execute()
    Meeting.update(chair=person_id("Bram")).where(Meeting.id == second.id).execute()
    chair = as_viewer("member")
    day = (first.date + dt.timedelta(days=1)).isoformat()
    assert chair.get(f"/meetings/{first.id}/change").status_code == 200
    moved = post(chair, f"/meetings/{first.id}/move", {"date": day}, follow_redirects=False)
    assert moved.status_code == 303
    assert post(chair, f"/meetings/{second.id}/move", {"date": day}).status_code == 403
    assert post(chair, f"/meetings/{second.id}/cancel", {"reason": "Ziek"}).status_code == 403
    assert chair.get(f"/projects/{project}/meetings/extra").status_code == 403
    assert Meeting.get_by_id(first.id).date.isoformat() == day
    assert Meeting.get_by_id(second.id).sequence == second.sequence


def test_a_meeting_started_early_keeps_its_real_date_and_so_do_its_decisions(as_viewer, db):
    coordinator = as_viewer("coordinator")
    meeting = _coming(project_id())[0]
    planned = meeting.date
    assert planned > dt.date(2026, 6, 17)
    item = add_agenda_item(meeting, "Koffie")
    response = post(
        coordinator, f"/meetings/{meeting.id}/start", {"sure": "y"}, follow_redirects=False
    )
    assert response.status_code == 303
    started = Meeting.get_by_id(meeting.id)
    assert (started.date, started.moved_from, started.sequence) == (
        dt.date(2026, 6, 17),
        planned,
        1,
    )
    with database.atomic():
        proposal = open_proposal(AgendaItem.get_by_id(item.id), project_id(), "We kopen koffie.")
    close_proposal(Proposal.get_by_id(proposal.id), "Besloten")
    register = coordinator.get(f"/projects/{project_id()}/decisions").text
    assert "Besloten op 17 juni 2026 in de vergadering van 17 juni 2026." in register
