"""The people area's `tafel` subcommands: `tafel import members FILE.csv`,
`tafel export members [--dutch]` and `tafel export representation [--project NAME]`."""

import sys
from pathlib import Path

from models.organisation import Project
from models.people.exchange import import_members, preview_members, representation_csv
from models.people.members_file import members_csv
from models.people.whatif import below_note
from models.rules.csvfile import CsvError
from webapp.commands import CommandError, connected, kinds_of, open_for_command

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
    raw = path.read_bytes()
    with connected():
        try:
            # The same 51% what-if as the screens (issue 19, M4): the command line holds
            # every right, so it counts every answer; a fall below 51% needs the flag.
            # A group that passes and would fail needs the flag; a group the file starts (on
            # a fresh install every group) is not a fall.
            changes = preview_members(raw, None)
            falling = [
                f"{c.scope}/{c.dimension}/{c.group}"
                for c in changes
                if c.falls_below and c.before is not None
            ]
            if falling and not args.confirm_below:
                raise CommandError(
                    "These groups would fall below 51%: "
                    + ", ".join(falling)
                    + ". Nothing was imported; add --confirm-below to import anyway."
                )
            counts = import_members(raw, note_for_log=below_note(changes))
        except CsvError as error:
            raise CommandError(str(error)) from None
    new = [f"{counts[key]} new {words[counts[key] != 1]}" for key, words in NEW.items()]
    print(f"imported: {', '.join(new)}, {counts['changed']} changed")


def cmd_export_representation(args, settings):
    """Write the 51% check as representation.csv to stdout."""
    open_for_command(settings)
    with connected():
        project = None
        if args.project:
            project = Project.get_or_none(Project.name == args.project)
            if project is None:
                raise CommandError(f"There is no project called {args.project}.")
        sys.stdout.write(representation_csv(project))


def cmd_export_members(args, settings):
    """Write every membership as members.csv to stdout, with the client-background answers:
    whoever runs the command operates the server and holds the whole database (docs/
    data-exchange.md "members.csv (export)")."""
    open_for_command(settings)
    with connected():
        sys.stdout.write(members_csv(None, "nl" if args.dutch else "en"))


def register(subparsers) -> None:
    """Add this area's subcommands to `tafel`."""
    imports = kinds_of(subparsers, "import", "read a CSV file into Tafel")
    members = imports.add_parser("members", help="people and memberships (members.csv)")
    members.add_argument("file")
    members.add_argument(
        "--confirm-below",
        action="store_true",
        help="import even when a group falls below 51%% (the 51%% confirmation)",
    )
    members.set_defaults(func=cmd_import_members)

    exports = kinds_of(subparsers, "export", "write a CSV file to stdout")
    representation = exports.add_parser("representation", help="the 51%% check as CSV")
    representation.add_argument("--project", default=None)
    representation.set_defaults(func=cmd_export_representation)
    members = exports.add_parser("members", help="people and memberships (members.csv)")
    members.add_argument(
        "--dutch", action="store_true", help="Dutch column names and values (persoon, ja, …)"
    )
    members.set_defaults(func=cmd_export_members)
