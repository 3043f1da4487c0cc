"""Issue 25, points 3 and 4: two production Tafel hosts on one PostgreSQL behind Caddy,
sharing only the database, the object store and their settings, each with its background
jobs' ticker (TAFEL_JOBS=1).

Each host is `tafel serve` (webapp.cli's `main`, as the installed command runs it, on the
suite's clock: tests/running_server.py `tafel`), started as docs/deploy.md "Several hosts"
says: TAFEL_ENV=production, the same secret key, push key and object store (moto's S3) from
the environment. Its data folder and home are read-only (mode 0500) and TMPDIR is a folder of
its own: after the run the data folder and the home are as they were, file by file (the suite
may run as root, which a mode does not stop, so the comparison is the proof).

One walk, the requests taking turns between the hosts (round robin; each host's request log
shows which one answered): proposals whose closing moment passed while no host ran are
closed exactly once when both hosts start at the same moment (one audit line each), and the
cleaning job forgets an expired session; logging in (the form from one host, the answer to
the other), a stance, a claim with a receipt that downloads from either host, "log out
everywhere" holding on both hosts at the next request. Then one host is killed while GET
requests wait on it (it is paused first, so they are surely in flight) and the proxy
answers them from the other host; the rest of the walk (minutes, the ledger import, pages)
goes on through the proxy without one failed request, and no write is lost.

The proxy's configuration is the one docs/deploy.md "Several hosts" shows: the test reads it
from there and only puts in the addresses (`caddyfile`)."""

import datetime as dt
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path

import httpx2 as httpx
import pytest

from models import schema
from models.accounts import Account, UserSession
from models.accounts.audit import AuditEntry
from models.actor import Actor
from models.budget import Claim, LedgerEntry, SubBudget
from models.budget.receipt_store import ReceiptFile, S3Store
from models.budget.tables import LedgerImport
from models.db import build_database, database, open_database
from models.meetings import Minutes, Proposal, Stance
from models.meetings.between import default_closing, propose_between
from tests.conftest import BACKEND, FIXED_MOMENT, PASSWORDS
from tests.core.conftest import BUCKET
from tests.core.test_backup import JPEG
from tests.meetings.conftest import person_id, project_id
from tests.running_server import RunningServer, free_port
from webapp.core.commands import PUSH_OFF
from webapp.settings import new_key, new_vapid_key

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
    """The Caddyfile of docs/deploy.md "Several hosts", with the test's addresses (the hosts'
    TAFEL_BASE_URL is the proxy's address, so the health check names 127.0.0.1)."""
    text = DEPLOY.read_text().split("## Several hosts", 1)[1]
    doc = re.search(r"cat > /etc/caddy/Caddyfile <<'END'\n(.*?\n)END\n", text, re.S)[1]
    for old, new in [
        ("tafel.example.org {", f"http://127.0.0.1:{port} {{"),
        ("10.0.0.11:8000 10.0.0.12:8000", f"127.0.0.1:{first} 127.0.0.1:{second}"),
        ("Host tafel.example.org", "Host 127.0.0.1"),
    ]:
        assert doc.count(old) == 1, old
        doc = doc.replace(old, new)
    return TEST_OPTIONS.format(root=root) + doc


class Caddy:
    """Debian's caddy as the proxy in front of the hosts; use as a context manager."""

    def __init__(self, folder, port: int, hosts):
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.folder = folder
        first, second = (h.port for h in hosts)
        (folder / "Caddyfile").write_text(caddyfile(folder, port, first, second))

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


def files_in(folder: Path) -> dict:
    """Every name under `folder` with its size and last change, the folder's own included
    (a file made and removed again changes the folder's)."""
    return {
        str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns)
        for p in (folder, *folder.rglob("*"))
    }


class Host(RunningServer):
    """`tafel serve` as a production host: the settings every host shares, and a data folder,
    a temporary folder (TMPDIR) and a home of its own; the data folder and home read-only."""

    def __init__(self, folder: Path, settings: dict):
        for name in ("data", "tmp", "home"):
            (folder / name).mkdir(parents=True)
        super().__init__(settings["DATABASE_URL"], folder / "data", workers=1, moment=FIXED_MOMENT)
        self.log_path = folder / "server.log"  # beside the data folder, never in it
        own = {"TAFEL_DATA_DIR": folder / "data", "TMPDIR": folder / "tmp", "HOME": folder / "home"}
        self.env |= settings | {name: str(path) for name, path in own.items()}
        self.kept = [folder / "data", folder / "home"]
        for path in self.kept:
            path.chmod(0o500)
        self.files_before = [files_in(path) for path in self.kept]

    def command(self) -> list[str]:
        """`tafel serve` as docs/deploy.md's service runs it (one worker, so the suite's
        clock holds in the process that serves)."""
        return [sys.executable, "-m", "tests.running_server", "serve", "--host", "127.0.0.1",
                "--port", str(self.port), "--workers", "1",
                "--forwarded-allow-ips", "127.0.0.1"]  # fmt: skip

    def answered(self) -> set[str]:
        """The ids of the requests this host answered, from its request log."""
        return set(re.findall(r" tafel\.requests: .* id=(\w+)$", self.log(), re.M))


def form(client, url="/login") -> tuple[str, str]:
    """A page's CSRF token, and the id of the request that fetched it."""
    page = client.get(url)
    assert page.status_code == 200, (url, page.status_code)  # a 502: the proxy gave up
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)[1]
    return token, page.headers["x-request-id"]


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
    db_url, tmp_path, moto_s3
):
    if shutil.which("caddy") is None:
        if os.environ.get("CI"):
            pytest.fail("caddy is missing (.ci/run installs Debian's caddy)")
        pytest.skip("caddy is not installed (apt-get install caddy)")
    t = prepare(db_url)
    proxy_port = free_port()
    prefix = f"t{os.urandom(4).hex()}"
    # The one settings file every host gets (docs/deploy.md "Several hosts").
    settings = {"DATABASE_URL": db_url, "TAFEL_ENV": "production",
                "TAFEL_BASE_URL": f"http://127.0.0.1:{proxy_port}",
                "TAFEL_SECRET_KEY": new_key(), "TAFEL_VAPID_PRIVATE_KEY": new_vapid_key(),
                "TAFEL_RECEIPTS": f"s3://{BUCKET}/{prefix}", **moto_s3,
                "TAFEL_JOBS": "1"}  # fmt: skip
    one, two = Host(tmp_path / "one", settings), Host(tmp_path / "two", settings)
    (tmp_path / "proxy").mkdir()
    through_proxy = []  # the id of every answer through the proxy, in order
    forms = []  # (the request that fetched a form, the one that posted it)
    with ExitStack() as stack:
        for host in (one, two):  # both start (and migrate) at the same moment, each a ticker
            host.start()
            stack.callback(host.__exit__)
        one.wait_until_ready(), two.wait_until_ready()
        proxy = stack.enter_context(Caddy(tmp_path / "proxy", proxy_port, [one, two]))

        def client_of_the_proxy(cookies=None) -> httpx.Client:
            noted = {"response": [lambda r: through_proxy.append(r.headers.get("x-request-id"))]}
            client = httpx.Client(base_url=proxy.url, timeout=30, cookies=cookies,
                                  event_hooks=noted)  # fmt: skip
            return stack.enter_context(client)

        def post(client, url, form_url, data, **more):
            """Fetch the form at `form_url`, then post `data` with its token to `url`."""
            token, fetched = form(client, form_url)
            answer = client.post(url, data={"csrf_token": token, **data}, **more)
            forms.append((fetched, answer.headers["x-request-id"]))
            return answer

        logins = {"priya": "priya", "elsewhere": "priya", "anouk": "anouk",
                  "coordinator": "coordinator", "penningmeester": "penningmeester"}  # fmt: skip
        client = {}
        for name, username in logins.items():
            client[name] = client_of_the_proxy()
            data = {"username": username, "password": PASSWORDS[username]}
            assert post(client[name], "/login", "/login", data).status_code == 303
        priya = client["priya"]

        stance = post(client["anouk"], f"/proposals/{t['proposal']}/stance", "/",
                      {"kind": "concern", "reason": "Twee hosts, één standpunt"})  # fmt: skip
        assert stance.status_code < 400, stance.text[-1500:]

        answer = post(
            priya, "/budget/claims", "/",
            {"kind": "travel_public", "sub_budget": str(t["sub"]),
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
        changed = post(priya, "/account/password", "/account",
                       {"current": PASSWORDS["priya"], "password": new, "repeat": new})  # fmt: skip
        assert changed.status_code == 303, changed.text[-1500:]
        for host in (one, two):
            gone = on(host, client["elsewhere"]).get("/budget/claims")
            assert gone.status_code == 303 and "/login" in gone.headers["location"], host.url
            kept = on(host, priya).get("/budget/claims")
            assert kept.status_code == 200, host.url
        before_the_kill = len(through_proxy)

        # One host dies in the middle of the run (no goodbye), while GET requests wait on it:
        # paused first, it takes the requests that are its turn and answers none. The proxy
        # sends them again to the other host: none fails.
        one.process.send_signal(signal.SIGSTOP)
        readers = [client_of_the_proxy(priya.cookies) for _ in range(4)]
        with ThreadPoolExecutor(len(readers)) as pool:
            pages = [pool.submit(reader.get, "/budget/claims") for reader in readers]
            deadline = time.monotonic() + 10
            while sum(p.done() for p in pages) < len(pages) // 2:
                assert time.monotonic() < deadline, "the other host answered nothing"
                time.sleep(0.05)
            time.sleep(0.2)
            waiting = sum(not p.done() for p in pages)
            one.process.kill()
            one.process.wait()
            statuses = [p.result().status_code for p in pages]
        assert waiting >= 1 and statuses == [200] * len(pages), (waiting, statuses)

        # The rest of the walk, writes included, through the proxy with one host left.
        written = {"text": "Verslag over twee hosts", "version": str(t["version"])}
        minutes = post(client["coordinator"], f"/meetings/{t['meeting']}/minutes", "/", written)
        assert minutes.status_code < 400, minutes.text[-1500:]
        ledger = (
            "id,date,post,sub_budget,description,amount,kind,reverses\n"
            f"h1,{FIXED_MOMENT.date().isoformat()},{t['post']},{t['sub_name']},"
            "Twee hosts,-12.00,spending,\n"
        ).encode()
        imported = post(client["penningmeester"], "/budget/import/ledger", "/budget/files", {},
                        files={"file": ("ledger.csv", ledger, "text/csv")})  # fmt: skip
        assert imported.status_code == 200 and "banner-ok" in imported.text, imported.text[-1500:]
        for page in ("/", "/budget/claims", "/account", "/", "/budget/claims", "/account"):
            assert priya.get(page).status_code == 200, page
        for host in (one, two):
            log = host.log()
            assert "Traceback" not in log and "tafel.errors" not in log, log[-3000:]
            assert "Application startup complete" in log and PUSH_OFF not in log

    # The turns (the hosts stopped, so every request line is written): before the kill each
    # host answered half of the requests through the proxy, and at least one form fetched
    # through one host was posted to the other.
    by_one, by_two = one.answered(), two.answered()
    turns = [r for r in through_proxy[:before_the_kill] if r in by_one | by_two]
    ones = sum(r in by_one for r in turns)
    assert len(turns) >= 12 and abs(2 * ones - len(turns)) <= 2, (ones, len(turns))
    assert any((a in by_one and b in by_two) or (a in by_two and b in by_one) for a, b in forms)
    assert not by_one & set(through_proxy[before_the_kill:])  # after the kill: host two only

    # No host wrote a file outside its temporary folder.
    for host in (one, two):
        assert [files_in(path) for path in host.kept] == host.files_before, host.url

    open_database(db_url)
    with database.connection_context():
        # Every write landed, once; the receipt in the object store, not in the database.
        assert Stance.select().where(Stance.reason == "Twee hosts, één standpunt").count() == 1
        text = Minutes.get(Minutes.meeting == t["meeting"]).text
        assert text == "Verslag over twee hosts"
        assert LedgerImport.select().count() == t["imports"] + 1
        assert LedgerEntry.select().where(LedgerEntry.description == "Twee hosts").count() == 1
        name = Claim.select().order_by(Claim.id.desc()).first().receipt
        assert S3Store(BUCKET, prefix).get(name) == served[0]
        assert not ReceiptFile.select().where(ReceiptFile.name == name).exists()
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
