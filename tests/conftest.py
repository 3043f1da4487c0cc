"""Shared fixtures: a demo database per test (SQLite file or PostgreSQL database), the app,
clients signed in as the demo accounts, and a query counter.

TAFEL_TEST_BACKEND=postgresql (with TAFEL_TEST_DATABASE_URL) runs everything on PostgreSQL:
the run makes a template database of its own, copies it for each test and drops them all at
the end.
"""

import base64
import datetime as dt
import io
import json
import os
import queue
import re
import shutil
import threading
import uuid
from pathlib import Path
from urllib.parse import urlparse

import pytest
from hypothesis import settings as hypothesis_settings
from starlette.testclient import TestClient

from models import clock, schema, tenancy
from models.accounts import passwords
from models.db import database, open_database, queries
from tests.database import close_all
from tests.html_checker import vnu  # noqa: F401 (the Nu HTML checker, one per process)

BACKEND = os.environ.get("TAFEL_TEST_BACKEND", "sqlite")
# No background-job ticker in the apps the tests build: a test runs the jobs itself, at the
# moment it chooses (tests/core/test_jobs.py starts the ticker on purpose).
os.environ["TAFEL_JOBS"] = "0"
# PostgreSQL: the role the app uses on the demo databases (owns nothing, bypasses nothing).
APP_ROLE = "tafel_app"
# TAFEL_TEST_PGBOUNCER=127.0.0.1:6432: the app reaches each test's database through PgBouncer
# in transaction mode (.ci/pgbouncer), as a pooled production install would.
PGBOUNCER = os.environ.get("TAFEL_TEST_PGBOUNCER", "")
# A fresh database's first organisation (migration 0015 makes sure there is one).
FIRST_ORGANISATION = 1
PG_URL = os.environ.get("TAFEL_TEST_DATABASE_URL", "")

# The demo accounts (seeds/demo.py) standing for the four kinds of viewer every route is
# tested with, plus the treasurer and the administrator.
PASSWORDS = {
    "beheer": "beheer-tafel-2026",
    "coordinator": "coordinator-tafel-2026",
    "penningmeester": "penning-tafel-2026",
    "anouk": "anouk-tafel-2026",
    "priya": "priya-tafel-2026",
}
VIEWERS = {"anonymous": None, "member": "anouk", "coordinator": "coordinator", "other": "priya"}
# The member's project (anouk and the coordinator are in it; priya is not).
MEMBER_PROJECT = "Uitgeverij Woordwerk"
OTHER_PROJECT = "Fietswerkplaats Op Weg"


# The whole suite runs on a fixed clock: no test may depend on the calendar date. A plain
# Wednesday in June, 10:00 in Amsterdam. Tests of date rules run again on the dates in
# SPECIAL_DATES (fixture `on_date`).
FIXED_MOMENT = dt.datetime(2026, 6, 17, 8, 0)
SPECIAL_DATES = {
    "first-tuesday": dt.datetime(2026, 9, 1, 8, 0),
    "new-years-eve": dt.datetime(2026, 12, 31, 22, 30),  # 23:30 in Amsterdam
    "leap-day": dt.datetime(2028, 2, 29, 8, 0),
}


# Property tests run the same examples every time (a red run can be repeated); set
# TAFEL_HYPOTHESIS=explore to let hypothesis search afresh (random examples, 1,000 for each
# test that sets no count of its own).
hypothesis_settings.register_profile("repeatable", derandomize=True, deadline=None)
hypothesis_settings.register_profile("explore", deadline=None, max_examples=1000)
hypothesis_settings.load_profile(os.environ.get("TAFEL_HYPOTHESIS", "repeatable"))


def pytest_configure(config):
    """Every test (and every module-level constant) sees the same moment, on any real date."""
    config.fixed_clock = clock.fixed(FIXED_MOMENT)
    config.fixed_clock.__enter__()
    passwords.use_light_hashing()


def pytest_collection_modifyitems(config, items):
    """On PostgreSQL, a test that never reaches a database (no `pg_server` among its fixtures:
    the pure rules, files, the docs, the translations, the layout) would be the very same test
    as on SQLite, so it runs once, in the SQLite run (`make test` runs both side by side). So
    do the W3C checker's tests (`vnu`): markup comes from the templates, and every page is
    still rendered on PostgreSQL by the access, fuzz and query-count walks; and tests marked
    `once` (the per-field fuzz's check that its valid submission is taken: the forms' own
    content, while the fuzz itself runs on both; the CSRF walk: the token check reads no
    database)."""
    if BACKEND != "postgresql":
        return
    keep = [
        item
        for item in items
        if "pg_server" in getattr(item, "fixturenames", ())
        and "vnu" not in getattr(item, "fixturenames", ())
        and item.get_closest_marker("once") is None
    ]
    if len(keep) < len(items):
        config.hook.pytest_deselected(items=[item for item in items if item not in keep])
        items[:] = keep


def pytest_unconfigure(config):
    config.fixed_clock.__exit__(None, None, None)


@pytest.fixture(params=sorted(SPECIAL_DATES))
def on_date(request):
    """Run a test again on each special date (the clock stands there for the whole test).

    Tests taking this fixture before `db_url` get a demo built on that date.
    """
    with clock.fixed(SPECIAL_DATES[request.param]) as moment:
        yield moment


# What a test's database may not have changed for it to be handed to the next test with only
# its rows put back: every object in the database's own schemas (tables, columns, defaults,
# indexes, sequences, constraints, triggers, functions, policies, rules, types), its settings
# and extensions. A test that changed any of it gets its copy dropped, as before.
SCHEMA_FINGERPRINT = """
WITH ns AS (
    SELECT oid FROM pg_namespace
    WHERE nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
      AND nspname NOT LIKE 'pg_temp_%' AND nspname NOT LIKE 'pg_toast_temp_%'
), rel AS (SELECT c.oid FROM pg_class c WHERE c.relnamespace IN (SELECT oid FROM ns))
SELECT md5(concat_ws('|',
    (SELECT string_agg(oid::text, ',' ORDER BY oid) FROM ns),
    (SELECT string_agg(concat_ws(':', c.oid, c.relname, c.relkind, c.relfilenode,
                                 c.relrowsecurity, c.relforcerowsecurity, c.relacl::text,
                                 c.reloptions::text), ',' ORDER BY c.oid)
     FROM pg_class c WHERE c.oid IN (SELECT oid FROM rel)),
    (SELECT string_agg(concat_ws(':', a.attrelid, a.attnum, a.attname, a.atttypid,
                                 a.atttypmod, a.attnotnull, a.atthasdef, a.attisdropped),
                       ',' ORDER BY a.attrelid, a.attnum)
     FROM pg_attribute a WHERE a.attrelid IN (SELECT oid FROM rel)),
    (SELECT string_agg(concat_ws(':', d.oid, md5(pg_get_expr(d.adbin, d.adrelid))), ','
                       ORDER BY d.oid)
     FROM pg_attrdef d WHERE d.adrelid IN (SELECT oid FROM rel)),
    (SELECT string_agg(oid::text, ',' ORDER BY oid) FROM pg_constraint
     WHERE connamespace IN (SELECT oid FROM ns)),
    (SELECT string_agg(concat_ws(':', oid, tgenabled), ',' ORDER BY oid) FROM pg_trigger
     WHERE tgrelid IN (SELECT oid FROM rel)),
    (SELECT string_agg(concat_ws(':', oid, md5(prosrc)), ',' ORDER BY oid) FROM pg_proc
     WHERE pronamespace IN (SELECT oid FROM ns)),
    (SELECT string_agg(oid::text, ',' ORDER BY oid) FROM pg_type
     WHERE typnamespace IN (SELECT oid FROM ns)),
    (SELECT string_agg(concat_ws(':', seqrelid, seqtypid, seqstart, seqincrement, seqmax,
                                 seqmin, seqcache, seqcycle), ',' ORDER BY seqrelid)
     FROM pg_sequence WHERE seqrelid IN (SELECT oid FROM rel)),
    (SELECT string_agg(oid::text, ',' ORDER BY oid) FROM pg_policy),
    (SELECT string_agg(oid::text, ',' ORDER BY oid) FROM pg_rewrite
     WHERE ev_class IN (SELECT oid FROM rel)),
    (SELECT string_agg(oid::text, ',' ORDER BY oid) FROM pg_extension),
    (SELECT string_agg(oid::text, ',' ORDER BY oid) FROM pg_event_trigger),
    (SELECT string_agg(setconfig::text, ',') FROM pg_db_role_setting
     WHERE setdatabase = (SELECT oid FROM pg_database WHERE datname = current_database()))
))
"""


class Snapshot:
    """A template database's rows (COPY, binary) and sequence positions, taken once, to put
    back into a copy a test has used: far cheaper than a new copy (CREATE DATABASE writes the
    whole database, system catalogs included, to the WAL, and DROP DATABASE waits for a
    checkpoint; a new database's first connection builds its catalog caches anew)."""

    def __init__(self, conn):
        with conn.cursor() as cur:
            cur.execute(SCHEMA_FINGERPRINT)
            self.fingerprint = cur.fetchone()[0]
            cur.execute(
                "SELECT quote_ident(schemaname) || '.' || quote_ident(tablename) FROM pg_tables"
                " WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1"
            )
            self.tables = [name for (name,) in cur.fetchall()]
            self.rows = {}
            for table in self.tables:
                buffer = io.BytesIO()
                cur.copy_expert(f"COPY {table} TO STDOUT (FORMAT binary)", buffer)
                self.rows[table] = buffer.getvalue()
            cur.execute(
                "SELECT quote_ident(schemaname) || '.' || quote_ident(sequencename), start_value,"
                " last_value FROM pg_sequences"
                " WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"
            )
            self.sequences = cur.fetchall()
        conn.rollback()

    def restore(self, conn) -> bool:
        """Put the template's rows back; False (and nothing done) when the schema changed."""
        with conn.cursor() as cur:
            cur.execute(SCHEMA_FINGERPRINT)
            if cur.fetchone()[0] != self.fingerprint:
                conn.rollback()
                return False
            # Rows go back in any order: no foreign key or trigger fires while they do.
            cur.execute("SET LOCAL session_replication_role = replica")
            cur.execute("; ".join(f"DELETE FROM {table}" for table in self.tables))
            for table in self.tables:
                if self.rows[table]:
                    cur.copy_expert(
                        f"COPY {table} FROM STDIN (FORMAT binary)", io.BytesIO(self.rows[table])
                    )
            for name, start, last in self.sequences:
                cur.execute(
                    "SELECT setval(%s, %s, %s)",
                    (name, start if last is None else last, last is not None),
                )
        conn.commit()
        return True


class PostgresServer:
    """Creates and drops this run's own databases on the test server, and hands a copy a test
    is done with to the next test asking for a copy of the same template, its rows put back
    (when that test changed no schema; otherwise the copy is dropped)."""

    # A database handed on this many times is vacuumed (the deleted rows of the tests before).
    VACUUM_EVERY = 25

    def __init__(self, url: str):
        import psycopg2

        self.url = urlparse(url)
        self.conn = psycopg2.connect(url)
        self.conn.autocommit = True
        self.prefix = f"tafel_t_{os.getpid()}_{uuid.uuid4().hex[:6]}"
        self.created: list[str] = []
        self.snapshots: dict[str, Snapshot] = {}  # template name: its rows
        self.copied_from: dict[str, str] = {}  # copy: its template
        self.spare: dict[str, list[str]] = {}  # template: copies ready for a test
        self.uses: dict[str, int] = {}
        with self.conn.cursor() as cur:
            # The app's role (issue 24): owns no table, no superuser, cannot bypass row-level
            # security; the demo databases are used through it, so the suite runs under RLS.
            cur.execute(
                "DO $$ BEGIN CREATE ROLE tafel_app LOGIN PASSWORD 'tafel_app' NOSUPERUSER"
                " NOBYPASSRLS NOCREATEDB NOCREATEROLE; EXCEPTION WHEN duplicate_object"
                " OR unique_violation THEN NULL; END $$"
            )

    def url_for(self, name: str, role: str | None = None, pooled: bool = False) -> str:
        netloc = self.url.netloc
        if role:
            server = PGBOUNCER if pooled and PGBOUNCER else netloc.rpartition("@")[2]
            netloc = f"{role}:{role}@{server}"
        return f"postgresql://{netloc}/{name}"

    def create(self, suffix: str, template: str | None = None) -> str:
        if template and self.spare.get(template):
            return self.spare[template].pop()
        name = f"{self.prefix}_{suffix}"
        with self.conn.cursor() as cur:
            if template:
                cur.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
            else:
                cur.execute(f'CREATE DATABASE "{name}"')
        self.created.append(name)
        if template:
            self.copied_from[name] = template
        return name

    def recycle(self, name: str) -> bool:
        """Put a used copy's rows back and keep it for the next test; False when it cannot be."""
        import psycopg2

        template = self.copied_from.get(name)
        if template is None:
            return False
        # Like DROP DATABASE … WITH (FORCE): the test's connections (its pool's) end here.
        with self.conn.cursor() as cur:
            cur.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                (name,),
            )
        if template not in self.snapshots:
            with psycopg2.connect(self.url_for(template)) as conn:
                self.snapshots[template] = Snapshot(conn)
            conn.close()
        conn = psycopg2.connect(self.url_for(name), options="-c lock_timeout=10s")
        try:
            if not self.snapshots[template].restore(conn):
                return False
            self.uses[name] = self.uses.get(name, 0) + 1
            if self.uses[name] % self.VACUUM_EVERY == 0:
                conn.autocommit = True
                with conn.cursor() as cur:
                    cur.execute("VACUUM")
        finally:
            conn.close()
        self.spare.setdefault(template, []).append(name)
        return True

    def drop_later(self, name: str) -> None:
        """Drop a database in the background: a DROP waits for a checkpoint (0.1-1 s), which
        need not hold up the next test."""
        if not hasattr(self, "_drops"):
            self._drops: queue.Queue = queue.Queue()
            self._dropper = threading.Thread(target=self._drop_queued, daemon=True)
            self._dropper.start()
        self.created.remove(name)
        self._drops.put(name)

    def _drop_queued(self) -> None:
        import psycopg2

        conn = psycopg2.connect(self.url.geturl())
        conn.autocommit = True
        with conn.cursor() as cur:
            while (name := self._drops.get()) is not None:
                cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.close()

    def drop_all(self):
        if hasattr(self, "_drops"):
            self._drops.put(None)
            self._dropper.join()
        with self.conn.cursor() as cur:
            for name in reversed(self.created):
                cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self.conn.close()


def owner_url(url: str) -> str:
    """The database at `url` as its owner (PostgreSQL: the test server's superuser; the demo
    databases are used as the app's role, which may not change the schema or dump it all)."""
    if not url.startswith("postgres"):
        return url
    server = urlparse(PG_URL)
    return f"postgresql://{server.netloc}{urlparse(url).path}"


def owner_execute(url: str, sql: str) -> None:
    """Run one statement as the owner (a test breaking the schema on purpose)."""
    if not url.startswith("postgres"):
        with database.connection_context():
            database.execute_sql(sql)
        return
    import psycopg2

    conn = psycopg2.connect(owner_url(url))
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute(sql)
    finally:
        conn.close()


@pytest.fixture(scope="session")
def pg_server():
    if BACKEND != "postgresql":
        yield None
        return
    if not PG_URL:
        pytest.exit("TAFEL_TEST_BACKEND=postgresql needs TAFEL_TEST_DATABASE_URL.", returncode=2)
    server = PostgresServer(PG_URL)
    yield server
    server.drop_all()


class DatabaseFactory:
    """Makes fresh databases: empty, or copies of a database built once per run."""

    def __init__(self, tmp: Path, pg: PostgresServer | None):
        self.tmp = tmp
        self.pg = pg
        self.templates: dict[str, str] = {}
        self.counter = 0

    def fresh(self, built_by=None, key: str | None = None) -> str:
        """A new database URL; with `built_by`, a copy of what that function builds."""
        self.counter += 1
        if built_by is None:
            return self._empty(f"db{self.counter}")
        key = f"{key or built_by.__name__}_{clock.today():%Y%m%d}"
        if key not in self.templates:
            url = self._empty(f"tmpl_{key}")
            open_database(url)
            with database.connection_context():
                schema.migrate()
                if self.pg is not None:
                    schema.grant_to(database.home, APP_ROLE)
            if self.pg is not None:  # the demo is written as the app, under RLS
                close_all()
                open_database(self.pg.url_for(urlparse(url).path.lstrip("/"), APP_ROLE))
            with database.connection_context(), tenancy.working_for(FIRST_ORGANISATION):
                built_by()
            close_all()  # the pool's idle connection too: a template must be unused
            self.templates[key] = url
        template = self.templates[key]
        if self.pg is None:
            path = self.tmp / f"db{self.counter}.db"
            source = Path(template[len("sqlite:///") :])
            shutil.copy(source, path)
            for other in source.parent.glob(f"{source.stem}.org*.db"):  # other organisations
                shutil.copy(other, path.with_name(other.name.replace(source.stem, path.stem, 1)))
            return f"sqlite:///{path}"
        name = self.pg.create(f"db{self.counter}", template=urlparse(template).path.lstrip("/"))
        return self.pg.url_for(name, APP_ROLE, pooled=True)

    def owner_url(self, url: str) -> str:
        """PostgreSQL: the same database as its owner (for migrations and the guard test)."""
        return owner_url(url)

    def discard(self, url: str) -> None:
        """Remove a database made by `fresh` once its test is over."""
        if self.pg is None:
            path = Path(url[len("sqlite:///") :])
            for file in (path, *path.parent.glob(f"{path.stem}.org*.db")):
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{file}{suffix}").unlink(missing_ok=True)
        else:
            name = urlparse(url).path.lstrip("/")
            if not self.pg.recycle(name):
                self.pg.drop_later(name)

    def _empty(self, name: str) -> str:
        if self.pg is None:
            return f"sqlite:///{self.tmp / (name + '.db')}"
        return self.pg.url_for(self.pg.create(name))


@pytest.fixture(scope="session")
def databases(tmp_path_factory, pg_server):
    return DatabaseFactory(tmp_path_factory.mktemp("databases"), pg_server)


def build_demo():
    """The demo organisation at scale 1 (the same code `tafel demo` runs)."""
    from seeds.demo import load_demo

    load_demo(scale=1)


def build_demo_10x():
    """The demo organisation ten times over, for query counts at two data sizes (one build
    per run, shared by every test that asks for it)."""
    from seeds.demo import load_demo

    load_demo(scale=10)


@pytest.fixture
def db_url(databases):
    """A fresh copy of the demo database for one test."""
    url = databases.fresh(build_demo)
    yield url
    database.close()
    databases.discard(url)


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    path = tmp_path / "data"
    monkeypatch.setenv("TAFEL_DATA_DIR", str(path))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("TAFEL_SECRET_KEY", raising=False)
    for name in ("TAFEL_ENV", "TAFEL_SERVED_URL", "HOST", "PORT"):
        # Set, then unset: the test's end puts back what was there before (nothing), also
        # when the test's code sets it (`tafel serve` sets TAFEL_SERVED_URL for its workers).
        monkeypatch.setenv(name, "")
        monkeypatch.delenv(name)
    return path


@pytest.fixture
def app(db_url, data_dir):
    from webapp.app import create_app

    return create_app(db_url)


@pytest.fixture
def client(app):
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def db(app):
    """A connection for a test's own reads and writes on the app's database."""
    with database.connection_context():
        yield database


def _session_csrf_secret(client: TestClient) -> str | None:
    """The CSRF secret WTForms keeps in the client's session (Starlette's session cookie is
    signed, not encrypted: base64 JSON before the first dot)."""
    cookie = client.cookies.get("tafel_session")
    if not cookie:
        return None
    payload = cookie.strip('"').split(".", 1)[0]
    return json.loads(base64.b64decode(payload)).get("csrf")


def csrf_of(client: TestClient, url: str = "/login") -> str:
    """The CSRF token a page hands out.

    The start page's token is asked for before most posts; a token is an HMAC of the session's
    CSRF secret (and the app's key) with an expiry hours away, so the token the start page
    gave this session before is still the one the start page would give: it is reused until
    the session's secret (a login, a logout) or the app's key changes. Any other page is
    always asked."""
    from webapp.access import CSRFForm

    key = (_session_csrf_secret(client), CSRFForm.Meta.csrf_secret)
    cached = getattr(client, "_tafel_start_token", None)
    if url == "/" and key[0] is not None and cached and cached[0] == key:
        return cached[1]
    match = re.search(r'name="csrf_token" value="([^"]+)"', client.get(url).text)
    assert match, f"no CSRF token on {url}"
    if url == "/":
        client._tafel_start_token = ((_session_csrf_secret(client), key[1]), match.group(1))
    return match.group(1)


def without_tokens(html: str) -> str:
    """The page with every CSRF token blanked (in forms and in the htmx header on <body>): a
    token carries the second it was made, so two renderings of the same page differ in it
    (and only there)."""
    return re.sub(r"\d{14}##[0-9a-f]+", "…", html)


def login(client: TestClient, username: str) -> TestClient:
    """Sign a client in through the real login form."""
    response = client.post(
        "/login",
        data={"username": username, "password": PASSWORDS[username], "csrf_token": csrf_of(client)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return client


def post(client: TestClient, url: str, data: dict | None = None, **kwargs):
    """POST with the CSRF token of the page at `url` (or of the start page)."""
    token = csrf_of(client, "/")
    return client.post(url, data={"csrf_token": token, **(data or {})}, **kwargs)


@pytest.fixture
def as_viewer(app):
    """A client signed in as one of VIEWERS (anonymous: not signed in)."""
    clients = []

    def make(kind: str) -> TestClient:
        test_client = TestClient(app)
        test_client.__enter__()
        clients.append(test_client)
        if VIEWERS.get(kind, kind):
            login(test_client, VIEWERS.get(kind, kind))
        return test_client

    yield make
    for test_client in clients:
        test_client.__exit__(None, None, None)


@pytest.fixture
def csrf_token_of():
    """A function giving a signed-in or anonymous client a valid CSRF token."""

    def token(client: TestClient) -> str:
        return csrf_of(client, "/")

    return token


class QueryCount:
    """Counts the SQL statements one request runs."""

    def __call__(self, client: TestClient, url: str) -> int:
        client.get(url)  # warm up: first requests may fill caches
        queries.count = 0
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return queries.count


@pytest.fixture
def count_queries():
    return QueryCount()


def ids(project_name: str = MEMBER_PROJECT) -> dict:
    """Ids of demo objects, for building URLs in tests (call inside a db connection)."""
    from models.organisation import Project

    return {"project_id": Project.get(Project.name == project_name).id}
