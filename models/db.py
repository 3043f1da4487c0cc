"""The database: one proxy the models bind to, opened from a URL (SQLite or PostgreSQL)."""

import contextlib
import threading
from pathlib import Path
from urllib.parse import unquote, urlparse

from peewee import Model, SqliteDatabase, __exception_wrapper__, fn
from playhouse.pool import PooledPostgresqlDatabase

from models import tenancy
from models.private_files import create_private_file, private_folder

# The database every model is bound to: the organisation at hand's (models/tenancy.py).
database = tenancy.OrganisationProxy()


class QueryCounter:
    """Counts SQL statements (tests use it to prove a page's query count stays fixed)."""

    def __init__(self):
        self._lock = threading.Lock()
        self.count = 0

    def add(self):
        with self._lock:
            self.count += 1


queries = QueryCounter()


def _lower(value):
    return value.lower() if isinstance(value, str) else value


class CountingSqliteDatabase(SqliteDatabase):
    """SQLite with a statement counter, and `tafel_lower`: SQLite's own LOWER (and LIKE's
    case folding) knows only A to Z, so a search for "émile" would not find "Émile"."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.register_function(_lower, "tafel_lower", 1, deterministic=True)

    def execute_sql(self, sql, params=None, *args, **kwargs):
        queries.add()
        return super().execute_sql(sql, params, *args, **kwargs)


def organisation_setting() -> str:
    """The statement that tells PostgreSQL's row-level security the organisation at hand, for
    the current transaction only (`true`: local), so a pooled connection (or PgBouncer's, in
    transaction mode) never carries it into the next one; empty when no organisation is at
    hand (then no organisation's row is seen)."""
    organisation = tenancy.current_id()
    if organisation is None:
        return ""
    return f"SELECT set_config('tafel.organisation', '{int(organisation)}', true); "


# Statements that read or write rows get the organisation in front of them; others (VACUUM,
# DDL, SAVEPOINT…) may not run inside the implicit transaction and touch no rows.
DATA_STATEMENTS = ("SELECT", "INSERT", "UPDATE", "DELETE", "WITH")


def _is_data(sql: str) -> bool:
    return sql.lstrip(" \t\r\n(")[:6].upper().startswith(DATA_STATEMENTS)  # (a) UNION (b)


class CountingPostgresqlDatabase(PooledPostgresqlDatabase):
    """PostgreSQL with a statement counter, its connections kept in a pool: `close()` gives a
    connection back for the next request instead of closing it (opening one cost 3 ms at the
    median and 26 ms at p95 on the development machine; bench/README.md).

    The organisation at hand is set inside every transaction (docs/federation.md): `begin()`
    sends it with the BEGIN, and a statement run outside a transaction (peewee runs those in
    autocommit, each its own transaction) is sent with the setting in front of it, in one
    round trip: several statements in one query string are one implicit transaction."""

    def begin(self, isolation_level=None):
        setting = organisation_setting()
        if not setting:
            return super().begin(isolation_level)
        with __exception_wrapper__:
            self.cursor().execute("BEGIN; " + setting)

    def execute_sql(self, sql, params=None, *args, **kwargs):
        queries.add()
        if not self.in_transaction() and _is_data(sql):
            setting = organisation_setting()
            if setting:  # no "%" in it: safe with and without parameters
                sql = setting + sql
        return super().execute_sql(sql, params, *args, **kwargs)


# The pool: at most this many open at once (a request waits up to POOL_WAIT seconds for one);
# a connection idle longer than POOL_STALE seconds is closed rather than handed out.
POOL_SIZE, POOL_WAIT, POOL_STALE = 32, 30, 300


SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "busy_timeout": 5000,
    "synchronous": "normal",
}


def build_database(url: str):
    """The database a URL names, not bound to the models (migrations as the owner use it)."""
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        return _sqlite(sqlite_path(url))
    if parsed.scheme in ("postgresql", "postgres"):
        return CountingPostgresqlDatabase(
            unquote(parsed.path.lstrip("/")),
            user=unquote(parsed.username) if parsed.username else None,
            password=unquote(parsed.password) if parsed.password else None,
            host=parsed.hostname,
            port=parsed.port or 5432,
            max_connections=POOL_SIZE,
            timeout=POOL_WAIT,
            stale_timeout=POOL_STALE,
        )
    raise ValueError("DATABASE_URL must start with sqlite:/// or postgresql://.")


def role_of(url: str) -> str:
    """The database role a PostgreSQL URL connects as."""
    return unquote(urlparse(url).username or "")


def open_database(url: str):
    """Build the database for a URL and bind the models to it (on SQLite, with each other
    organisation's own file beside it: models/tenancy.py)."""
    db = build_database(url)
    if isinstance(db, SqliteDatabase):
        path = sqlite_path(url)

        def opener(organisation_id: int):
            return _sqlite(tenancy.organisation_file(path, organisation_id))

        database.initialize(db, opener)
    else:
        database.initialize(db)
    tenancy.directory.reader = _directory_reader(db)
    tenancy.directory.forget()
    return db


def _sqlite(path: str):
    # The file holds personal data: owner only (SQLite gives -wal and -shm its mode).
    private_folder(Path(path).parent)
    create_private_file(Path(path))
    # Every transaction takes the write lock when it begins (BEGIN IMMEDIATE): a deferred
    # one that read first cannot upgrade to a write while another writer went ahead (WAL),
    # and fails with "database is locked" however long busy_timeout waits. Waiting at
    # BEGIN does honour busy_timeout, so a room full of posts queues instead of failing.
    return CountingSqliteDatabase(
        path, pragmas=SQLITE_PRAGMAS, check_same_thread=False, lock_type="IMMEDIATE"
    )


DIRECTORY_SQL = "SELECT id, host, name, suspended FROM organisation ORDER BY id"
# How many of the organisation table's id and host there are (a query that cannot fail: a
# failed one inside a transaction would end it on PostgreSQL): 0 when there is no table (a
# broken or empty database), 1 before migration 0015 (no host yet: no directory), 2 after.
DIRECTORY_COLUMNS = {
    "sqlite": "SELECT count(*) FROM pragma_table_info('organisation') WHERE name IN ('id', 'host')",
    "postgresql": "SELECT count(*) FROM information_schema.columns"
    " WHERE table_schema = current_schema() AND table_name = 'organisation'"
    " AND column_name IN ('id', 'host')",
}


class NoDirectory(Exception):
    """The database has no organisation table (not migrated, or broken)."""


def _directory_reader(db):
    """Reads the organisations (the directory) from the installation's own database, in a
    connection of its own moment: the caller's transaction is left alone."""

    def read():
        if db.is_closed():
            db.connect()
            try:
                return _read_directory(db)
            finally:
                if not isinstance(db, SqliteDatabase):
                    db.close()
        return _read_directory(db)

    return read


def _read_directory(db):
    """The organisations; none before migration 0015 (no host column yet); NoDirectory
    without an organisation table."""
    cursor = db.cursor()
    cursor.execute(DIRECTORY_COLUMNS["sqlite" if isinstance(db, SqliteDatabase) else "postgresql"])
    columns = cursor.fetchone()[0]
    if columns == 0:
        raise NoDirectory("The database has no organisation table.")
    if columns == 1:
        return []
    cursor.execute(DIRECTORY_SQL)
    return cursor.fetchall()


@contextlib.contextmanager
def request_connection():
    """The database connection for one request (or one health check).

    SQLite: each thread keeps its connection open for its next request (opening one and
    setting its pragmas costs more than most of a page's queries); SQLite in WAL mode gives
    every new transaction the latest committed data, so a kept connection never reads stale
    rows. PostgreSQL: a connection from the pool, given back at the end.
    """
    db = database.obj
    db.connect(reuse_if_open=True)
    try:
        yield db
    finally:
        if not isinstance(db, SqliteDatabase) and not db.is_closed():
            db.close()


def reachable() -> bool:
    """Whether the database answers (the health check), in a connection of its own."""
    try:
        with request_connection() as db:
            db.execute_sql("SELECT 1")
        return True
    except Exception:  # any failure (driver, network, file) means "not reachable"
        return False


def sqlite_path(url: str) -> str:
    """The file a sqlite:/// URL names."""
    path = unquote(url[len("sqlite:///") :]) if url.startswith("sqlite:///") else ""
    if not path:
        raise ValueError("Use a SQLite URL like sqlite:///data/tafel.db.")
    return path


# The files SQLite keeps beside a database file while it is open or was left open.
SQLITE_SIDECARS = ("-wal", "-shm", "-journal")


def remove_sqlite_file(path) -> None:
    """A SQLite database file and the files SQLite keeps beside it, wherever they are."""
    for name in (str(path), *(f"{path}{sidecar}" for sidecar in SQLITE_SIDECARS)):
        Path(name).unlink(missing_ok=True)


def is_sqlite() -> bool:
    """True when the bound database is SQLite."""
    return isinstance(database.obj, SqliteDatabase)


def lowered(column):
    """The column in lower case for a search, for every letter (PostgreSQL's LOWER knows them
    all; on SQLite the Python function registered on each connection)."""
    return fn.tafel_lower(column) if is_sqlite() else fn.LOWER(column)


def lock_for_update(query, no_key: bool = False):
    """The query with its rows locked until the transaction ends, for check-then-write steps
    (the next order number, "is the proposal still open?").

    PostgreSQL: SELECT … FOR UPDATE, so a second writer waits and then reads the first one's
    result. SQLite has no row locks and needs none: a write transaction holds the database's
    write lock from its BEGIN IMMEDIATE. Call inside `database.atomic()`.

    `no_key`: FOR NO KEY UPDATE, for a row many others point at (a project, a person). Every
    row written with its id holds a key-share lock on it until commit, which FOR UPDATE would
    wait for (a deadlock once that writer waits for us: tests/people/test_report_locks.py);
    two such lockers still wait for each other.
    """
    if is_sqlite():
        return query
    return query.for_update("FOR NO KEY UPDATE") if no_key else query.for_update()


class BaseModel(Model):
    """Base for every Tafel model."""

    class Meta:
        database = database
        legacy_table_names = False
