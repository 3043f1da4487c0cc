"""The federation's own work (issue 24): adding, listing and suspending organisations.

An organisation added here gets its record, its own 51% report token, the default ladder
and an invite for its first administrator (as `tafel setup` gives the first organisation),
all in the organisation's own context, so every row it writes is that organisation's: on
PostgreSQL row-level security checks it, on SQLite the rows go into the organisation's own
file (made and migrated here).
"""

import datetime as dt
import re
import secrets
import statistics
from dataclasses import dataclass
from pathlib import Path

from peewee import SQL, IntegrityError, SqliteDatabase, fn

from models import schema, tenancy
from models.accounts import audit
from models.accounts.tables import AccessLink
from models.budget.tables import Claim
from models.clock import now
from models.db import database, organisation_setting, remove_sqlite_file
from models.organisation import Organisation, Project
from models.people import ReportVersion
from models.people.representation import representation_report
from models.records.setup import ORGANISATION_NAME_LENGTH, clean_name, set_up
from models.rules.errors import RuleError
from models.rules.representation import ORGANISATION
from models.words import Text

# A host name: letters, digits and hyphens in labels joined by dots (at most 253 characters).
HOST = re.compile(
    r"(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*"
)

# What may be typed as a host: the characters of a host name only (normal_host would read
# "https://fiets.example.org/" as the host "https", and "fiets.example.org:8000" without the
# port); checked before it is made lower case.
HOST_TYPED = re.compile(r"[A-Za-z0-9.-]+")

# Text: the federation's page shows these too (translated there).
BAD_HOST = Text("Give a host name like tafel.example.org (letters, digits, hyphens and dots).")
ADDRESS_ONLY = Text("Write only the address, without https:// before it or / after it.")
HOST_TAKEN = Text("Another organisation already answers on {host}.")
BAD_NAME = Text("Give the organisation a name of 1 to {length} characters.")
# For the commands only: they name what the server's administrator does about it. The page
# says in its own words that it cannot be done now (webapp/core/federation_page.py).
NO_HOST_YET = (
    "The organisation {name} has no host name yet, so it would no longer be reached once there "
    "are two: give it one first with `tafel org set-host HOST`."
)
FILE_THERE = "The file {path} is there already, perhaps from before a restore: move it away first."
UNKNOWN_HOST = "No organisation answers on {host}; `tafel org list` shows them."


def checked_host(host: str | None) -> str:
    """The host name typed (for an organisation to answer on) as the directory keeps it;
    refuses anything that is not only a host name: a scheme, a path, a port, an "@", spaces."""
    typed = (host or "").strip()
    if "/" in typed:
        raise RuleError(ADDRESS_ONLY)
    if not HOST_TYPED.fullmatch(typed):
        raise RuleError(BAD_HOST)
    host = tenancy.normal_host(typed)
    if not HOST.fullmatch(host):
        raise RuleError(BAD_HOST)
    return host


def add_organisation(
    name: str, host: str, admin_name: str | None = None, *, by_account: int | None = None
) -> tuple[int, AccessLink, str]:
    """A new organisation answering on `host`, with its first administrator's invite; returns
    its id, the invite and the invite's token. `admin_name` None: the administrator writes
    their own name on opening the invite. `by_account`: the account adding it on the
    federation's page, named in an `organisation.add` line of the first organisation's audit
    log. Refuses (nothing changed) a taken host, and while an organisation without a host
    would be left unreachable.

    All or nothing: on PostgreSQL one transaction in the new organisation's context, the
    audit line included; on SQLite the directory's row and the audit line are written in a
    transaction of the first file that commits only once the new file is made, migrated and
    set up (the new file is removed otherwise).
    """
    name = clean_name(name)
    if not name or len(name) > ORGANISATION_NAME_LENGTH:
        raise RuleError(BAD_NAME, length=ORGANISATION_NAME_LENGTH)
    host = checked_host(host)
    entries = tenancy.directory.entries(fresh=True)
    if any(e.host == host for e in entries):
        raise RuleError(HOST_TAKEN, host=host)
    nameless = next((e for e in entries if not e.host), None)
    if nameless is not None:
        raise RuleError(NO_HOST_YET, name=nameless.name)
    try:
        if isinstance(database.home, SqliteDatabase):
            return _add_sqlite_file(name, host, admin_name, by_account)
        organisation_id = database.home.execute_sql(
            "SELECT nextval(pg_get_serial_sequence('organisation', 'id'))"
        ).fetchone()[0]
        with tenancy.working_for(organisation_id), database.connection_context():
            with database.atomic():
                _directory_row(id=organisation_id, name=name, host=host)
                if by_account is not None:
                    _audit_line(by_account, organisation_id, name, host)
                ReportVersion.create(name="representation", token=secrets.token_hex(16))
                link, token, _ended = set_up(name, admin_name)
        return organisation_id, link, token
    finally:
        tenancy.directory.forget()


def _directory_row(**values) -> int:
    """Insert the organisation's row in the directory; its host taken meanwhile (the unique
    index) is refused with the sentence a taken host gets."""
    try:
        return Organisation.insert(**values).execute()
    except IntegrityError as exc:
        raise RuleError(HOST_TAKEN, host=values["host"]) from exc


def _audit_line(account: int, organisation_id: int, name: str, host: str) -> None:
    """The `organisation.add` line in the first organisation's audit log, in the transaction
    at hand. On PostgreSQL that transaction is the new organisation's: row-level security is
    told the first organisation for this one row, then the new one again."""
    with tenancy.working_for(tenancy.directory.first().id):
        _tell_row_security()
        audit.record(
            account,
            "organisation.add",
            Organisation(id=organisation_id),
            after={"host": host, "name": name},
        )
    _tell_row_security()


def _tell_row_security() -> None:
    """PostgreSQL: the organisation at hand for the rest of the transaction (SQLite: nothing;
    the first organisation's rows are in the first file, whose transaction this is)."""
    if not isinstance(database.home, SqliteDatabase):
        database.execute_sql(organisation_setting())


def _add_sqlite_file(name: str, host: str, admin_name: str | None, by_account: int | None):
    """SQLite: the organisation in the directory (the first file, with the audit line) and
    its own file, migrated, its record taking the directory's id; the first file's
    transaction commits last."""
    with database.atomic():
        organisation_id = _directory_row(name=name, host=host)
        if by_account is not None:
            _audit_line(by_account, organisation_id, name, host)
        path = Path(tenancy.organisation_file(database.home.database, organisation_id))
        if path.exists():  # left from before a restore: never take over its rows
            raise RuleError(FILE_THERE, path=str(path))
        try:
            with tenancy.working_for(organisation_id), database.connection_context():
                schema.migrate(database.obj)
                with database.atomic():
                    Organisation.update(id=organisation_id, name=name, host=host).execute()
                    link, token, _ended = set_up(name, admin_name)
        except BaseException:
            with tenancy.working_for(organisation_id):
                database.obj.close()
            remove_sqlite_file(path)
            raise
    return organisation_id, link, token


def set_host(host: str) -> None:
    """Give the organisation at hand the host name it answers on."""
    host = checked_host(host)
    chosen = tenancy.current_id()
    if any(e.host == host and e.id != chosen for e in tenancy.directory.entries(fresh=True)):
        raise RuleError(HOST_TAKEN, host=host)
    _update_directory(chosen, host=host)


def set_suspended(host: str, suspended: bool) -> None:
    """Suspend an organisation (its host answers "not here"; nothing is deleted), or let it
    answer again."""
    entry = tenancy.directory.by_host(host)
    if entry is None:
        raise RuleError(UNKNOWN_HOST, host=tenancy.normal_host(host))
    _update_directory(entry.id, suspended=suspended)


def _update_directory(organisation_id: int, **values) -> None:
    """Change the organisation's record in the directory (and, on SQLite, in its own file)."""
    with tenancy.working_for(organisation_id):
        targets = [database.home]
        if database.obj is not database.home:
            targets.append(database.obj)
    for target in targets:
        with tenancy.working_for(organisation_id):
            with target.connection_context(), target.atomic():
                target.execute(
                    Organisation.update(**values).where(Organisation.id == organisation_id)
                )
    tenancy.directory.forget()


def organisations() -> list[tenancy.Entry]:
    """Every organisation of the installation (the directory)."""
    return tenancy.directory.entries(fresh=True)


@dataclass(frozen=True)
class Overview:
    """What the federation sees of one organisation: only what is public inside it as a
    group (issue 24.4): its projects (how many, and the first names), whether each layer of
    the organisation meets the 51% rule in the published figures (a small group is not
    shown), and the median days from a claim to its payment over the last year. No person's
    name, no answer, nothing of a project's inside."""

    entry: tenancy.Entry
    projects: int
    layers: tuple  # (layer, "meets" / "below" / "small group")
    days_to_payment: float | None
    # The first PROJECTS_SHOWN projects' names by name (every member of the organisation sees
    # them on its projects page, so they are public inside it as a group); `projects` counts all.
    project_names: tuple = ()


# How many project names the federation's overview shows per organisation (bounded: an
# organisation of hundreds of projects costs the page no more).
PROJECTS_SHOWN = 10


def projects_at_hand() -> tuple[int, tuple[str, ...]]:
    """How many projects the organisation at hand has and the first PROJECTS_SHOWN names, in
    one query (the count is a window over the same rows)."""
    rows = (
        Project.select(Project.name, fn.COUNT(SQL("*")).over().alias("total"))
        .order_by(Project.name, Project.id)
        .limit(PROJECTS_SHOWN)
        .tuples()
    )
    rows = list(rows)
    return (rows[0][1] if rows else 0), tuple(name for name, _total in rows)


def federation_overview(entries: list[tenancy.Entry] | None = None) -> list[Overview]:
    """One Overview per organisation (suspended ones too; or per one of `entries`), each read
    in its own context, in the same few queries whatever the organisation holds."""
    overviews = []
    for entry in tenancy.each_organisation(active_only=False) if entries is None else entries:
        with tenancy.working_for(entry.id), database.connection_context():
            layers = tuple(
                (r.group, "small group" if r.small else ("meets" if r.passes else "below"))
                for r in representation_report(published=True)
                if r.scope == ORGANISATION and r.dimension == "layer"
            )
            since = now() - dt.timedelta(days=365)
            paid = (
                Claim.select(Claim.created_at, Claim.paid_at)
                .where(Claim.paid_at.is_null(False) & (Claim.paid_at >= since))
                .tuples()
            )
            days = [(p - c).total_seconds() / 86400 for c, p in paid]
            projects, names = projects_at_hand()
            overviews.append(
                Overview(
                    entry,
                    projects,
                    layers,
                    round(statistics.median(days), 1) if days else None,
                    names,
                )
            )
    return overviews
