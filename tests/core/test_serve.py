"""`tafel serve --workers 2` for real: a login and a write, answered by both workers.

The sessions, the CSRF secret and every change live in the database and the data folder,
not in a worker: a person signed in by one worker is signed in at the other. Which worker
answered is read from the server's own log, where each request line names its process.
"""

import http.client
import os
import re
import signal
import subprocess
import sys
import time
from urllib.parse import urlencode

import pytest

from models.db import database, open_database
from models.organisation import Project
from tests.conftest import MEMBER_PROJECT, PASSWORDS, build_demo
from tests.running_server import free_port
from webapp.settings import ROOT


class Browser:
    """One person's cookie, a new connection per request (so the workers take turns)."""

    def __init__(self, port: int):
        self.port = port
        self.cookie = ""

    def request(self, method: str, url: str, form: dict | None = None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        headers = {"Connection": "close", "Cookie": self.cookie}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, url, body=body, headers=headers)
        response = conn.getresponse()
        text = response.read().decode()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie" and value.startswith("tafel_session="):
                self.cookie = value.split(";", 1)[0]
        conn.close()
        return response, text

    def csrf(self, url: str) -> str:
        _, text = self.request("GET", url)
        return re.search(r'name="csrf_token" value="([^"]+)"', text).group(1)


@pytest.fixture
def server(databases, tmp_path):
    """`tafel serve --workers 2` on a copy of the demo; yields (port, the log so far)."""
    url = databases.fresh(build_demo)
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "TAFEL_DATA_DIR": str(tmp_path / "data"),
        "TAFEL_ENV": "development",
    }
    env.pop("TAFEL_SECRET_KEY", None)
    log_path = tmp_path / "serve.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "webapp.cli", "serve", "--workers", "2", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 30
        while log_path.read_text().count("Application startup complete") < 2:
            assert process.poll() is None, log_path.read_text()
            assert time.monotonic() < deadline, log_path.read_text()
            time.sleep(0.1)
        yield port, log_path.read_text, url
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_two_workers_share_the_login_and_the_writes(server):
    port, read_log, url = server
    open_database(url)
    with database.connection_context():
        project = Project.get(Project.name == MEMBER_PROJECT).id
    database.close()

    browser = Browser(port)
    token = browser.csrf("/login")
    form = {"username": "coordinator", "password": PASSWORDS["coordinator"], "csrf_token": token}
    response, _ = browser.request("POST", "/login", form)
    assert response.status == 303
    notice = {"title": "Rooster voor twee", "body": "Geschreven bij een van beide."}
    response, _ = browser.request(
        "POST", f"/projects/{project}/notices", {**notice, "csrf_token": browser.csrf("/")}
    )
    assert response.status == 303

    answered_by = {}
    for _ in range(60):
        response, text = browser.request("GET", f"/projects/{project}/notices")
        assert response.status == 200 and "Rooster voor twee" in text and "Uitloggen" in text
        request_id = response.getheader("x-request-id")
        time.sleep(0.02)  # the worker writes its log line after the answer went out
        line = re.search(rf"\[(\d+)\] tafel.requests: GET .* id={request_id}", read_log())
        if line:
            answered_by[line.group(1)] = request_id
        if len(answered_by) == 2:
            break
    assert len(answered_by) == 2, read_log()[-3000:]
    log = read_log()
    assert PASSWORDS["coordinator"] not in log and "csrf_token" not in log
    assert re.search(rf"POST /projects/{project}/notices 303 ", log)


@pytest.mark.parametrize(
    "options, trusted",
    [([], (False, "")), (["--forwarded-allow-ips", "127.0.0.1"], (True, "127.0.0.1"))],
)
def test_proxy_headers_are_trusted_only_from_the_given_addresses(
    db_url, data_dir, monkeypatch, options, trusted
):
    import uvicorn

    from webapp.cli import main

    calls = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append((app, kw)))
    monkeypatch.setenv("DATABASE_URL", db_url)
    assert main(["serve", "--host", "0.0.0.0", "--workers", "3", *options]) == 0
    app, kw = calls[0]
    assert app == "webapp.app:create_app" and kw["factory"] and kw["workers"] == 3
    assert (kw["proxy_headers"], kw["forwarded_allow_ips"]) == trusted
    assert kw["host"] == "0.0.0.0" and kw["access_log"] is False


def test_a_production_host_without_a_push_key_says_so_once_as_it_starts(
    db_url, data_dir, monkeypatch, capsys
):
    """Push is optional (docs/deploy.md section 4): production without
    TAFEL_VAPID_PRIVATE_KEY starts with messages to phones off, and `tafel serve` says so in
    one line of its log; with the key it says nothing of it."""
    import uvicorn

    from webapp.cli import main
    from webapp.core.commands import PUSH_OFF
    from webapp.settings import new_vapid_key

    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: None)
    for name, value in {"DATABASE_URL": db_url, "TAFEL_ENV": "production",
                        "TAFEL_BASE_URL": "https://tafel.example.org", "TAFEL_HTTPS": "1",
                        "TAFEL_SECRET_KEY": "k" * 50}.items():  # fmt: skip
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("TAFEL_VAPID_PRIVATE_KEY", raising=False)
    capsys.readouterr()
    assert main(["serve", "--workers", "2"]) == 0
    assert capsys.readouterr().err.splitlines() == [PUSH_OFF]
    monkeypatch.setenv("TAFEL_VAPID_PRIVATE_KEY", new_vapid_key())
    assert main(["serve", "--workers", "2"]) == 0
    assert capsys.readouterr().err == ""
