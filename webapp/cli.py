"""The `tafel` command: serve, migrate, demo, backup and restore (see docs/data-exchange.md).

A failed command prints one plain sentence to stderr and exits non-zero.
"""

import argparse
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

from models import schema
from models.db import database, is_sqlite, open_database
from webapp.settings import Settings, SettingsError


class CommandError(Exception):
    """A problem to report to the user in one plain sentence."""


def _open(settings: Settings, migrate: bool = True):
    open_database(settings.database_url)
    if migrate:
        with database.connection_context():
            schema.migrate()


def cmd_serve(args, settings):
    """Run the web app: migrate once, then serve with `--workers` processes."""
    import uvicorn

    from webapp.request_log import server_log_config

    if not 1 <= args.workers <= 64:
        raise CommandError("Choose between 1 and 64 workers.")
    _open(settings)
    database.close()
    # Each worker builds its own app from the same environment (webapp.app.create_app).
    # Proxy headers (X-Forwarded-For/-Proto) are trusted only from --forwarded-allow-ips.
    uvicorn.run(
        "webapp.app:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        proxy_headers=bool(args.forwarded_allow_ips),
        forwarded_allow_ips=args.forwarded_allow_ips or "",
        access_log=False,
        server_header=False,
        log_config=server_log_config(),
    )


def cmd_migrate(args, settings):
    """Bring the schema up to date."""
    _open(settings, migrate=False)
    with database.connection_context():
        applied = schema.migrate()
    print(f"applied {len(applied)} migration(s)" + (": " + ", ".join(applied) if applied else ""))


def cmd_demo(args, settings):
    """Load the demo organisation (idempotent)."""
    from seeds.demo import load_demo

    if settings.production:
        raise CommandError("TAFEL_ENV is production, so Tafel does not make demo accounts here.")
    if args.scale < 1 or args.scale > 1000:
        raise CommandError("Choose a scale between 1 and 1000.")
    _open(settings)
    with database.connection_context():
        summary = load_demo(scale=args.scale)
    print(summary)


def _sqlite_path(settings: Settings) -> Path:
    return Path(settings.database_url[len("sqlite:///") :])


def _pg_url(settings: Settings) -> str:
    return settings.database_url.replace("postgres://", "postgresql://", 1)


def cmd_backup(args, settings):
    """Write a consistent copy of the whole database to FILE."""
    target = Path(args.file)
    if target.exists():
        raise CommandError(f"{target} already exists; choose a new file name.")
    _open(settings)
    if is_sqlite():
        database.close()
        with sqlite3.connect(_sqlite_path(settings)) as source, sqlite3.connect(target) as copy:
            source.backup(copy)
    else:
        _run(["pg_dump", "--format=custom", "--file", str(target), _pg_url(settings)])
    print(f"backup written to {target}")


def cmd_restore(args, settings):
    """Replace the whole database with the copy in FILE."""
    source = Path(args.file)
    if not source.is_file():
        raise CommandError(f"{source} does not exist.")
    open_database(settings.database_url)
    if is_sqlite():
        with open(source, "rb") as fh:
            if fh.read(16) != b"SQLite format 3\x00":
                raise CommandError(f"{source} is not a Tafel backup of a SQLite database.")
        database.close()
        with sqlite3.connect(source) as copy, sqlite3.connect(_sqlite_path(settings)) as live:
            copy.backup(live)
    else:
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--dbname",
                _pg_url(settings),
                str(source),
            ]
        )
    print(f"restored from {source}")


def _run(command: list[str]) -> None:
    if shutil.which(command[0]) is None:
        raise CommandError(f"{command[0]} is not installed; install the PostgreSQL client tools.")
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        detail = (result.stderr.strip().splitlines() or ["unknown error"])[-1]
        raise CommandError(f"{command[0]} failed: {detail}")


def build_parser() -> argparse.ArgumentParser:
    """The command line: one subcommand per task."""
    parser = argparse.ArgumentParser(prog="tafel", description="Tafel on the command line.")
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="run the web app")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1, help="worker processes (default 1)")
    serve.add_argument(
        "--forwarded-allow-ips",
        default="",
        metavar="ADDRESSES",
        help="comma-separated addresses of the reverse proxy whose X-Forwarded-* headers "
        "are trusted (default: none)",
    )
    serve.set_defaults(func=cmd_serve)

    sub.add_parser("migrate", help="bring the schema up to date").set_defaults(func=cmd_migrate)

    demo = sub.add_parser("demo", help="load the demo organisation")
    demo.add_argument("--scale", type=int, default=1)
    demo.set_defaults(func=cmd_demo)

    backup = sub.add_parser("backup", help="copy the whole database to FILE")
    backup.add_argument("file")
    backup.set_defaults(func=cmd_backup)

    restore = sub.add_parser("restore", help="replace the database with the copy in FILE")
    restore.add_argument("file")
    restore.set_defaults(func=cmd_restore)

    for register in area_commands():
        register(sub)
    return parser


def area_commands() -> list:
    """Each area's `register(subparsers)` for its own subcommands (user, import, export …)."""
    from webapp import accounts_cli, budget_cli, meetings_cli, people_cli

    return [accounts_cli.register, people_cli.register, budget_cli.register, meetings_cli.register]


def main(argv: list[str] | None = None) -> int:
    """Run a subcommand; return its exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        settings = Settings.from_env()
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
