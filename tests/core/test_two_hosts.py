"""Issue 25, point 4 (its first part): two Tafel hosts on one PostgreSQL behind Caddy (round
robin, health checks on /healthz), sharing only the database and their settings. A login
whose form comes from one host and whose answer goes to the other works; a receipt uploaded
through the proxy downloads from either host; "log out everywhere" (a new password) holds on
both hosts at the next request. docs/deploy.md "Several hosts" has the proxy's settings."""

import os
import re
import shutil
import subprocess
import time

import httpx2 as httpx
import pytest

from models.budget import SubBudget
from models.db import database, open_database
from tests.conftest import BACKEND, FIXED_MOMENT, PASSWORDS
from tests.core.test_backup import JPEG
from tests.running_server import RunningServer, free_port

pytestmark = pytest.mark.skipif(
    BACKEND != "postgresql", reason="several hosts share one PostgreSQL (its own run)"
)

CADDYFILE = """{{
	admin off
	auto_https off
	storage file_system {root}
}}
http://127.0.0.1:{port} {{
	reverse_proxy 127.0.0.1:{first} 127.0.0.1:{second} {{
		lb_policy round_robin
		lb_retries 2
		health_uri /healthz
		health_interval 1s
	}}
}}
"""


class Caddy:
    """Debian's caddy as the proxy in front of the hosts; use as a context manager."""

    def __init__(self, folder, hosts):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.folder = folder
        first, second = (h.port for h in hosts)
        text = CADDYFILE.format(root=folder, port=self.port, first=first, second=second)
        (folder / "Caddyfile").write_text(text)

    def __enter__(self):
        env = {**os.environ, "HOME": str(self.folder), "XDG_DATA_HOME": str(self.folder),
               "XDG_CONFIG_HOME": str(self.folder)}  # fmt: skip
        command = ["caddy", "run", "--config", str(self.folder / "Caddyfile"),
                   "--adapter", "caddyfile"]  # fmt: skip
        self._log = open(self.folder / "caddy.log", "w")  # noqa: SIM115 - closed in __exit__
        self.process = subprocess.Popen(command, env=env, stdout=self._log, stderr=self._log)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.url + "/healthz", timeout=1).status_code == 200:
                    return self
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        self.__exit__()
        raise RuntimeError((self.folder / "caddy.log").read_text())

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=10)
        self._log.close()


def csrf(client, url="/login") -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(url).text)[1]


def log_in(client, username: str, password: str) -> None:
    token = csrf(client)  # the form from one host, the answer to the other (round robin)
    data = {"username": username, "password": password, "csrf_token": token}
    assert client.post("/login", data=data).status_code == 303


def on(host, client) -> httpx.Client:
    """A client of one host directly, with the cookies `client` got through the proxy."""
    return httpx.Client(base_url=host.url, cookies=client.cookies, timeout=30)


def test_two_hosts_behind_caddy_share_receipts_and_sessions(db_url, tmp_path):
    if shutil.which("caddy") is None:
        if os.environ.get("CI"):
            pytest.fail("caddy is missing (.ci/run installs Debian's caddy)")
        pytest.skip("caddy is not installed (apt-get install caddy)")
    (tmp_path / "one").mkdir(), (tmp_path / "two").mkdir(), (tmp_path / "proxy").mkdir()
    open_database(db_url)
    with database.connection_context():
        sub = str(SubBudget.get(SubBudget.name == "Reiskosten vrijwilligers").id)
    database.close()
    with (
        RunningServer(db_url, tmp_path / "one", workers=1, moment=FIXED_MOMENT) as one,
        RunningServer(db_url, tmp_path / "two", workers=1, moment=FIXED_MOMENT) as two,
        Caddy(tmp_path / "proxy", [one, two]) as proxy,
        httpx.Client(base_url=proxy.url, timeout=30) as priya,
        httpx.Client(base_url=proxy.url, timeout=30) as elsewhere,
    ):
        log_in(priya, "priya", PASSWORDS["priya"])
        log_in(elsewhere, "priya", PASSWORDS["priya"])

        answer = priya.post(
            "/budget/claims",
            data={"csrf_token": csrf(priya, "/"), "kind": "travel_public", "sub_budget": sub,
                  "spent_on": FIXED_MOMENT.date().isoformat(), "km": "", "amount": "6,40",
                  "description": "Trein"},
            files={"receipt": ("kaartje.jpg", JPEG, "image/jpeg")},
        )  # fmt: skip
        assert answer.status_code == 303, answer.text[-1500:]
        receipt = answer.headers["location"] + "/receipt"
        served = []
        for host in (one, two):
            got = on(host, priya).get(receipt)
            assert got.status_code == 200, (host.url, got.status_code)
            served.append(got.content)
        assert served[0] == served[1] and served[0].startswith(b"\xff\xd8\xff")

        # A new password signs priya out everywhere else: on both hosts, at the next request.
        new = "een nieuw wachtwoord voor twee hosts"
        changed = priya.post(
            "/account/password",
            data={"csrf_token": csrf(priya, "/account"), "current": PASSWORDS["priya"],
                  "password": new, "repeat": new},
        )  # fmt: skip
        assert changed.status_code == 303, changed.text[-1500:]
        for host in (one, two):
            gone = on(host, elsewhere).get("/budget/claims")
            assert gone.status_code == 303 and "/login" in gone.headers["location"], host.url
            kept = on(host, priya).get("/budget/claims")
            assert kept.status_code == 200, host.url
        assert "Traceback" not in one.log() + two.log()
