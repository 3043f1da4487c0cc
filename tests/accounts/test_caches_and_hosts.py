"""Nothing in caches and logs, addresses from the settings (issue 11 points 8 and 9):
no-store for signed-in people, tokens out of the access log and the session cookie, an
absolute session lifetime, slips and calendars built from TAFEL_BASE_URL, and a production
installation that answers only its own host."""

import base64
import datetime as dt
import json
import logging
import re

import pytest
from starlette.testclient import TestClient

from models.accounts import UserSession
from models.clock import now
from models.db import database
from models.person import Person
from tests.accounts.conftest import new_link, use
from tests.conftest import ids, login, post
from webapp.settings import DEFAULT_SESSION_MAX_HOURS, Settings, SettingsError

SIGNED_IN_PAGES = ["/", "/projects", "/my-path", "/account", "/account/download", "/nothing-here"]


def session_cookie(client: TestClient) -> dict:
    """What the session cookie holds (signed, not encrypted: anyone holding it can read it)."""
    payload = client.cookies.get("tafel_session").split(".")[0]
    return json.loads(base64.b64decode(payload + "=" * (-len(payload) % 4)))


def test_every_response_to_a_signed_in_person_says_no_store(client):
    login(client, "anouk")
    for url in SIGNED_IN_PAGES:
        response = client.get(url, follow_redirects=False)
        assert response.headers["cache-control"] == "no-store", url
    with database.connection_context():
        project = ids()["project_id"]
    assert client.get(f"/projects/{project}/calendar.ics").headers["cache-control"] == "no-store"
    # Static files are the same for everyone and keep their own caching.
    assert "no-store" not in client.get("/static/css/tafel.css").headers["cache-control"]


def test_tokens_never_reach_the_access_log(client, caplog):
    caplog.set_level(logging.INFO, logger="tafel.requests")
    _link, token = new_link("Bram")
    client.get(f"/welcome/{token}")
    assert use(client, token, username="bram").status_code == 303
    client.get(f"/welcome/{token}")  # used: a 404, logged the same way
    assert token not in caplog.text
    assert "GET /welcome/{token} 200" in caplog.text
    assert "POST /welcome/{token} 303" in caplog.text
    assert "GET /welcome/{token} 404" in caplog.text


def test_the_token_leaves_the_session_cookie_once_the_slip_is_shown(client):
    login(client, "coordinator")
    with database.connection_context():
        bram = Person.get(Person.display_name == "Bram").id
    made = post(client, "/accounts/links", {"person": bram}, follow_redirects=False)
    slip = client.get(made.headers["location"])
    token = re.search(r'href="[^"]+/welcome/([^"]+)"', slip.text).group(1)
    assert token not in json.dumps(session_cookie(client))
    # Shown once: the slip no longer carries the link.
    assert token not in client.get(made.headers["location"]).text
    # Using the link keeps nothing of it in the new person's cookie either.
    other = TestClient(client.app)
    assert use(other, token, username="bram").status_code == 303
    assert token not in json.dumps(session_cookie(other))


def test_a_session_ends_at_its_absolute_lifetime_however_active(client):
    login(client, "anouk")
    with database.connection_context():
        UserSession.update(
            created_at=now() - dt.timedelta(hours=DEFAULT_SESSION_MAX_HOURS, minutes=1),
            last_seen_at=now(),
        ).execute()
    response = client.get("/projects", follow_redirects=False)
    assert response.status_code == 303
    assert "expired=1" in response.headers["location"]
    with database.connection_context():
        assert UserSession.select().count() == 0


def test_the_absolute_lifetime_is_a_setting(tmp_path):
    environ = {"TAFEL_DATA_DIR": str(tmp_path), "TAFEL_SECRET_KEY": "k"}
    assert Settings.from_env(environ=environ).session_max_hours == 24 * 14
    environ["TAFEL_SESSION_MAX_HOURS"] = "12"
    assert Settings.from_env(environ=environ).session_max_hours == 12
    for bad in ("twelve", "0"):
        environ["TAFEL_SESSION_MAX_HOURS"] = bad
        with pytest.raises(SettingsError, match="TAFEL_SESSION_MAX_HOURS"):
            Settings.from_env(environ=environ)


@pytest.fixture
def app_at(db_url, data_dir, monkeypatch):
    """The app with TAFEL_BASE_URL set (and more settings when given)."""
    from webapp.app import create_app

    def make(**settings):
        monkeypatch.setenv("TAFEL_BASE_URL", "https://tafel.example.nl")
        for name, value in settings.items():
            monkeypatch.setenv(name, value)
        return create_app(db_url)

    return make


def test_host_evil_example_never_appears_on_a_slip_or_in_a_calendar(app_at):
    with TestClient(app_at(), headers={"Host": "evil.example"}) as client:
        login(client, "coordinator")
        with database.connection_context():
            bram = Person.get(Person.display_name == "Bram").id
            project = ids()["project_id"]
        slip = post(client, "/accounts/links", {"person": bram})
        assert "https://tafel.example.nl/welcome/" in slip.text
        calendar = client.get(f"/projects/{project}/calendar.ics")
        assert "https://tafel.example.nl/meetings/" in calendar.text
        for response in (slip, calendar):
            assert "evil.example" not in response.text


def test_production_answers_only_its_own_host(app_at):
    app = app_at(TAFEL_ENV="production", TAFEL_HTTPS="1", TAFEL_SECRET_KEY="k" * 50)
    with TestClient(app, base_url="https://tafel.example.nl") as client:
        assert client.get("/healthz").status_code == 200
        assert client.get("/login").status_code == 200
        # Another host: the plain "not here" page (as an unknown host of a federation gets),
        # which repeats nothing of the Host header.
        refused = client.get("/login", headers={"Host": "evil.example", "accept-language": "en"})
        assert refused.status_code == 404 and "There is no Tafel here" in refused.text
        assert "evil.example" not in refused.text
        assert client.get("/healthz", headers={"Host": "evil.example"}).status_code == 404


def test_development_answers_any_host(client):
    assert client.get("/login", headers={"Host": "laptop.local:8000"}).status_code == 200
