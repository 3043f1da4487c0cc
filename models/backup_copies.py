"""A consistent copy of the live database (SQLite's online backup API, or pg_dump) and putting
one back (in one transaction: nothing changes on failure), or on SQLite several files at once
(a federation's, one per organisation: all or none), for models/backup.py, which writes and
reads the archive around them."""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from models import tenancy
from models.db import SQLITE_SIDECARS, remove_sqlite_file, sqlite_path
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


# Beside each live file while a restore of several puts it back: tafel.org3.db.restoring.
STAGING_SUFFIX = ".restoring"


# What SQLite keeps beside a database file: the write-ahead log and its index, or the
# rollback journal.
def restore_sqlite_files(copies: list[tuple[Path, Path]]) -> None:
    """Replace several live SQLite files with their copies (copy, live file) as one step, as
    far as the filesystem allows: each copy is first put into a staging file beside its live
    file (same folder, 0600, SQLite's online backup) and checked; only when every one is
    staged is each moved into place with os.replace (one rename). A failure before the moves
    removes every staging file and leaves every live file as it was.

    Tafel is stopped for a restore (docs/deploy.md, "Put a backup back for real"): a live file
    that another process still holds open is refused, so that no running Tafel keeps writing
    to a file that is no longer there.
    """
    staging_files = []
    try:
        for copy, live in copies:
            staging = live.with_name(live.name + STAGING_SUFFIX)
            staging_files.append(staging)
            _stage(copy, live, staging)
        for _copy, live in copies:
            _settle(live)
    except BaseException:
        for staging in staging_files:
            remove_sqlite_file(staging)
        raise
    for (_copy, live), staging in zip(copies, staging_files, strict=True):
        # The live file's log belongs to the old database (emptied into it by _settle): left
        # beside the new file, SQLite would apply it to that.
        for sidecar in SQLITE_SIDECARS:
            Path(f"{live}{sidecar}").unlink(missing_ok=True)
        os.replace(staging, live)
    for folder in {live.parent for _copy, live in copies}:
        _sync(folder)  # the renames themselves survive a power cut


def _stage(copy: Path, live: Path, staging: Path) -> None:
    """The copy, put into a new checked staging file beside the live file."""
    private_folder(live.parent)
    remove_sqlite_file(staging)  # one left by a restore that was stopped halfway
    try:
        create_private_file(staging)
        with connect(copy) as source, connect(staging) as target:
            source.backup(target)
        _sync(staging)
        check_sqlite_copy(staging)
    except (OSError, sqlite3.Error) as exc:  # a full disk, say
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise BackupError(
            f"{staging} could not be written ({reason}); nothing was restored."
        ) from None


def _settle(live: Path) -> None:
    """Empty the live file's write-ahead log into it, and refuse it while another process
    holds it open (the log outlives a connection only while another one is open)."""
    if not live.exists():
        return
    try:
        with connect(live) as db:
            db.execute("SELECT count(*) FROM sqlite_master").fetchone()
            busy = db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
    except sqlite3.OperationalError as exc:
        busy = exc.sqlite_errorname in ("SQLITE_BUSY", "SQLITE_LOCKED")
        if not busy:
            return  # a broken live file, which the restore replaces as it is
    except sqlite3.DatabaseError:
        return
    if busy or any(Path(f"{live}{sidecar}").exists() for sidecar in SQLITE_SIDECARS):
        raise BackupError(
            f"{live} is in use: stop Tafel (the service and its jobs) before a restore; "
            "nothing was restored."
        )


def _sync(path: Path) -> None:
    """Flush a file's or a folder's entries to the disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def other_organisation_ids(copy: Path) -> list[int]:
    """The ids of the organisations a SQLite copy's directory names, but the first's (each of
    which keeps a file of its own)."""
    with connect(copy) as db:
        try:
            return [i for (i,) in db.execute("SELECT id FROM organisation ORDER BY id")][1:]
        except sqlite3.OperationalError:  # a database from before the organisation table
            return []


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
