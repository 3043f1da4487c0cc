"""A calendar phones can subscribe to (issue 12 point 5): a private address per person that
works without a session, renewable on My account and gone with the person; a VTIMEZONE and
UIDs unique to the installation; rota.csv with the duo chair."""

import csv
import io
import logging
import re

import pytest
from icalendar import Calendar
from starlette.testclient import TestClient

from models.accounts import Account, CalendarFeed
from models.db import database
from models.meetings import Meeting
from models.people import Membership
from models.records.privacy import erase_person
from tests.conftest import login, post
from tests.html_checker import check
from tests.meetings.conftest import next_planned, person_id, project_id

ADDRESS = re.compile(r'value="(https://tafel\.example\.nl/feed/([^/"]+)/tafel\.ics)"')


@pytest.fixture
def app_at(db_url, data_dir, monkeypatch):
    """The app at https://tafel.example.nl (TAFEL_BASE_URL)."""
    from webapp.app import create_app

    monkeypatch.setenv("TAFEL_BASE_URL", "https://tafel.example.nl")
    return create_app(db_url)


def make_address(client: TestClient) -> tuple[str, str]:
    """Make (or renew) the signed-in person's calendar address on My account."""
    page = post(client, "/account/calendar")
    assert page.status_code == 200
    match = ADDRESS.search(page.text)
    assert match, page.text
    return match.group(1), match.group(2)


def test_the_feed_works_without_a_session(app_at):
    with TestClient(app_at) as member:
        login(member, "anouk")
        url, token = make_address(member)
    with TestClient(app_at) as phone:  # no session: a calendar app
        response = phone.get(url.removeprefix("https://tafel.example.nl"))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/calendar")
    assert response.headers["cache-control"] == "no-store"
    assert "set-cookie" not in response.headers
    calendar = Calendar.from_ical(response.content)
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Amsterdam"]
    events = list(calendar.walk("VEVENT"))
    with database.connection_context():
        anouk = person_id("Anouk B.")
        projects = Membership.select(Membership.project).where(
            (Membership.person == anouk) & (Membership.status != "ended")
        )
        expected = Meeting.select().where(
            Meeting.project.in_(projects) & (Meeting.state != "closed")
        )
        assert {str(e["uid"]) for e in events} == {
            f"meeting-{m.id}@tafel.example.nl" for m in expected
        }
        first = next_planned()
    assert events
    # Her language (Dutch), though the calendar app sent none.
    assert any(str(e["summary"]).startswith("Vergadering") for e in events)
    timed = next(e for e in events if str(e["uid"]) == f"meeting-{first.id}@tafel.example.nl")
    assert timed["dtstart"].params["TZID"] == "Europe/Amsterdam"


def test_a_wrong_renewed_or_revoked_address_is_a_404(app_at, caplog):
    caplog.set_level(logging.INFO, logger="tafel.requests")
    with TestClient(app_at) as member, TestClient(app_at) as phone:
        login(member, "anouk")
        old_url, old_token = make_address(member)
        path = old_url.removeprefix("https://tafel.example.nl")
        assert phone.get(path).status_code == 200
        assert phone.get("/feed/not-a-token/tafel.ics").status_code == 404
        assert phone.get("/feed//tafel.ics").status_code == 404
        # Renewed: the old address stops working, the new one works.
        new_url, new_token = make_address(member)
        assert new_token != old_token
        assert phone.get(path).status_code == 404
        new_path = new_url.removeprefix("https://tafel.example.nl")
        assert phone.get(new_path).status_code == 200
        page = member.get("/account").text
        assert "Maak een nieuw agenda-adres" in page and new_token not in page
        with database.connection_context():
            account = Account.get(Account.username == "anouk")
            # Only the hash is stored.
            (feed,) = CalendarFeed.select().where(CalendarFeed.account == account.id)
            assert feed.token_hash == CalendarFeed.hash_token(new_token)
            assert new_token not in feed.token_hash
            # Removed: the address goes with the person.
            with database.atomic():
                erase_person(account.person)
            assert not CalendarFeed.select().exists()
        assert phone.get(new_path).status_code == 404
    # The request log names the route, never the token.
    assert old_token not in caplog.text and new_token not in caplog.text
    assert "GET /feed/{feed_token}/tafel.ics 200" in caplog.text
    assert "GET /feed/{feed_token}/tafel.ics 404" in caplog.text


def test_rota_csv_has_the_duo_chair(as_viewer, db):
    meeting = next_planned()
    duo = person_id("Anouk B.")
    Meeting.update(chair_duo=duo).where(Meeting.id == meeting.id).execute()
    response = as_viewer("coordinator").get(f"/projects/{project_id()}/rota.csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0] == ["date", "project", "chair", "minute_taker", "duo_chair"]
    row = next(r for r in rows[1:] if r[0] == meeting.date.isoformat())
    assert row[4] == "Anouk B."
    assert all(len(r) == 5 for r in rows)


def test_the_page_with_the_address_is_valid_html(app_at, vnu):
    with TestClient(app_at) as member:
        login(member, "anouk")
        pages = {"POST /account/calendar": post(member, "/account/calendar").text}
        pages["GET /account (with an address)"] = member.get("/account").text
    assert check(vnu, pages) == []
