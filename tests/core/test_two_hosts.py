"""Issue 25, points 3 and 4: two Tafel hosts on one PostgreSQL behind Caddy, sharing only
the database and their settings, each with its background jobs' ticker (TAFEL_JOBS=1).

One walk, with requests alternating between the hosts (round robin): proposals whose closing
moment passed while no host ran are closed exactly once when both hosts start at the same
moment (one audit line each), and the cleaning job forgets an expired session; log in (the
form from one host, the answer to the other), a stance, a claim with a receipt that
downloads from either host, "log out everywhere" holding on both hosts at the next request;
then one host is killed and the rest of the walk (minutes, the ledger import, pages) goes on
through the proxy without one failed request, and no write is lost.

The proxy's configuration is the one docs/deploy.md "Several hosts" shows: the test reads it
from there and only puts in the addresses (`caddyfile`)."""

import datetime as dt
import os
import re
import shutil
import subprocess
import threading
import time
from contextlib import ExitStack
from pathlib import Path

import httpx2 as httpx
import pytest

from models import schema
from models.accounts import Account, UserSession
from models.accounts.audit import AuditEntry
from models.actor import Actor
from models.budget import LedgerEntry, SubBudget
from models.budget.tables import LedgerImport
from models.db import build_database, database, open_database
from models.meetings import Minutes, Proposal, Stance
from models.meetings.between import default_closing, propose_between
from tests.conftest import BACKEND, FIXED_MOMENT, PASSWORDS
from tests.core.test_backup import JPEG
from tests.meetings.conftest import person_id, project_id
from tests.running_server import RunningServer, free_port

pytestmark = pytest.mark.skipif(
    BACKEND != "postgresql", reason="several hosts share one PostgreSQL (its own run)"
)

DEPLOY = Path(__file__).resolve().parents[2] / "docs" / "deploy.md"
# Only for the test: no admin port, no certificates, Caddy's own files in the test's folder.
TEST_OPTIONS = """{{
	admin off
	auto_https off
	storage file_system {root}
}}
"""


def caddyfile(root, port: int, first: int, second: int) -> str:
    """The Caddyfile of docs/deploy.md "Several hosts", with the test's addresses."""
    text = DEPLOY.read_text().split("## Several hosts", 1)[1]
    doc = re.search(r"cat > /etc/caddy/Caddyfile <<'END'\n(.*?\n)END\n", text, re.S)[1]
    for old, new in [
        ("tafel.example.org {", f"http://127.0.0.1:{port} {{"),
        ("10.0.0.11:8000 10.0.0.12:8000", f"127.0.0.1:{first} 127.0.0.1:{second}"),
    ]:
        assert doc.count(old) == 1, old
        doc = doc.replace(old, new)
    return TEST_OPTIONS.format(root=root) + doc


class Caddy:
    """Debian's caddy as the proxy in front of the hosts; use as a context manager."""

    def __init__(self, folder, hosts):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.folder = folder
        first, second = (h.port for h in hosts)
        (folder / "Caddyfile").write_text(caddyfile(folder, self.port, first, second))

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
    page = client.get(url)
    assert page.status_code == 200, (url, page.status_code)  # a 502: the proxy gave up
    return re.search(r'name="csrf_token" value="([^"]+)"', page.text)[1]


def log_in(client, username: str, password: str) -> None:
    token = csrf(client)  # the form from one host, the answer to the other (round robin)
    data = {"username": username, "password": password, "csrf_token": token}
    assert client.post("/login", data=data).status_code == 303


def on(host, client) -> httpx.Client:
    """A client of one host directly, with the cookies `client` got through the proxy."""
    return httpx.Client(base_url=host.url, cookies=client.cookies, timeout=30)


def prepare(db_url) -> dict:
    """What the walk needs, and what became due while no host ran: four proposals between
    meetings whose closing moment passed an hour ago, and a session idle for a day."""
    open_database(db_url)
    with database.connection_context(), database.atomic():
        own = project_id()
        sub = SubBudget.get(SubBudget.name == "Reiskosten vrijwilligers")
        minutes = Minutes.select().where(Minutes.state == "draft").order_by(Minutes.id).first()
        stance_on = Proposal.get(
            (Proposal.project == own) & (Proposal.state == "open") & Proposal.closes_at.is_null()
        ).id
        anouk = Actor(person_id=person_id("Anouk B."))
        overdue = [
            propose_between(own, f"Printer {i}", "Een cartridge.", default_closing(), anouk).id
            for i in range(4)
        ]
        passed = FIXED_MOMENT - dt.timedelta(hours=1)
        Proposal.update(closes_at=passed).where(Proposal.id.in_(overdue)).execute()
        idle = UserSession.create(
            key_hash="idle" * 16, account=Account.get(Account.username == "anouk"),
            created_at=FIXED_MOMENT - dt.timedelta(days=2),
            last_seen_at=FIXED_MOMENT - dt.timedelta(days=1),
        )  # fmt: skip
        imports = LedgerImport.select().count()
        found = {"sub": sub.id, "post": sub.post.name, "sub_name": sub.name,
                 "meeting": minutes.meeting_id, "version": minutes.version,
                 "proposal": stance_on, "overdue": overdue, "idle": idle.id,
                 "imports": imports}  # fmt: skip
    database.close()
    return found


def test_two_hosts_behind_caddy_share_everything_run_jobs_once_and_survive_one_dying(
    db_url, tmp_path
):
    if shutil.which("caddy") is None:
        if os.environ.get("CI"):
            pytest.fail("caddy is missing (.ci/run installs Debian's caddy)")
        pytest.skip("caddy is not installed (apt-get install caddy)")
    (tmp_path / "one").mkdir(), (tmp_path / "two").mkdir(), (tmp_path / "proxy").mkdir()
    t = prepare(db_url)
    one = RunningServer(db_url, tmp_path / "one", workers=1, moment=FIXED_MOMENT)
    two = RunningServer(db_url, tmp_path / "two", workers=1, moment=FIXED_MOMENT)
    with ExitStack() as stack:
        for host in (one, two):  # both start at the same moment, each with its ticker
            host.env["TAFEL_JOBS"] = "1"
            host.start()
            stack.callback(host.__exit__)
        one.wait_until_ready(), two.wait_until_ready()
        proxy = stack.enter_context(Caddy(tmp_path / "proxy", [one, two]))
        logins = {"priya": "priya", "elsewhere": "priya", "anouk": "anouk",
                  "coordinator": "coordinator", "penningmeester": "penningmeester"}  # fmt: skip
        client = {}
        for name, username in logins.items():
            client[name] = stack.enter_context(httpx.Client(base_url=proxy.url, timeout=30))
            log_in(client[name], username, PASSWORDS[username])
        priya = client["priya"]

        stance = client["anouk"].post(
            f"/proposals/{t['proposal']}/stance",
            data={"csrf_token": csrf(client["anouk"], "/"), "kind": "concern",
                  "reason": "Twee hosts, één standpunt"},
        )  # fmt: skip
        assert stance.status_code < 400, stance.text[-1500:]

        answer = priya.post(
            "/budget/claims",
            data={"csrf_token": csrf(priya, "/"), "kind": "travel_public",
                  "sub_budget": str(t["sub"]), "spent_on": FIXED_MOMENT.date().isoformat(),
                  "km": "", "amount": "6,40", "description": "Trein"},
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
            gone = on(host, client["elsewhere"]).get("/budget/claims")
            assert gone.status_code == 303 and "/login" in gone.headers["location"], host.url
            kept = on(host, priya).get("/budget/claims")
            assert kept.status_code == 200, host.url

        # One host dies in the middle of the run (no goodbye). The proxy sends the requests
        # that were its turn to the other host: none fails, none is lost.
        one.process.kill()
        one.process.wait()
        coordinator = client["coordinator"]
        minutes = coordinator.post(
            f"/meetings/{t['meeting']}/minutes",
            data={"csrf_token": csrf(coordinator, "/"), "text": "Verslag over twee hosts",
                  "version": str(t["version"])},
        )  # fmt: skip
        assert minutes.status_code < 400, minutes.text[-1500:]
        treasurer = client["penningmeester"]
        ledger = (
            "id,date,post,sub_budget,description,amount,kind,reverses\n"
            f"h1,{FIXED_MOMENT.date().isoformat()},{t['post']},{t['sub_name']},"
            "Twee hosts,-12.00,spending,\n"
        ).encode()
        imported = treasurer.post(
            "/budget/import/ledger", data={"csrf_token": csrf(treasurer, "/budget/files")},
            files={"file": ("ledger.csv", ledger, "text/csv")},
        )  # fmt: skip
        assert imported.status_code == 200 and "banner-ok" in imported.text, imported.text[-1500:]
        for page in ("/", "/budget/claims", "/account", "/", "/budget/claims", "/account"):
            assert priya.get(page).status_code == 200, page
        assert "Traceback" not in one.log() + two.log()

    open_database(db_url)
    with database.connection_context():
        # Every write landed, once.
        assert Stance.select().where(Stance.reason == "Twee hosts, één standpunt").count() == 1
        text = Minutes.get(Minutes.meeting == t["meeting"]).text
        assert text == "Verslag over twee hosts"
        assert LedgerImport.select().count() == t["imports"] + 1
        assert LedgerEntry.select().where(LedgerEntry.description == "Twee hosts").count() == 1
        # The jobs: each overdue proposal closed once (one audit line), the idle session gone.
        closes = AuditEntry.select().where(
            (AuditEntry.action == "decision.close") & AuditEntry.object_id.in_(t["overdue"])
        )
        assert sorted(e.object_id for e in closes) == sorted(t["overdue"])
        assert (
            not Proposal.select()
            .where(Proposal.id.in_(t["overdue"]) & (Proposal.state == "open"))
            .exists()
        )
        assert UserSession.get_or_none(id=t["idle"]) is None
    database.close()


def test_hosts_that_start_together_take_turns_to_migrate(databases, tmp_path, monkeypatch):
    """`tafel serve` migrates as it starts, so hosts started together after an upgrade
    migrate together: the first applies what is pending, the others wait for it and find
    nothing left (before, the second failed to start on a duplicate key)."""
    steps = tmp_path / "migrations"
    steps.mkdir()
    (steps / "0001_slow.py").write_text(
        "import time\n\n\ndef up(migrator, db):\n"
        "    db.execute_sql('CREATE TABLE slow (id integer)')\n"
        "    time.sleep(0.3)\n"
    )
    monkeypatch.setattr(schema, "MIGRATIONS", steps)
    url = databases.fresh()
    db = build_database(url)
    start, applied = threading.Barrier(2), []

    def host():
        start.wait()
        try:
            applied.append(schema.migrate(db))
        except Exception as exc:  # noqa: BLE001 - the failure is what the test reports
            applied.append(exc)
        finally:
            db.close()

    hosts = [threading.Thread(target=host) for _ in range(2)]
    for thread in hosts:
        thread.start()
    for thread in hosts:
        thread.join()
    db.close_all()
    databases.discard(url)
    assert len(applied) == 2 and [] in applied and ["0001_slow"] in applied, applied
