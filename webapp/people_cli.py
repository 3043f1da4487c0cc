"""`tafel import members FILE.csv` and `tafel export representation [--project NAME]`."""

import argparse
import sys
from pathlib import Path

from models.db import database


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


def cmd_import_members(args, settings):
    """Import people and memberships from members.csv (all or nothing)."""
    from models.rules.csvfile import CsvError
    from webapp.cli import CommandError, _open
    from webapp.people_exchange import import_members

    path = Path(args.file)
    if not path.is_file():
        raise CommandError(f"{path} does not exist.")
    _open(settings)
    with database.connection_context():
        try:
            counts = import_members(path.read_bytes())
        except CsvError as error:
            raise CommandError(str(error)) from None
    print(
        f"imported: {counts['people']} new people, {counts['projects']} new projects, "
        f"{counts['memberships']} new memberships, {counts['changed']} changed"
    )


def cmd_export_representation(args, settings):
    """Write the 51% check as representation.csv to stdout."""
    from models.organisation import Project
    from webapp.cli import CommandError, _open
    from webapp.people_exchange import representation_csv

    _open(settings)
    with database.connection_context():
        project = None
        if args.project:
            project = Project.get_or_none(Project.name == args.project)
            if project is None:
                raise CommandError(f"There is no project called {args.project}.")
        sys.stdout.write(representation_csv(project))


def register(subparsers) -> None:
    """Add this area's subcommands to `tafel`."""
    imports = kinds_of(subparsers, "import", "read a CSV file into Tafel")
    members = imports.add_parser("members", help="people and memberships (members.csv)")
    members.add_argument("file")
    members.set_defaults(func=cmd_import_members)

    exports = kinds_of(subparsers, "export", "write a CSV file to stdout")
    representation = exports.add_parser("representation", help="the 51%% check as CSV")
    representation.add_argument("--project", default=None)
    representation.set_defaults(func=cmd_export_representation)
