"""Throttling that holds (issue 11 point 7): eleven wrong passwords and the right one sent at
the same moment never get more passwords checked than the counters allow, and another user
behind the same address can still log in.

Once against the model (threads, each with its own connection) and once end to end against
a real server with two worker processes (TestClient is not parallel)."""

import re
import threading
from concurrent.futures import ThreadPoolExecutor

import httpx2 as httpx
import pytest
from passlib.context import CryptContext

from models.accounts.tables import Account, LoginThrottle
from models.accounts.throttle import (
    ADDRESS_FREE_FAILURES,
    FREE_FAILURES,
    attempt_succeeded,
    reserve_attempt,
    throttle_keys,
)
from models.db import database, open_database
from tests.conftest import FIXED_MOMENT, PASSWORDS
from tests.running_server import RunningServer

ATTEMPTS = 12


def _at_once(count: int, work) -> list:
    """Run `work(n)` in `count` threads released together."""
    barrier = threading.Barrier(count)

    def run(n):
        barrier.wait(timeout=30)
        return work(n)

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(run, range(count)))


def test_attempts_at_the_same_moment_are_counted_before_they_are_checked(db_url):
    keys = throttle_keys("anouk", "10.0.0.7")

    def reserve(_n):
        with database.connection_context(), database.atomic():
            wait, attempt = reserve_attempt(keys)
        return attempt is not None

    open_database(db_url)
    allowed = _at_once(ATTEMPTS, reserve)
    assert allowed.count(True) == FREE_FAILURES
    with database.connection_context():
        counts = {row.key: row.failures for row in LoginThrottle.select()}
        assert counts == {"user:anouk": FREE_FAILURES, "addr:10.0.0.7": FREE_FAILURES}
        # Someone else behind the same address may still try, and a right password gives
        # the address its attempt back.
        with database.atomic():
            wait, attempt = reserve_attempt(throttle_keys("priya", "10.0.0.7"))
            assert wait == 0 and attempt is not None
            attempt_succeeded(attempt)
        counts = {row.key: row.failures for row in LoginThrottle.select()}
        assert counts == {"user:anouk": FREE_FAILURES, "addr:10.0.0.7": FREE_FAILURES}
        assert FREE_FAILURES < ADDRESS_FREE_FAILURES


def _csrf(client: httpx.Client) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text)[1]


@pytest.fixture
def server(db_url, tmp_path):
    """A server with two worker processes; anouk's password hashed at the production costs
    (a quarter of a second to check, as on a real installation: time for the attempts to
    overlap)."""
    open_database(db_url)
    with database.connection_context():
        slow = CryptContext(schemes=["argon2"], argon2__type="ID").hash(PASSWORDS["anouk"])
        Account.update(password_hash=slow).where(Account.username == "anouk").execute()
    database.close()
    with RunningServer(db_url, tmp_path, workers=2, moment=FIXED_MOMENT) as running:
        yield running


def test_eleven_wrong_passwords_and_the_right_one_at_once_on_a_real_server(server, db_url):
    passwords = ["not-the-password"] * (ATTEMPTS - 1) + [PASSWORDS["anouk"]]
    clients = [httpx.Client(base_url=server.url, timeout=60) for _ in passwords]
    tokens = [_csrf(client) for client in clients]

    def attempt(n):
        data = {"username": "anouk", "password": passwords[n], "csrf_token": tokens[n]}
        return clients[n].post("/login", data=data).status_code

    try:
        statuses = _at_once(ATTEMPTS, attempt)
    finally:
        for client in clients:
            client.close()
    assert set(statuses) <= {303, 400, 429}, (statuses, server.log()[-3000:])
    open_database(db_url)
    with database.connection_context():
        # The address counts every wrong password that was checked (a right one gives its
        # attempt back): with the right one, never more than five passwords were checked.
        address = LoginThrottle.get(LoginThrottle.key == "addr:127.0.0.1")
        assert address.failures + statuses.count(303) <= FREE_FAILURES, statuses
        assert statuses.count(429) >= ATTEMPTS - FREE_FAILURES, statuses
    database.close()
    # Another user behind the same address (127.0.0.1) logs in at once.
    with httpx.Client(base_url=server.url, timeout=60) as other:
        data = {"username": "priya", "password": PASSWORDS["priya"], "csrf_token": _csrf(other)}
        assert other.post("/login", data=data).status_code == 303
    assert "Traceback" not in server.log()
