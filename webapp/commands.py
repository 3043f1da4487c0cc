"""What every area's `tafel` subcommands share: the plain-sentence error, opening the database,
and the `tafel import` / `tafel export` groups each area adds its kinds to."""

import argparse

from models import schema, tenancy
from models.budget import receipt_store
from models.db import database, open_database, role_of
from webapp.settings import Settings


class CommandError(Exception):
    """A problem to report to the user in one plain sentence."""


def open_for_command(settings: Settings, migrate: bool = True, organisation: bool = True):
    """Open the database named by the settings, bringing its schema up to date first, and
    choose the organisation the command works for (`--org HOST`, TAFEL_ORG; a single-
    organisation install needs neither); receipts are kept where the settings say."""
    if migrate:
        migrate_installation(settings)
    else:
        open_database(settings.database_url)
    receipt_store.use(settings.receipts, settings.data_dir)
    if organisation:
        choose_organisation(settings)


def migrate_installation(settings: Settings) -> list[str]:
    """Bring the schema up to date: as the owner (TAFEL_MIGRATE_DATABASE_URL) when the app's
    role is kept apart from it, else through DATABASE_URL; leaves the app's database open."""
    if settings.migrate_database_url:
        applied = schema.migrate_as_owner(
            settings.migrate_database_url, role_of(settings.database_url)
        )
        open_database(settings.database_url)
        return applied
    open_database(settings.database_url)
    with database.connection_context():
        return schema.migrate()


def choose_organisation(settings: Settings) -> None:
    """Work for the organisation the command names, or the only one."""
    if settings.organisation:
        entry = tenancy.directory.by_host(settings.organisation)
        if entry is None:
            raise CommandError(
                f"No organisation answers on {settings.organisation}; `tafel org list` shows them."
            )
        tenancy.enter(entry.id)
        return
    entries = tenancy.directory.entries(fresh=True)
    if len(entries) > 1:
        raise CommandError(
            "This installation serves several organisations: name one with --org HOST "
            "(`tafel org list` shows them)."
        )
    if entries:
        tenancy.enter(entries[0].id)


def connected():
    """The command's database connection, open for the `with` block (the plumbing of a
    command; every write in it is a unit of work of its own in models/)."""
    return database.connection_context()


def let_go() -> None:
    """Close the command's connection (before handing the database to server workers or to a
    backup)."""
    database.close()


def kinds_of(subparsers, name: str, help_text: str):
    """The sub-subcommands of `tafel import` or `tafel export`, shared by every area: the
    first area to ask makes the group, later ones add their kinds to it."""
    parser = subparsers.choices.get(name)
    if parser is None:
        parser = subparsers.add_parser(name, help=help_text)
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action
    return parser.add_subparsers(dest=f"{name}_kind", required=True)
