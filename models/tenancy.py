"""Which organisation the work at hand is for (issue 24: a federation on one install).

One context variable holds the organisation a request or a command works for: the web app
sets it from the request's Host header (webapp/tenancy.py), a command from `--org HOST` or
TAFEL_ORG (webapp/commands.py), a background job once per organisation (`each_organisation`).
What it does with it depends on the database (docs/federation.md):

- PostgreSQL: every transaction begins with `set_config('tafel.organisation', id, true)`, and a
  statement outside a transaction carries it in front of itself (one round trip, one implicit
  transaction); row-level security shows and takes only that organisation's rows. Unset, no
  organisation's rows are seen at all.
- SQLite: each organisation has its own database file; `OrganisationProxy` hands every model
  the file of the organisation at hand. The first organisation keeps the installation's own
  file (so a single-organisation install changes nothing), which also holds the directory
  of all organisations.

The directory (id, host, name, suspended) is read from the organisation table of the first
file or of PostgreSQL's one database and kept in the process for a few seconds.
"""

import contextlib
import contextvars
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from peewee import DatabaseProxy

_current: contextvars.ContextVar = contextvars.ContextVar("tafel_organisation", default=None)

# How long the process trusts the directory it read (an unknown host reads it again at once,
# so a new organisation answers immediately; a suspension takes at most this long).
DIRECTORY_SECONDS = 5.0


def current_id() -> int | None:
    """The organisation the work at hand is for: the one chosen, or with none chosen the only
    organisation of a single-organisation install (so it works as it always did); None when
    none is chosen among several (then no organisation's data is seen)."""
    chosen = _current.get()
    if chosen is not None:
        return chosen
    only = directory.only(fresh=False)
    return only.id if only else None


def current_host() -> str | None:
    """The host name of the organisation chosen for the work at hand (links on invite slips
    and in calendars start with it); None for a single-organisation install without one."""
    chosen = _current.get()
    if chosen is None:
        return None
    entry = next((e for e in directory.safe_entries() if e.id == chosen), None)
    return entry.host if entry else None


def chosen_id() -> int | None:
    """The organisation chosen for the work at hand (None when none is)."""
    return _current.get()


def enter(organisation_id: int | None):
    """Work for this organisation from now on in this context; returns a token for `leave`."""
    return _current.set(organisation_id)


def leave(token) -> None:
    _current.reset(token)


@contextlib.contextmanager
def working_for(organisation_id: int | None):
    """Work for this organisation inside the `with` block."""
    token = _current.set(organisation_id)
    try:
        yield
    finally:
        _current.reset(token)


@dataclass(frozen=True)
class Entry:
    """One organisation in the directory."""

    id: int
    host: str | None
    name: str
    suspended: bool


def normal_host(host: str | None) -> str:
    """A host name as the directory keeps it: lower case, without port or trailing dot."""
    host = (host or "").strip().lower()
    if host.startswith("["):  # an IPv6 address with a port
        return host.split("]")[0] + "]"
    return host.split(":")[0].rstrip(".")


class Directory:
    """The organisations of the installation, kept in the process for a few seconds."""

    def __init__(self):
        self._lock = threading.Lock()
        self._entries: list[Entry] | None = None
        self._read_at = 0.0
        self.reader = None  # a function returning the rows (id, host, name, suspended)

    def forget(self) -> None:
        with self._lock:
            self._entries = None

    def entries(self, fresh: bool = False) -> list[Entry]:
        with self._lock:
            if (
                not fresh
                and self._entries is not None
                and time.monotonic() - self._read_at < DIRECTORY_SECONDS
            ):
                return self._entries
        rows = self.reader() if self.reader else []
        entries = [Entry(r[0], r[1], r[2], bool(r[3])) for r in rows]
        with self._lock:  # none yet (before the migrations): read again next time
            self._entries, self._read_at = (entries or None), time.monotonic()
        return entries

    def safe_entries(self) -> list[Entry]:
        """The directory, or none when it cannot be read (no database, or not migrated)."""
        try:
            return self.entries()
        except Exception:  # noqa: BLE001 - an unreadable directory chooses no organisation
            return []

    def for_host(self, host: str | None) -> Entry | None:
        """The organisation answering on this host: the one whose host it is, or the only
        organisation of a single-organisation install on any host; None for an unknown host
        or a suspended organisation."""
        found = self._for_host(normal_host(host), self.entries())
        if found is None:  # perhaps added a moment ago (by `tafel org add`)
            found = self._for_host(normal_host(host), self.entries(fresh=True))
        return found

    @staticmethod
    def _for_host(host: str, entries: list[Entry]) -> Entry | None:
        for entry in entries:
            if entry.host and entry.host == host:
                return None if entry.suspended else entry
        if len(entries) == 1 and not entries[0].suspended:
            return entries[0]
        return None

    def by_host(self, host: str) -> Entry | None:
        """The organisation with this host (suspended or not), read afresh."""
        host = normal_host(host)
        return next((e for e in self.entries(fresh=True) if e.host == host), None)

    def only(self, fresh: bool = True) -> Entry | None:
        """The one organisation of a single-organisation install (None when there are more)."""
        entries = self.entries(fresh=True) if fresh else self.safe_entries()
        return entries[0] if len(entries) == 1 else None

    def first(self) -> Entry | None:
        entries = self.safe_entries()
        return entries[0] if entries else None


directory = Directory()


class OrganisationProxy(DatabaseProxy):
    """The database the models are bound to. On PostgreSQL every organisation shares it (row-
    level security keeps them apart); on SQLite each organisation but the first has its own
    file, opened when first used, and `obj` is the file of the organisation at hand."""

    __slots__ = ("_home", "_others", "_first_id", "_opener")

    def __init__(self):
        object.__setattr__(self, "_others", {})
        object.__setattr__(self, "_first_id", None)
        object.__setattr__(self, "_opener", None)
        object.__setattr__(self, "_home", None)
        super().__init__()

    def __setattr__(self, attr, value):
        if attr == "obj":
            object.__setattr__(self, "_home", value)
            return
        object.__setattr__(self, attr, value)

    def initialize(self, obj, opener=None):
        """Bind to a database; `opener(organisation_id)` opens another organisation's own
        database (SQLite), None when all share this one (PostgreSQL)."""
        for other in self._others.values():
            if not other.is_closed():
                other.close()
        object.__setattr__(self, "_others", {})
        object.__setattr__(self, "_first_id", None)
        object.__setattr__(self, "_opener", opener)
        object.__setattr__(self, "_home", obj)
        for callback in self._callbacks:
            callback(obj)

    @property
    def home(self):
        """The installation's own database (PostgreSQL's one, SQLite's first file)."""
        return self._home

    @property
    def obj(self):
        organisation = _current.get()
        if organisation is None or self._opener is None:
            return self._home
        if self._first_id is None:
            first = directory.first()
            object.__setattr__(self, "_first_id", first.id if first else None)
        if self._first_id is None or organisation == self._first_id:
            return self._home
        other = self._others.get(organisation)
        if other is None:
            other = self._others.setdefault(organisation, self._opener(organisation))
        return other

    def all_opened(self) -> list:
        return [self._home, *self._others.values()]


def organisation_file(home_path: str, organisation_id: int) -> str:
    """SQLite: the file of an organisation other than the first, beside the first's file."""
    path = Path(home_path)
    return str(path.with_name(f"{path.stem}.org{organisation_id}{path.suffix or '.db'}"))


def each_organisation(active_only: bool = True):
    """Yield each organisation's id with the context set to it (a background job that works
    per organisation: `for org in each_organisation(): run_job()`)."""
    for entry in directory.entries(fresh=True):
        if active_only and entry.suspended:
            continue
        with working_for(entry.id):
            yield entry
