"""What every area's `tafel` subcommands share: the plain-sentence error, opening the database,
and the `tafel import` / `tafel export` groups each area adds its kinds to."""

import argparse

from models import schema
from models.budget import receipt_store
from models.db import database, open_database
from webapp.settings import Settings


class CommandError(Exception):
    """A problem to report to the user in one plain sentence."""


def open_for_command(settings: Settings, migrate: bool = True) -> None:
    """Open the database named by the settings, bringing its schema up to date first, and
    keep receipts where the settings say."""
    open_database(settings.database_url)
    receipt_store.use(settings.receipts, settings.data_dir)
    if migrate:
        with database.connection_context():
            schema.migrate()


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
