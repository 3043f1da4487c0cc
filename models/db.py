"""The database: one proxy the models bind to, opened from a URL (SQLite or PostgreSQL)."""

import threading
from pathlib import Path
from urllib.parse import unquote, urlparse

from peewee import DatabaseProxy, Model, PostgresqlDatabase, SqliteDatabase

from models.private_files import create_private_file, private_folder

database = DatabaseProxy()


class QueryCounter:
    """Counts SQL statements (tests use it to prove a page's query count stays fixed)."""

    def __init__(self):
        self._lock = threading.Lock()
        self.count = 0

    def add(self):
        with self._lock:
            self.count += 1


queries = QueryCounter()


class CountingSqliteDatabase(SqliteDatabase):
    """SQLite with a statement counter."""

    def execute_sql(self, sql, params=None, *args, **kwargs):
        queries.add()
        return super().execute_sql(sql, params, *args, **kwargs)


class CountingPostgresqlDatabase(PostgresqlDatabase):
    """PostgreSQL with a statement counter."""

    def execute_sql(self, sql, params=None, *args, **kwargs):
        queries.add()
        return super().execute_sql(sql, params, *args, **kwargs)


SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "busy_timeout": 5000,
    "synchronous": "normal",
}


def open_database(url: str):
    """Build the database for a URL and bind the models to it."""
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        path = sqlite_path(url)
        # The file holds personal data: owner only (SQLite gives -wal and -shm its mode).
        private_folder(Path(path).parent)
        create_private_file(Path(path))
        # Every transaction takes the write lock when it begins (BEGIN IMMEDIATE): a deferred
        # one that read first cannot upgrade to a write while another writer went ahead (WAL),
        # and fails with "database is locked" however long busy_timeout waits. Waiting at
        # BEGIN does honour busy_timeout, so a room full of posts queues instead of failing.
        db = CountingSqliteDatabase(
            path, pragmas=SQLITE_PRAGMAS, check_same_thread=False, lock_type="IMMEDIATE"
        )
    elif parsed.scheme in ("postgresql", "postgres"):
        db = CountingPostgresqlDatabase(
            unquote(parsed.path.lstrip("/")),
            user=unquote(parsed.username) if parsed.username else None,
            password=unquote(parsed.password) if parsed.password else None,
            host=parsed.hostname,
            port=parsed.port or 5432,
        )
    else:
        raise ValueError("DATABASE_URL must start with sqlite:/// or postgresql://.")
    database.initialize(db)
    return db


def sqlite_path(url: str) -> str:
    """The file a sqlite:/// URL names."""
    path = unquote(url[len("sqlite:///") :]) if url.startswith("sqlite:///") else ""
    if not path:
        raise ValueError("Use a SQLite URL like sqlite:///data/tafel.db.")
    return path


def is_sqlite() -> bool:
    """True when the bound database is SQLite."""
    return isinstance(database.obj, SqliteDatabase)


def lock_for_update(query):
    """The query with its rows locked until the transaction ends, for check-then-write steps
    (the next order number, "is the proposal still open?").

    PostgreSQL: SELECT … FOR UPDATE, so a second writer waits and then reads the first one's
    result. SQLite has no row locks and needs none: a write transaction holds the database's
    write lock from its BEGIN IMMEDIATE. Call inside `database.atomic()`.
    """
    return query if is_sqlite() else query.for_update()


class BaseModel(Model):
    """Base for every Tafel model."""

    class Meta:
        database = database
        legacy_table_names = False
