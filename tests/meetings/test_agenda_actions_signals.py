"""Agenda from anyone, actions, signals, successes and the calendar feeds."""

import datetime as dt

from icalendar import Calendar

from models.db import database
from models.meetings import Action, AgendaItem, Meeting, Signal, Success
from tests.conftest import post
from tests.meetings.conftest import next_planned, person_id, project_id


def agenda_titles(meeting_id):
    return [
        i.title
        for i in AgendaItem.select()
        .where(AgendaItem.meeting == meeting_id)
        .order_by(AgendaItem.position, AgendaItem.id)
    ]


def test_a_member_adds_an_item_until_the_meeting_starts(as_viewer, db):
    meeting = next_planned()
    member = as_viewer("member")
    url = f"/meetings/{meeting.id}/agenda"
    assert post(member, url, {"title": ""}).status_code == 400
    response = post(
        member,
        url,
        {"title": "Fietsen", "explanation": "Kort", "time_box": "10"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert agenda_titles(meeting.id)[-1] == "Fietsen"
    with database.atomic():
        Meeting.update(state="started").where(Meeting.id == meeting.id).execute()
    assert post(member, url, {"title": "Te laat"}).status_code == 409
    assert "Te laat" not in agenda_titles(meeting.id)


def test_the_chair_orders_the_agenda_with_and_without_htmx(as_viewer, db):
    meeting = next_planned()
    before = agenda_titles(meeting.id)
    last = (
        AgendaItem.select()
        .where(AgendaItem.meeting == meeting.id)
        .order_by(AgendaItem.position.desc())
        .first()
    )
    chair = as_viewer("coordinator")
    response = post(chair, f"/agenda/{last.id}/move", {"direction": "up"}, follow_redirects=False)
    assert response.status_code == 303
    assert agenda_titles(meeting.id) == before[:-2] + [before[-1], before[-2]]
    response = post(
        chair, f"/agenda/{last.id}/move", {"direction": "down"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200 and 'id="agenda"' in response.text
    assert agenda_titles(meeting.id) == before
    # The member has no part in this meeting: she cannot reorder.
    from tests.access.meetings import meeting_id

    item = AgendaItem.select().where(AgendaItem.meeting == meeting_id()).first()
    assert (
        post(as_viewer("member"), f"/agenda/{item.id}/move", {"direction": "up"}).status_code == 403
    )


def test_open_actions_and_provisional_decisions_come_back_on_the_next_agenda(as_viewer, db):
    meeting = next_planned()
    page = as_viewer("member").get(f"/meetings/{meeting.id}").text
    open_actions = Action.select().where(
        (Action.project == project_id()) & Action.status.in_(("open", "doing"))
    )
    assert open_actions.count() >= 1
    for action in open_actions:
        assert action.description in page
    done = Action.select().where((Action.project == project_id()) & (Action.status == "done"))
    assert all(
        f"{a.description} (" not in page
        for a in done
        if a.description not in {b.description for b in open_actions}
    )
    assert "Van eerdere vergaderingen" in page


def test_actions_my_actions_and_dropping_needs_a_reason(as_viewer, db):
    from tests.access.meetings import closed_meeting_id

    coordinator = as_viewer("coordinator")
    meeting = closed_meeting_id()
    response = post(
        coordinator,
        f"/meetings/{meeting}/actions",
        {"description": "Sleutel ophalen", "owner": person_id("Anouk B."), "due": "2030-01-01"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    action = Action.get(Action.description == "Sleutel ophalen")
    member = as_viewer("member")
    mine = member.get("/actions/mine").text
    assert "Sleutel ophalen" in mine
    url = f"/actions/{action.id}/status"
    assert post(member, url, {"status": "dropped", "reason": ""}).status_code == 400
    assert Action.get_by_id(action.id).status == "open"
    post(member, url, {"status": "doing"})
    assert Action.get_by_id(action.id).status == "doing"
    post(member, url, {"status": "dropped", "reason": "Iemand anders deed het al"})
    action = Action.get_by_id(action.id)
    assert (action.status, action.reason) == ("dropped", "Iemand anders deed het al")
    # Priya is not in the project: she cannot touch it.
    assert post(as_viewer("other"), url, {"status": "done"}).status_code == 403


def test_anonymous_signals_hide_the_name_from_members_but_not_from_coordinators(as_viewer, db):
    member = as_viewer("member")
    pid = project_id()
    response = post(
        member,
        f"/projects/{pid}/signals",
        {"kind": "problem", "text": "De deur klemt", "anonymous": "y"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    signal = Signal.get(Signal.text == "De deur klemt")
    assert signal.anonymous and signal.author_id == person_id("Anouk B.")
    # The form tells the member coordinators still see the name.
    assert "Coördinatoren zien je naam wel" in member.get(f"/projects/{pid}/signals").text
    coordinator_page = as_viewer("coordinator").get(f"/projects/{pid}/signals").text
    block = coordinator_page.split("De deur klemt", 1)[1].split("</li>", 1)[0]
    assert "Anouk B." in block
    assert "Wacht 0 dagen op antwoord" in coordinator_page
    # Another member of the project does not see the name.
    from models.accounts import Account
    from models.accounts.passwords import hash_password

    with database.atomic():
        Account.create(
            person=person_id("Bram"),
            username="bram",
            password_hash=hash_password("bram-tafel-2026"),
        )
    from tests.conftest import PASSWORDS

    PASSWORDS["bram"] = "bram-tafel-2026"
    try:
        bram = as_viewer("bram")
        page = bram.get(f"/projects/{pid}/signals").text
    finally:
        del PASSWORDS["bram"]
    block = page.split("De deur klemt", 1)[1].split("</li>", 1)[0]
    assert "Anouk B." not in block and "naam niet zichtbaar" in block


def test_every_answer_needs_text_and_not_possible_needs_an_explanation(as_viewer, db):
    signal = Signal.select().where(Signal.project == project_id()).first()
    coordinator = as_viewer("coordinator")
    url = f"/signals/{signal.id}/answer"
    assert post(coordinator, url, {"status": "done", "answer": ""}).status_code == 400
    assert post(coordinator, url, {"status": "not_possible", "answer": "Nee."}).status_code == 400
    response = post(
        coordinator,
        url,
        {"status": "on_agenda", "answer": "We bespreken het volgende keer."},
        follow_redirects=False,
    )
    assert response.status_code == 303
    signal = Signal.get_by_id(signal.id)
    assert (signal.status, signal.answered_at is not None) == ("on_agenda", True)
    item = (
        AgendaItem.select()
        .where(AgendaItem.source == "signal")
        .order_by(AgendaItem.id.desc())
        .first()
    )
    assert item.meeting_id == next_planned().id and item.title == signal.text[:200]
    assert post(as_viewer("member"), url, {"status": "done", "answer": "x"}).status_code == 403


def test_successes_show_on_the_project_page_with_the_rota(as_viewer, db):
    member = as_viewer("member")
    pid = project_id()
    post(member, f"/projects/{pid}/successes", {"text": "De bank staat er!"})
    assert Success.select().where(Success.text == "De bank staat er!").exists()
    page = member.get(f"/projects/{pid}").text
    assert "De bank staat er!" in page
    meeting = next_planned()
    assert meeting.date.strftime("%Y") in page and "Komende vergaderingen" in page


def test_calendar_feed_and_add_to_my_calendar(as_viewer, db):
    member = as_viewer("member")
    response = member.get(f"/projects/{project_id()}/calendar.ics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    planned = Meeting.select().where(
        (Meeting.project == project_id()) & (Meeting.state != "closed")
    )
    assert len(events) == planned.count()
    first = next_planned()
    one = Calendar.from_ical(member.get(f"/meetings/{first.id}/calendar.ics").content)
    (event,) = one.walk("VEVENT")
    start = event.decoded("dtstart")
    assert start.date() == first.date and start.time() == dt.time(19, 30)
    assert str(event["location"]) == "De grote tafel"
    # Signed-in members of the project only.
    assert as_viewer("other").get(f"/projects/{project_id()}/calendar.ics").status_code == 403
    anonymous = as_viewer("anonymous").get(
        f"/projects/{project_id()}/calendar.ics", follow_redirects=False
    )
    assert anonymous.status_code == 303


def test_coordinators_see_on_the_project_page_how_many_signals_wait(as_viewer, db):
    waiting = (
        Signal.select()
        .where((Signal.project == project_id()) & Signal.answered_at.is_null())
        .count()
    )
    assert waiting >= 1
    page = as_viewer("coordinator").get(f"/projects/{project_id()}").text
    assert f"{waiting} idee" in page
    assert "op antwoord" not in as_viewer("member").get(f"/projects/{project_id()}").text


def test_attendance_start_and_close(as_viewer, db):
    from models.meetings import Attendance

    meeting = next_planned()
    chair = as_viewer("coordinator")
    present = [person_id("Anouk B."), person_id("Bram")]
    response = post(
        chair, f"/meetings/{meeting.id}/attendance", {"present": present}, follow_redirects=False
    )
    assert response.status_code == 303
    rows = {
        a.person_id: a.status for a in Attendance.select().where(Attendance.meeting == meeting.id)
    }
    assert rows[present[0]] == rows[present[1]] == "present"
    assert rows[person_id("Dewi")] == "absent"
    post(chair, f"/meetings/{meeting.id}/start", {"sure": "y"})  # early or not
    assert Meeting.get_by_id(meeting.id).state == "started"
    # Once started, apologies are no longer taken and the rota stays.
    member = as_viewer("member")
    assert post(member, f"/meetings/{meeting.id}/apologies").status_code == 409
    post(chair, f"/meetings/{meeting.id}/close")
    closed = Meeting.get_by_id(meeting.id)
    assert closed.state == "closed" and closed.closed_at is not None
    assert (
        post(chair, f"/meetings/{meeting.id}/attendance", {"present": present}).status_code == 409
    )


def test_an_action_comes_from_a_decision_not_a_blocked_proposal_told_apart_by_version(
    as_viewer, db
):
    """The walk (issue 22): the list offered blocked proposals and cut every text at 60
    characters, so version 1 and 2 of one proposal looked the same."""
    from models.meetings import Proposal
    from models.meetings.proposals import close_proposal, take_stance
    from tests.access.meetings import closed_meeting_id

    meeting = closed_meeting_id()
    item = AgendaItem.select().where(AgendaItem.meeting == meeting).first()
    start = "We huren voor de schrijfgroep elke dinsdag de zaal van het buurthuis, "
    with database.atomic():
        first = Proposal.create(
            project=project_id(), agenda_item=item.id, text=start + "met koffie.", version=1
        )
        take_stance(first, person_id("Bram"), "block", "Te duur", None)
        close_proposal(first, "Tegengehouden")
        second = Proposal.create(
            project=project_id(),
            agenda_item=item.id,
            text=start + "zonder koffie.",
            version=2,
            previous=first.id,
        )
        for name in ("Anouk B.", "Bram", "Carla V.", "Dewi", "Erik de M."):
            take_stance(second, person_id(name), "agree", "", None)
        close_proposal(second, "Besloten")
    coordinator = as_viewer("coordinator")
    page = coordinator.get(f"/meetings/{meeting}").text
    picker = page.split('id="proposal"', 1)[1].split("</select>", 1)[0]
    assert f'value="{first.id}"' not in picker  # blocked: no decision to act on
    assert f'value="{second.id}"' in picker
    assert start + "zonder koffie. (versie 2)" in picker
    # A forged post of the blocked one is refused next to the field, nothing is stored.
    count = Action.select().count()
    response = post(
        coordinator,
        f"/meetings/{meeting}/actions",
        {"description": "Zaal", "owner": person_id("Anouk B."), "proposal": str(first.id)},
    )
    assert response.status_code == 400 and Action.select().count() == count
    assert 'id="proposal-error"' in response.text
