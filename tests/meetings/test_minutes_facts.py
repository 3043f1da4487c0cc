"""Minutes that keep up with the meeting (issue 12 point 2): who is there, the decisions with
their statements and the actions with owner and due date come from the records, beside the
minute-taker's notes per agenda item; the print view holds all of it; approved minutes keep
what was approved."""

import datetime as dt
import re

import pytest

from models.db import database
from models.meetings import Action, AgendaItem, Attendance, Meeting, Minutes, MinutesItem
from models.meetings.actions import add_action
from models.meetings.proposals import close_proposal, open_proposal, take_stance
from models.person import Person
from tests.conftest import post
from tests.meetings.conftest import meeting_with_minutes, next_planned, person_id, project_id

AGREE = ("Anouk B.", "Bram", "Carla V.", "Dewi", "Lina")


def running_meeting(minute_taker: str = "Anouk B.") -> Meeting:
    """The next meeting, started, with Anouk taking minutes, Carla's apologies, a decision
    with a statement on the first item and an action for Bram (with Dewi) due 1 July."""
    with database.atomic():
        meeting = next_planned()
        meeting.minute_taker = person_id(minute_taker)
        meeting.chair = person_id("Kim (coördinatie)")
        meeting.chair_duo = None
        meeting.rota_fixed = True
        meeting.state = "started"
        meeting.save()
        Attendance.delete().where(Attendance.meeting == meeting.id).execute()
        Attendance.create(meeting=meeting.id, person=person_id("Carla V."), status="apologies")
        item = AgendaItem.of_meeting(meeting.id)[0]
        proposal = open_proposal(item, project_id(), "We verven de kantine geel.")
        for name in AGREE:
            take_stance(proposal, person_id(name), "agree", "", None)
        close_proposal(proposal, "We verven in augustus; Bram koopt de verf.")
        add_action(
            meeting,
            "Verf kopen",
            person_id("Bram"),
            duo_owner=person_id("Dewi"),
            due=dt.date(2026, 7, 1),
        )
    return Meeting.find(meeting.id)


def version_on(page: str) -> int:
    return int(re.search(r'id="minutes-version" name="version" value="(\d*)"', page).group(1))


def save(client, meeting, data: dict, **kwargs):
    page = client.get(f"/meetings/{meeting.id}/minutes").text
    form = {"version": version_on(page), **data}
    return post(client, f"/meetings/{meeting.id}/minutes", form, follow_redirects=False, **kwargs)


# --- the viewers -----------------------------------------------------------------------------

MINUTES_PAGE = {"anonymous": "login", "member": 200, "coordinator": 200, "other": 403}


@pytest.mark.parametrize("viewer", sorted(MINUTES_PAGE))
def test_the_minutes_page_and_the_print_view_per_viewer(as_viewer, db, viewer):
    meeting = running_meeting(minute_taker="Bram")
    client = as_viewer(viewer)
    for url in (f"/meetings/{meeting.id}/minutes", f"/meetings/{meeting.id}/print"):
        response = client.get(url, follow_redirects=False)
        expected = MINUTES_PAGE[viewer]
        if expected == "login":
            assert response.status_code == 303 and response.headers["location"].startswith("/login")
            continue
        assert response.status_code == expected, url
        if expected == 200:
            # Everyone who may read sees the facts; the coordinator also gets the editor.
            assert "We verven in augustus; Bram koopt de verf." in response.text
            assert "Verf kopen" in response.text
            editor = f'id="item_{AgendaItem.of_meeting(meeting.id)[0].id}"' in response.text
            assert editor == (viewer == "coordinator" and url.endswith("/minutes"))
        else:
            assert "Verf kopen" not in response.text


SAVE_NOTES = {"anonymous": "login", "member": 403, "coordinator": 303, "other": 403}


@pytest.mark.parametrize("viewer", sorted(SAVE_NOTES))
def test_saving_notes_per_item_per_viewer(as_viewer, db, viewer):
    meeting = running_meeting(minute_taker="Bram")
    item = AgendaItem.of_meeting(meeting.id)[0]
    client = as_viewer(viewer)
    response = post(
        client,
        f"/meetings/{meeting.id}/minutes",
        {"version": 0, f"item_{item.id}": "Iedereen vond geel mooi."},
        follow_redirects=False,
    )
    expected = SAVE_NOTES[viewer]
    if expected == "login":
        assert response.status_code == 303 and response.headers["location"].startswith("/login")
    else:
        assert response.status_code == expected
    saved = MinutesItem.select().where(MinutesItem.agenda_item == item.id).first()
    if viewer == "coordinator":
        assert saved.text == "Iedereen vond geel mooi."
    else:
        assert saved is None


def test_the_minute_taker_saves_notes_per_item_and_keeps_the_others(as_viewer, db):
    meeting = running_meeting(minute_taker="Anouk B.")
    first, second = AgendaItem.of_meeting(meeting.id)[:2]
    anouk = as_viewer("member")  # anouk takes the minutes of this meeting
    response = save(
        anouk,
        meeting,
        {"text": "Algemeen", f"item_{first.id}": "Over de verf", f"item_{second.id}": "Planning"},
    )
    assert response.status_code == 303
    # An autosave that sends one item's field leaves the other item's notes as they are.
    response = save(
        anouk,
        meeting,
        {f"item_{first.id}": "Over de gele verf", "text": "Algemeen"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200 and "data-hx-swap-oob" in response.text
    minutes = Minutes.get(Minutes.meeting == meeting.id)
    notes = {
        r.agenda_item_id: r.text
        for r in MinutesItem.select().where(MinutesItem.minutes == minutes.id)
    }
    assert notes == {first.id: "Over de gele verf", second.id: "Planning"}
    page = anouk.get(f"/meetings/{meeting.id}/minutes").text
    assert "Over de gele verf" in page and "Planning" in page


def test_approved_minutes_per_viewer_show_what_was_approved(as_viewer, db):
    meeting = meeting_with_minutes("approved")
    expected = {"anonymous": "login", "member": 200, "coordinator": 200, "other": 403}
    for viewer, outcome in expected.items():
        response = as_viewer(viewer).get(f"/meetings/{meeting.id}/minutes", follow_redirects=False)
        if outcome == "login":
            assert response.headers["location"].startswith("/login")
            continue
        assert response.status_code == outcome
        if outcome == 200:
            assert 'id="minutes-text"' not in response.text  # nobody edits approved minutes
            assert "Iedereen vertelde kort hoe het gaat." in response.text
            assert "Aanwezig" in response.text and "Acties" in response.text


# --- the facts follow the records ------------------------------------------------------------


def test_attendance_recorded_after_the_minutes_were_opened_shows_without_retyping(as_viewer, db):
    meeting = running_meeting()
    anouk = as_viewer("member")
    page = anouk.get(f"/meetings/{meeting.id}/minutes").text
    assert "Nog niemand genoteerd" in page  # nobody present yet
    assert save(anouk, meeting, {"text": "Begonnen om half acht."}).status_code == 303
    # The chair ticks who is present on the meeting page.
    chair = as_viewer("coordinator")
    present = [person_id("Bram"), person_id("Lina")]
    response = post(chair, f"/meetings/{meeting.id}/attendance", {"present": present})
    assert response.status_code == 200
    page = anouk.get(f"/meetings/{meeting.id}/minutes").text
    attendance = re.search(r'<dl class="facts" id="minutes-attendance">(.*?)</dl>', page, re.S)
    assert re.search(r"Aanwezig</dt>\s*<dd>Bram, Lina</dd>", attendance.group(1))
    assert re.search(r"Afgemeld</dt>\s*<dd>Carla V.</dd>", attendance.group(1))
    assert Minutes.get(Minutes.meeting == meeting.id).text == "Begonnen om half acht."
    # The page that stays open gets the same facts through htmx, swapped in place.
    fragment = anouk.get(f"/meetings/{meeting.id}/minutes/facts", headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and "<html" not in fragment.text
    assert 'id="minutes-attendance" data-hx-swap-oob="true"' in fragment.text
    assert "Bram, Lina" in fragment.text and 'id="minutes-text"' not in fragment.text


def test_the_print_view_holds_attendance_decisions_actions_and_notes(as_viewer, db):
    meeting = running_meeting()
    item = AgendaItem.of_meeting(meeting.id)[0]
    chair = as_viewer("coordinator")
    post(chair, f"/meetings/{meeting.id}/attendance", {"present": [person_id("Bram")]})
    save(chair, meeting, {"text": "Koffie was op.", f"item_{item.id}": "Geel of groen?"})
    page = chair.get(f"/meetings/{meeting.id}/print").text
    assert re.search(r"Aanwezig</dt>\s*<dd>Bram</dd>", page)
    assert re.search(r"Afgemeld</dt>\s*<dd>Carla V.</dd>", page)
    assert "We verven de kantine geel." in page and "Besloten" in page
    assert "We verven in augustus; Bram koopt de verf." in page
    assert "Verf kopen · Bram &amp; Dewi · klaar op 1 juli 2026" in page
    assert "Geel of groen?" in page and "Koffie was op." in page


def test_approved_minutes_keep_the_facts_as_approved_and_names_follow_erasure(as_viewer, db):
    meeting = running_meeting()
    chair = as_viewer("coordinator")
    item = AgendaItem.of_meeting(meeting.id)[0]
    post(chair, f"/meetings/{meeting.id}/attendance", {"present": [person_id("Bram")]})
    save(chair, meeting, {"text": "Klaar.", f"item_{item.id}": "Geel."})
    post(chair, f"/meetings/{meeting.id}/close")
    post(chair, f"/meetings/{meeting.id}/minutes/share")
    assert post(chair, f"/meetings/{meeting.id}/minutes/approve").status_code == 200
    minutes = Minutes.get(Minutes.meeting == meeting.id)
    assert minutes.state == "approved" and '"Verf kopen"' in minutes.approved_facts
    # Afterwards the records change: another action, Lina marked present, Bram erased.
    with database.atomic():
        add_action(meeting, "Later bedacht", person_id("Lina"))
        Attendance.update(status="present").where(
            (Attendance.meeting == meeting.id) & (Attendance.person == person_id("Lina"))
        ).execute()
        MinutesItem.update(text="Stiekem veranderd").execute()
        Person.update(display_name=None, erased_at=dt.datetime(2026, 6, 17)).where(
            Person.display_name == "Bram"
        ).execute()
    for url in (f"/meetings/{meeting.id}/minutes", f"/meetings/{meeting.id}/print"):
        page = chair.get(url).text
        assert "Verf kopen" in page and "Later bedacht" not in page, url
        assert "Geel." in page and "Stiekem veranderd" not in page, url
        assert re.search(r"Aanwezig</dt>\s*<dd>oud-lid</dd>", page), url
        assert "Verf kopen · oud-lid &amp; Dewi" in page, url


def test_a_confirmed_decision_can_approve_minutes_like_a_consensus_decision(as_viewer, db):
    shared = meeting_with_minutes("shared")
    following = (
        Meeting.select()
        .where((Meeting.project == project_id()) & (Meeting.date > shared.date))
        .order_by(Meeting.date)
        .first()
    )
    with database.atomic():
        item = AgendaItem.select().where(AgendaItem.meeting == following.id).first()
        proposal = open_proposal(item, project_id(), "De notulen vaststellen")
        take_stance(proposal, person_id("Bram"), "agree", "", None)
        assert close_proposal(proposal, "Vastgesteld, voorlopig") == "provisional"
        proposal.outcome, proposal.confirmed_on = "confirmed", dt.date(2026, 6, 17)
        proposal.save()
    coordinator = as_viewer("coordinator")
    page = coordinator.get(f"/meetings/{shared.id}/minutes").text
    assert f'<option value="{proposal.id}">' in page and "Besloten (bevestigd)" in page
    assert "(Besloten (bevestigd))" not in page  # no brackets inside brackets (issue 22)
    response = post(
        coordinator, f"/meetings/{shared.id}/minutes/approve", {"proposal": proposal.id}
    )
    assert response.status_code == 200
    minutes = Minutes.get(Minutes.meeting == shared.id)
    assert (minutes.state, minutes.approved_how) == ("approved", f"proposal:{proposal.id}")


# --- refusals and conflicts ------------------------------------------------------------------


def test_two_writers_on_one_version_keep_both_notes_on_the_screen(as_viewer, db):
    meeting = running_meeting()
    item = AgendaItem.of_meeting(meeting.id)[0]
    first, second = as_viewer("coordinator"), as_viewer("member")
    version = version_on(first.get(f"/meetings/{meeting.id}/minutes").text)
    url = f"/meetings/{meeting.id}/minutes"
    field = f"item_{item.id}"
    response = post(first, url, {"version": version, field: "Van Kim"}, follow_redirects=False)
    assert response.status_code == 303
    response = post(second, url, {"version": version, field: "Van Anouk"}, follow_redirects=False)
    assert response.status_code == 409
    assert "Van Kim" in response.text and "Van Anouk" in response.text
    assert MinutesItem.get(MinutesItem.agenda_item == item.id).text == "Van Kim"
    assert version_on(response.text) == version + 1


def test_refused_notes_change_nothing_and_say_why(as_viewer, db):
    meeting = running_meeting()
    item = AgendaItem.of_meeting(meeting.id)[0]
    other_meeting = Meeting.select().where(Meeting.project != project_id()).first()
    foreign = AgendaItem.select().where(AgendaItem.meeting == other_meeting.id).first()
    client = as_viewer("coordinator")
    response = save(client, meeting, {f"item_{item.id}": "z" * 20_001})
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.text and "20.001" in response.text
    assert (
        MinutesItem.select().count() == 0
        or not MinutesItem.select().where(MinutesItem.agenda_item == item.id).exists()
    )
    hx = save(client, meeting, {f"item_{item.id}": "z" * 20_001}, headers={"HX-Request": "true"})
    assert hx.status_code == 200 and "20.001" in hx.text
    # An agenda item of another meeting is not read.
    response = save(client, meeting, {f"item_{foreign.id}": "Ergens anders", "text": "Hier"})
    assert response.status_code == 303
    assert not MinutesItem.select().where(MinutesItem.text == "Ergens anders").exists()


def test_approved_minutes_refuse_new_notes_per_item(as_viewer, db):
    meeting = meeting_with_minutes("approved")
    before = {(r.agenda_item_id, r.text) for r in MinutesItem.select()}
    facts = Minutes.get(Minutes.meeting == meeting.id).approved_facts
    item = AgendaItem.of_meeting(meeting.id)[0]
    client = as_viewer("coordinator")
    for version in (0, 3, 4):
        response = post(
            client,
            f"/meetings/{meeting.id}/minutes",
            {"version": version, f"item_{item.id}": "Nieuw"},
            follow_redirects=False,
        )
        assert response.status_code == 409
    assert {(r.agenda_item_id, r.text) for r in MinutesItem.select()} == before
    assert Minutes.get(Minutes.meeting == meeting.id).approved_facts == facts


# --- a fixed number of queries ---------------------------------------------------------------


def test_minutes_and_print_cost_the_same_with_more_items_decisions_and_actions(
    as_viewer, db, count_queries
):
    meeting = running_meeting()
    client = as_viewer("coordinator")
    urls = [f"/meetings/{meeting.id}/{page}" for page in ("minutes", "print", "minutes/facts")]
    save(client, meeting, {"text": "Eerste regel"})
    before = [count_queries(client, url) for url in urls]
    with database.atomic():
        for n in range(6):
            item = AgendaItem.create(meeting=meeting.id, title=f"Punt {n}", position=10 + n)
            proposal = open_proposal(item, project_id(), f"Voorstel {n}")
            close_proposal(proposal, f"Uitkomst {n}")
            add_action(meeting, f"Actie {n}", person_id("Lina"), due=dt.date(2026, 8, n + 1))
        for name in ("Bram", "Dewi", "Lina", "Gert"):
            Attendance.create(meeting=meeting.id, person=person_id(name), status="present")
    save(client, meeting, {f"item_{i.id}": "Notitie" for i in AgendaItem.of_meeting(meeting.id)})
    after = [count_queries(client, url) for url in urls]
    assert before == after
    assert Action.select().where(Action.meeting == meeting.id).count() == 7


def test_minutes_approved_before_the_copy_existed_show_the_records_and_say_so(as_viewer, db):
    meeting = meeting_with_minutes("approved")
    Minutes.update(approved_facts="").where(Minutes.meeting == meeting.id).execute()
    page = as_viewer("member").get(f"/meetings/{meeting.id}/minutes").text
    assert "voordat Tafel een kopie bewaarde" in page
    action = Action.select().where(Action.meeting == meeting.id).first()
    assert action.description in page
    frozen = (
        Meeting.select()
        .join(Minutes, on=(Minutes.meeting == Meeting.id))
        .where(
            (Meeting.project == project_id())
            & (Minutes.state == "approved")
            & (Minutes.approved_facts != "")
        )
        .first()
    )
    assert "zoals ze waren toen de notulen werden vastgesteld" in (
        as_viewer("member").get(f"/meetings/{frozen.id}/minutes").text
    )


def test_minutes_list_who_was_absent_without_word_once_the_meeting_closed(as_viewer, db):
    """The walk (issue 22): minutes listed apologies but not those absent without them. Once
    the meeting is closed, the expected members (active in the project on its date) who
    neither came nor sent apologies are listed, on the minutes, the print view and in the
    copy kept at approval; a copy approved before that list existed shows none."""
    meeting = running_meeting()
    chair = as_viewer("coordinator")
    present = [person_id(name) for name in ("Anouk B.", "Bram", "Dewi", "Kim (coördinatie)")]
    post(chair, f"/meetings/{meeting.id}/attendance", {"present": present})
    absent_line = re.compile(r"Afwezig zonder bericht</dt>\s*<dd>([^<]*)</dd>")
    save(chair, meeting, {"text": "Klaar."})
    running = chair.get(f"/meetings/{meeting.id}/minutes").text
    assert not absent_line.search(running)  # while it runs, nobody is absent yet
    post(chair, f"/meetings/{meeting.id}/close")
    expected = "Erik de M., Gert, Lina, Yara"  # Carla sent apologies, Fatima is paused
    for url in (f"/meetings/{meeting.id}/minutes", f"/meetings/{meeting.id}/print"):
        page = chair.get(url).text
        assert absent_line.search(page).group(1) == expected, url
    post(chair, f"/meetings/{meeting.id}/minutes/share")
    assert post(chair, f"/meetings/{meeting.id}/minutes/approve").status_code == 200
    minutes = Minutes.get(Minutes.meeting == meeting.id)
    assert '"absent": [' in minutes.approved_facts
    with database.atomic():  # Gert's apologies come in late: the approved copy keeps him
        Attendance.update(status="apologies").where(
            (Attendance.meeting == meeting.id) & (Attendance.person == person_id("Gert"))
        ).execute()
    page = chair.get(f"/meetings/{meeting.id}/minutes").text
    assert absent_line.search(page).group(1) == expected
    # A copy approved before the list existed stays as it was approved: no line.
    import json

    old = json.loads(minutes.approved_facts)
    del old["absent"]
    Minutes.update(approved_facts=json.dumps(old)).where(Minutes.id == minutes.id).execute()
    assert "Afwezig zonder bericht" not in chair.get(f"/meetings/{meeting.id}/minutes").text
