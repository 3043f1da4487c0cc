"""Live minutes: versioned saves that never lose text, states, and approved minutes that no
route can change."""

import re

from models.db import database
from models.meetings import AgendaItem, Meeting, Minutes, MinutesNote, Proposal
from models.meetings.errors import Conflict
from models.meetings.minutes import save_minutes
from models.meetings.proposals import close_proposal, take_stance
from tests.conftest import post
from tests.meetings.conftest import next_planned, person_id, project_id


def closed_meeting_with(state: str) -> Meeting:
    return (
        Meeting.select()
        .join(Minutes, on=(Minutes.meeting == Meeting.id))
        .where((Meeting.project == project_id()) & (Minutes.state == state))
        .order_by(Meeting.date.desc())
        .first()
    )


def test_two_saves_on_the_same_version_lose_no_text_and_show_the_conflict(as_viewer, db):
    meeting = closed_meeting_with("draft")
    version = Minutes.get(Minutes.meeting == meeting.id).version
    first, second = as_viewer("coordinator"), as_viewer("coordinator")
    url = f"/meetings/{meeting.id}/minutes"
    response = post(
        first, url, {"text": "Tekst van Anna", "version": version}, follow_redirects=False
    )
    assert response.status_code == 303
    response = post(
        second, url, {"text": "Tekst van Bo", "version": version}, follow_redirects=False
    )
    assert response.status_code == 409
    # Both texts are on the screen: Bo's in the box, Anna's below as the saved one.
    assert "Tekst van Anna" in response.text and "Tekst van Bo" in response.text
    saved = Minutes.get(Minutes.meeting == meeting.id)
    assert (saved.text, saved.version) == ("Tekst van Anna", version + 1)
    # The form now carries the newest version, so the merged text saves.
    new_version = int(re.search(r'name="version" value="(\d+)"', response.text).group(1))
    assert new_version == version + 1
    merged = "Tekst van Anna\nTekst van Bo"
    response = post(second, url, {"text": merged, "version": new_version}, follow_redirects=False)
    assert response.status_code == 303
    assert Minutes.get(Minutes.meeting == meeting.id).text == merged


def test_autosave_with_htmx_updates_the_version_and_retargets_on_a_conflict(as_viewer, db):
    meeting = closed_meeting_with("draft")
    version = Minutes.get(Minutes.meeting == meeting.id).version
    client = as_viewer("coordinator")
    url = f"/meetings/{meeting.id}/minutes"
    hx = {"HX-Request": "true"}
    response = post(client, url, {"text": "een", "version": version}, headers=hx)
    assert response.status_code == 200
    assert f'value="{version + 1}"' in response.text and "data-hx-swap-oob" in response.text
    response = post(client, url, {"text": "twee", "version": version}, headers=hx)
    assert response.status_code == 200
    # The editor (with both texts) replaces the one being typed in, out of band.
    assert '<div id="editor" data-hx-swap-oob="innerHTML">' in response.text
    assert "een" in response.text and "twee" in response.text
    assert Minutes.get(Minutes.meeting == meeting.id).text == "een"


def test_minutes_go_from_draft_to_shared_to_approved(as_viewer, db):
    meeting = closed_meeting_with("draft")
    client = as_viewer("coordinator")
    base = f"/meetings/{meeting.id}/minutes"
    assert post(client, f"{base}/approve").status_code == 409  # not shared yet
    assert post(client, f"{base}/notes", {"text": "x"}).status_code == 409  # no notes on drafts
    post(client, f"{base}/share")
    assert Minutes.get(Minutes.meeting == meeting.id).state == "shared"
    member = as_viewer("member")
    post(member, f"{base}/notes", {"text": "Mooi verslag"})
    post(client, f"{base}/approve")
    minutes = Minutes.get(Minutes.meeting == meeting.id)
    assert minutes.state == "approved" and minutes.approved_at is not None
    kinds = [n.kind for n in MinutesNote.select().where(MinutesNote.minutes == minutes.id)]
    assert kinds == ["comment"]


def test_approved_minutes_cannot_be_changed_by_any_route(app, as_viewer, db):
    """Every unsafe route that names a meeting is tried with minutes-like data, as a
    coordinator (who may use them all): the approved text, version and state stay."""
    meeting = closed_meeting_with("approved")
    before = Minutes.get(Minutes.meeting == meeting.id)
    client = as_viewer("coordinator")
    tried = []
    data = {
        "text": "Nieuwe tekst",
        "version": before.version,
        "state": "draft",
        "reason": "x",
        "title": "x",
    }
    for route in app.routes:
        if "POST" not in getattr(route, "methods", ()) or "{meeting_id" not in route.path:
            continue
        url = re.sub(r"\{meeting_id(:int)?\}", str(meeting.id), route.path)
        response = post(client, url, data, follow_redirects=False)
        assert response.status_code < 500, (url, response.status_code)
        tried.append(url)
    for version in (before.version, before.version - 1, before.version + 1, 0):
        response = post(
            client,
            f"/meetings/{meeting.id}/minutes",
            {"text": "Nog een poging", "version": version},
            headers={"HX-Request": "true"},
        )
        assert response.status_code in (200, 409)
    assert len(tried) >= 5
    after = Minutes.get(Minutes.meeting == meeting.id)
    assert (after.text, after.version, after.state, after.approved_at, after.approved_facts) == (
        before.text,
        before.version,
        before.state,
        before.approved_at,
        before.approved_facts,
    )
    assert before.approved_facts  # the copy of what was approved
    # What the notes route adds is a dated correction beside the text, never a change to it.
    notes = MinutesNote.select().where(MinutesNote.minutes == after.id)
    assert {n.kind for n in notes} <= {"correction"}


def test_approved_minutes_offer_corrections_and_no_editor(as_viewer, db):
    meeting = closed_meeting_with("approved")
    client = as_viewer("coordinator")
    page = client.get(f"/meetings/{meeting.id}/minutes").text
    assert 'id="minutes-text"' not in page
    post(client, f"/meetings/{meeting.id}/minutes/notes", {"text": "Datum was 3 mei"})
    note = MinutesNote.select().order_by(MinutesNote.id.desc()).first()
    assert (note.kind, note.text) == ("correction", "Datum was 3 mei")
    with database.connection_context():
        assert "Datum was 3 mei" in client.get(f"/meetings/{meeting.id}/print").text


def test_the_next_agenda_asks_to_approve_shared_minutes_and_a_decision_can_approve(as_viewer, db):
    shared = closed_meeting_with("shared")
    following = (
        Meeting.select()
        .where((Meeting.project == project_id()) & (Meeting.date > shared.date))
        .order_by(Meeting.date)
        .first()
    )
    coordinator = as_viewer("coordinator")
    page = coordinator.get(f"/meetings/{following.id}").text
    assert f"/meetings/{shared.id}/minutes" in page

    with database.atomic():
        item = AgendaItem.select().where(AgendaItem.meeting == following.id).first()
        decided = Proposal.create(
            project=project_id(), agenda_item=item.id, text="Notulen vaststellen"
        )
        for name in ("Anouk B.", "Bram", "Carla V.", "Dewi", "Lina"):
            take_stance(decided, person_id(name), "agree", "", None)
        assert close_proposal(decided, "Vastgesteld") == "consensus"
    minutes_page = coordinator.get(f"/meetings/{shared.id}/minutes").text
    assert f'value="{decided.id}"' in minutes_page
    earlier = (
        Proposal.select()
        .where((Proposal.project == project_id()) & (Proposal.outcome == "consensus"))
        .order_by(Proposal.id)
        .first()
    )
    # A decision from before these minutes cannot approve them.
    response = post(coordinator, f"/meetings/{shared.id}/minutes/approve", {"proposal": earlier.id})
    assert response.status_code == 400
    post(coordinator, f"/meetings/{shared.id}/minutes/approve", {"proposal": decided.id})
    minutes = Minutes.get(Minutes.meeting == shared.id)
    assert (minutes.state, minutes.approved_how) == ("approved", f"proposal:{decided.id}")
    assert f"/proposals/{decided.id}" in coordinator.get(f"/meetings/{shared.id}/minutes").text


def test_the_first_save_of_new_minutes_and_a_second_writer(as_viewer, db):

    meeting = next_planned()
    assert Minutes.get_or_none(Minutes.meeting == meeting.id) is None
    first = save_minutes(meeting.id, "Eerste", 0)
    assert first.version == 1
    try:
        save_minutes(meeting.id, "Tweede", 0)
        raise AssertionError("a stale save must not win")
    except Conflict as conflict:
        assert conflict.minutes.text == "Eerste"
    assert Minutes.get(Minutes.meeting == meeting.id).text == "Eerste"
