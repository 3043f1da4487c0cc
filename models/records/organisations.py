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

from peewee import SqliteDatabase

from models import schema, tenancy
from models.accounts.tables import AccessLink
from models.budget.tables import Claim
from models.clock import now
from models.db import database
from models.organisation import Organisation, Project
from models.people import ReportVersion
from models.people.representation import representation_report
from models.records.setup import ORGANISATION_NAME_LENGTH, clean_name, set_up
from models.rules.errors import RuleError
from models.rules.representation import ORGANISATION

# A host name: letters, digits and hyphens in labels joined by dots (at most 253 characters).
HOST = re.compile(
    r"(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*"
)

BAD_HOST = "Give a host name like tafel.example.org (letters, digits, hyphens and dots)."
HOST_TAKEN = "Another organisation already answers on {host}."
NO_HOST_YET = (
    "The organisation {name} has no host name yet, so it would no longer be reached once there "
    "are two: give it one first with `tafel org set-host HOST`."
)
UNKNOWN_HOST = "No organisation answers on {host}; `tafel org list` shows them."
BAD_NAME = "Give the organisation a name of 1 to {length} characters."


def checked_host(host: str) -> str:
    host = tenancy.normal_host(host)
    if not HOST.fullmatch(host):
        raise RuleError(BAD_HOST)
    return host


def add_organisation(name: str, host: str, admin_name: str) -> tuple[int, AccessLink, str]:
    """A new organisation answering on `host`, with its first administrator's invite; returns
    its id, the invite and the invite's token. Refuses (nothing changed) a taken host, and
    while an organisation without a host would be left unreachable."""
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
    if isinstance(database.home, SqliteDatabase):
        organisation_id = _add_sqlite_file(name, host)
    else:
        organisation_id = database.home.execute_sql(
            "SELECT nextval(pg_get_serial_sequence('organisation', 'id'))"
        ).fetchone()[0]
    tenancy.directory.forget()
    with tenancy.working_for(organisation_id), database.connection_context():
        with database.atomic():
            if not isinstance(database.home, SqliteDatabase):
                Organisation.insert(id=organisation_id, name=name, host=host).execute()
                ReportVersion.create(name="representation", token=secrets.token_hex(16))
            link, token, _ended = set_up(name, admin_name)
    tenancy.directory.forget()
    return organisation_id, link, token


def _add_sqlite_file(name: str, host: str) -> int:
    """SQLite: the organisation in the directory (the first file) and its own file, migrated,
    its record taking the directory's id."""
    with database.atomic():
        organisation_id = Organisation.insert(name=name, host=host).execute()
    with tenancy.working_for(organisation_id), database.connection_context():
        schema.migrate(database.obj)
        with database.atomic():
            Organisation.update(id=organisation_id, name=name, host=host).execute()
    return organisation_id


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
    group (issue 24.4): how many projects, whether each layer of the organisation meets the
    51% rule in the published figures (a small group is not shown), and the median days
    from a claim to its payment over the last year. No name, no answer, nothing of a
    project's inside."""

    entry: tenancy.Entry
    projects: int
    layers: tuple  # (layer, "meets" / "below" / "small group")
    days_to_payment: float | None


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
            overviews.append(
                Overview(
                    entry,
                    Project.select().count(),
                    layers,
                    round(statistics.median(days), 1) if days else None,
                )
            )
    return overviews
