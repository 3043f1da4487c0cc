"""The `tafel` command: its parser is built from each area's `commands.register` (see
docs/data-exchange.md). A failed command prints one plain sentence to stderr and exits
non-zero."""

import argparse
import dataclasses
import sqlite3
import sys

from models import tenancy
from webapp.areas import area_modules
from webapp.commands import CommandError
from webapp.settings import Settings, SettingsError


def build_parser() -> argparse.ArgumentParser:
    """The command line: one subcommand per task, each area adding its own."""
    parser = argparse.ArgumentParser(prog="tafel", description="Tafel on the command line.")
    parser.add_argument(
        "--org",
        metavar="HOST",
        default="",
        help="the organisation to work for, by its host name (or TAFEL_ORG)",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    for commands in area_modules("commands"):
        commands.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run a subcommand; return its exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        settings = Settings.from_env()
        if args.org:
            settings = dataclasses.replace(settings, organisation=args.org.strip())
        with tenancy.working_for(None):  # the command chooses its organisation
            args.func(args, settings)
    except (CommandError, SettingsError, ValueError) as exc:
        print(str(exc), file=sys.stderr)
        return 1
    except sqlite3.Error as exc:
        print(f"The database could not be used: {exc}.", file=sys.stderr)
        return 1
    except Exception as exc:  # noqa: BLE001 - a command never ends in a traceback for users
        print(f"Tafel could not finish: {exc.__class__.__name__}: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
