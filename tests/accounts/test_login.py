"""Login: throttling (also after a restart), session renewal, idle expiry and logout."""

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor

from starlette.testclient import TestClient

from models.accounts import UserSession
from models.accounts.tables import LoginThrottle
from models.accounts.throttle import ADDRESS_FREE_FAILURES, wait_after
from models.clock import now
from models.db import database
from tests.conftest import PASSWORDS, csrf_of, login, post


def try_login(client, username, password):
    return client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": csrf_of(client)},
        follow_redirects=False,
    )


def fail(client, username="anouk", times=1):
    for _ in range(times):
        response = try_login(client, username, "not-the-password")
    return response


def test_the_wait_grows_from_30_seconds_and_stops_at_15_minutes():
    assert wait_after(4) == dt.timedelta(0)
    assert wait_after(5) == dt.timedelta(seconds=30)
    assert wait_after(6) == dt.timedelta(seconds=60)
    assert wait_after(7) == dt.timedelta(minutes=2)
    assert wait_after(50) == dt.timedelta(minutes=15)


def test_five_failures_make_the_username_wait_even_with_the_right_password(client):
    response = fail(client, times=4)
    assert response.status_code == 400
    assert "Je gebruikersnaam of wachtwoord klopt niet." in response.text
    response = fail(client)
    assert response.status_code == 429
    assert "wachtwoord getypt" in response.text
    # The right password does not help while waiting.
    response = try_login(client, "anouk", PASSWORDS["anouk"])
    assert response.status_code == 429
    assert "tafel_session" not in response.headers.get("set-cookie", "") or "sid" not in str(
        client.cookies
    )


def test_the_message_says_the_wait_in_plain_minutes(client, db):
    for _ in range(7):  # each time the wait has passed, the next failure counts
        fail(client)
        LoginThrottle.update(locked_until=None).execute()
    response = fail(client)  # eighth failure: 4 minutes
    assert response.status_code == 429
    assert "Probeer het over 4 minuten opnieuw." in response.text


def test_the_wait_ends_and_a_good_login_resets_the_username_counter(client, db):
    fail(client, times=5)
    LoginThrottle.update(locked_until=now() - dt.timedelta(seconds=1)).execute()
    assert try_login(client, "anouk", PASSWORDS["anouk"]).status_code == 303
    assert not LoginThrottle.select().where(LoginThrottle.key == "user:anouk").exists()
    client.post("/logout", data={"csrf_token": csrf_of(client, "/")})
    # A new failure for anouk counts from one again (the address keeps its own counter).
    fail(client)
    assert LoginThrottle.get(LoginThrottle.key == "user:anouk").failures == 1


def test_an_address_may_fail_more_often_than_a_username_before_it_waits(client):
    """Everyone behind one NAT shares an address: five failures there do not lock out
    another user; twenty do."""
    for n in range(ADDRESS_FREE_FAILURES - 1):
        fail(client, username=f"a{n}")
    assert try_login(client, "priya", PASSWORDS["priya"]).status_code == 303
    client.post("/logout", data={"csrf_token": csrf_of(client, "/")})
    # The good login gave its attempt back: one more failure makes the address wait.
    assert fail(client, username="a-last").status_code == 429
    assert try_login(client, "anouk", PASSWORDS["anouk"]).status_code == 429


def test_the_wait_survives_an_app_restart(client, db_url):
    fail(client, times=5)
    from webapp.app import create_app

    with TestClient(create_app(db_url)) as restarted:
        response = try_login(restarted, "anouk", PASSWORDS["anouk"])
        assert response.status_code == 429
        assert "wachtwoord getypt" in response.text


def test_login_renews_the_session_and_the_old_key_stops_working(client):
    client.get("/login")
    before = client.cookies.get("tafel_session")
    login(client, "anouk")
    after = client.cookies.get("tafel_session")
    assert before != after
    with database.connection_context():
        assert UserSession.select().count() == 1
    # Logging in again in the same browser replaces the server session.
    stolen = TestClient(client.app)
    stolen.cookies.set("tafel_session", after)
    assert stolen.get("/projects", follow_redirects=False).status_code == 200
    try_login(client, "anouk", PASSWORDS["anouk"])
    assert stolen.get("/projects", follow_redirects=False).status_code == 303
    with database.connection_context():
        assert UserSession.select().count() == 1


def test_a_session_ends_after_the_idle_time(client):
    login(client, "anouk")
    assert client.get("/projects", follow_redirects=False).status_code == 200
    with database.connection_context():
        UserSession.update(last_seen_at=now() - dt.timedelta(minutes=241)).execute()
    response = client.get("/projects", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login")
    assert "expired=1" in response.headers["location"]
    assert "Log opnieuw in" in client.get(response.headers["location"]).text
    with database.connection_context():
        assert UserSession.select().count() == 0


def test_logout_ends_the_server_session(client):
    login(client, "anouk")
    key = client.cookies.get("tafel_session")
    response = post(client, "/logout", follow_redirects=False)
    assert response.status_code == 303
    with database.connection_context():
        assert UserSession.select().count() == 0
    replay = TestClient(client.app)
    replay.cookies.set("tafel_session", key)
    assert replay.get("/projects", follow_redirects=False).status_code == 303


def test_passwords_never_reach_a_log_or_an_audit_row(client, caplog):
    import logging

    from models.accounts import Account
    from models.accounts.audit import AuditEntry

    caplog.set_level(logging.DEBUG)
    fail(client)
    login(client, "anouk")
    assert "not-the-password" not in caplog.text
    assert PASSWORDS["anouk"] not in caplog.text
    with database.connection_context():
        assert Account.get(Account.username == "anouk").password_hash.startswith("$argon2id$")
        rows = " ".join(e.before + e.after + e.note for e in AuditEntry.select())
        assert PASSWORDS["anouk"] not in rows and "not-the-password" not in rows
        assert "$argon2" not in rows


def test_outside_the_test_suite_passwords_are_hashed_at_the_production_costs():
    """The suite hashes lightly (tests/conftest.py); a real install uses argon2id at 64 MiB."""
    import subprocess
    import sys

    script = (
        "from models.accounts.passwords import hash_password; "
        "print(hash_password('correct horse 1'))"
    )
    printed = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout
    assert printed.startswith("$argon2id$v=19$m=65536,t=3,p=4$")


def test_failures_at_the_same_moment_are_all_counted_and_none_errs(app, db):
    """A room full of phones behind one address: wrong passwords typed at once."""
    barrier = threading.Barrier(4)

    def attempt(_n):
        with TestClient(app) as client:
            token = csrf_of(client)
            barrier.wait(timeout=30)
            data = {"username": "anouk", "password": "not-the-password", "csrf_token": token}
            return client.post("/login", data=data).status_code

    with ThreadPoolExecutor(4) as pool:
        assert list(pool.map(attempt, range(4))) == [400] * 4
    counts = {row.key: row.failures for row in LoginThrottle.select()}
    assert counts == {"user:anouk": 4, "addr:testclient": 4}
