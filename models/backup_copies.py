"""A consistent copy of the live database (SQLite's online backup API, or pg_dump) and putting
one back (in one transaction: nothing changes on failure), for models/backup.py, which
writes and reads the archive around them."""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from models import tenancy
from models.db import sqlite_path
from models.private_files import create_private_file, private_folder


class BackupError(Exception):
    """A backup or restore that cannot be done; the message is one plain sentence."""


def copy_database(kind: str, database_url: str, copy: Path) -> None:
    """A consistent copy of the live database, taken while Tafel may keep running."""
    if kind == "sqlite":
        live = Path(sqlite_path(database_url))
        if not live.is_file():
            raise BackupError(f"The database {live} does not exist.")
        create_private_file(copy)
        with connect(live) as source, connect(copy) as target:
            source.backup(target)
    else:
        # A single-organisation install whose one role owns the tables: row-level security
        # (forced, so the owner too) shows it the organisation's rows when it is set, which
        # is every row. With several organisations no setting is made: a role that may not
        # bypass row-level security then fails loudly rather than dump a part.
        only = tenancy.directory.only()
        options = ["--enable-row-security"] if only else []
        env = {**os.environ, "PGOPTIONS": f"-c tafel.organisation={only.id}"} if only else None
        run(
            ["pg_dump", "--format=custom", *options, "--file", str(copy), pg_url(database_url)],
            env=env,
        )


def restore_database(kind: str, database_url: str, copy: Path) -> None:
    """Replace the live database with the copy in one transaction (nothing changes on failure)."""
    if kind == "sqlite":
        check_sqlite_copy(copy)
        with connect(copy) as source:
            live = Path(sqlite_path(database_url))
            private_folder(live.parent)
            made_here = create_private_file(live)
            try:
                with connect(live) as target:
                    source.backup(target)
            except BaseException:
                if made_here:
                    live.unlink(missing_ok=True)
                raise
    else:
        run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--dbname",
                pg_url(database_url),
                str(copy),
            ]
        )


def check_sqlite_copy(copy: Path) -> None:
    """Refuse a damaged SQLite copy before anything is restored from it."""
    with connect(copy) as source:
        try:
            healthy = source.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        except sqlite3.DatabaseError:
            healthy = False
    if not healthy:
        raise BackupError("The database in the backup is damaged; nothing was restored.")


class connect:
    """A sqlite3 connection that is closed (not only committed) at the end of the block."""

    def __init__(self, path: Path):
        self.connection = sqlite3.connect(path)

    def __enter__(self) -> sqlite3.Connection:
        return self.connection

    def __exit__(self, *exc) -> None:
        self.connection.close()


def pg_url(database_url: str) -> str:
    return database_url.replace("postgres://", "postgresql://", 1)


def run(command: list[str], env=None) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not installed; install the PostgreSQL client tools.")
    result = subprocess.run(command, capture_output=True, text=True, umask=0o077, env=env)
    if result.returncode != 0:
        detail = (result.stderr.strip().splitlines() or ["unknown error"])[-1]
        raise BackupError(f"{command[0]} failed: {detail}")
