"""The people area's `tafel` subcommands: `tafel import members FILE.csv` and
`tafel export representation [--project NAME]`."""

import sys
from pathlib import Path

from models.db import database
from models.organisation import Project
from models.people.exchange import import_members, representation_csv
from models.rules.csvfile import CsvError
from webapp.commands import CommandError, kinds_of, open_for_command

# What an import counts as new, with the English words for one and for more (the command line
# speaks English).
NEW = {
    "people": ("person", "people"),
    "projects": ("project", "projects"),
    "memberships": ("membership", "memberships"),
}


def cmd_import_members(args, settings):
    """Import people and memberships from members.csv (all or nothing)."""
    path = Path(args.file)
    if not path.is_file():
        raise CommandError(f"{path} does not exist.")
    open_for_command(settings)
    with database.connection_context():
        try:
            counts = import_members(path.read_bytes())
        except CsvError as error:
            raise CommandError(str(error)) from None
    new = [f"{counts[key]} new {words[counts[key] != 1]}" for key, words in NEW.items()]
    print(f"imported: {', '.join(new)}, {counts['changed']} changed")


def cmd_export_representation(args, settings):
    """Write the 51% check as representation.csv to stdout."""
    open_for_command(settings)
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
