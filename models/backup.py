"""Backups: one archive with the whole database and the uploaded receipts, and back.

A backup is a gzipped tar file holding
  manifest.json       {"kind": "tafel-backup", "format": 1, "database": "sqlite" or
                       "postgresql", "created_at": "...Z", "receipts": N,
                       "receipt_store": "database" or "s3", "receipts_in_database": D}
  database.sqlite3    a consistent copy (SQLite's online backup API), or
  database.pgdump     `pg_dump --format=custom` (PostgreSQL)
  database.orgN.sqlite3  SQLite with several organisations (issue 24): each other
                      organisation's own file, N its id (the first's is database.sqlite3)
  receipts/NAME       each receipt kept outside the database (in the object store, or still
                      in the data folder's receipts/ folder from before)
and is written mode 0600. Receipts kept in the database (TAFEL_RECEIPTS=database, the
default) are in the database copy itself; N counts them all.

A restore replaces the database with the backup's (SQLite: each other organisation's file too,
beside the installation's as tafel.orgN.db, all or none: models/backup_copies.py), then puts
the archive's receipts into the store TAFEL_RECEIPTS names (an object store's receipts that
the backup does not hold are removed, as the database's rows are). It first checks the whole
archive (a Tafel backup, of this database kind, no name outside the receipts folder, on
SQLite a file for each organisation its directory names) and refuses it without changing
anything otherwise. A host's data folder is never written: the archive is unpacked in the
temporary folder. An older backup (a plain SQLite file or pg_dump file, from before receipts
were included) still restores the database; receipts are then left as they are.
"""

import datetime as dt
import io
import json
import re
import shutil
import sqlite3
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from models import clock, schema, tenancy
from models.backup_copies import (
    BackupError,
    check_sqlite_copy,
    connect,
    copy_database,
    other_organisation_ids,
    restore_database,
    restore_sqlite_files,
)
from models.backup_organisation import export_organisation
from models.budget import receipt_store
from models.budget.receipt_store import FolderStore, ReceiptFile
from models.budget.receipts import FOLDER, is_receipt_name
from models.db import database, open_database, sqlite_path
from models.private_files import (
    create_private_file,
    open_new_private_file,
    private_folder,
)

KIND = "tafel-backup"
FORMAT = 1
MANIFEST = "manifest.json"
DATABASE_MEMBER = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
DATABASE_NAMES = {"sqlite": "a SQLite database", "postgresql": "a PostgreSQL database"}
# The first bytes of the database copies: an archive member, or an older plain backup file.
MAGIC = {"sqlite": b"SQLite format 3\x00", "postgresql": b"PGDMP"}


@dataclass(frozen=True)
class Restored:
    """What a restore put back: the receipts count is None for an older database-only file."""

    database: str
    receipts: int | None


def database_kind(url: str) -> str:
    """'sqlite' or 'postgresql', from a DATABASE_URL."""
    if url.startswith("sqlite:"):
        return "sqlite"
    if url.startswith(("postgresql:", "postgres:")):
        return "postgresql"
    raise BackupError("DATABASE_URL must start with sqlite:/// or postgresql://.")


def write_backup(
    target: Path, database_url: str, data_dir: Path, organisation: int | None = None
) -> int:
    """Write the database and every receipt to a new archive at `target`; the receipt count.

    The database is copied first, then the receipts, so every receipt the copy names is in
    the archive even while Tafel keeps running. A failed backup leaves no file behind.

    `organisation`: the backup holds that organisation alone (issue 24: leaving is possible;
    it restores as a single-organisation install): on SQLite `database_url` is its own file,
    copied with the directory's other organisations left out; on PostgreSQL its rows are
    written to a SQLite database (the archive is then of kind "sqlite"). Only the receipts
    its entries and claims name are added.
    """
    kind = database_kind(database_url)
    # One organisation of PostgreSQL leaves as a SQLite database (models/backup_organisation.py).
    exported = organisation is not None and kind == "postgresql"
    try:
        archive_file = open_new_private_file(target)
    except FileExistsError:
        raise BackupError(f"{target} already exists; choose a new file name.") from None
    except OSError as exc:
        raise BackupError(f"{target} cannot be written: {exc.strerror}.") from None
    try:
        with (
            archive_file,
            tempfile.TemporaryDirectory(prefix=".tafel-backup-", dir=target.parent) as work,
        ):
            if exported:
                kind = "sqlite"
                copy = Path(work) / DATABASE_MEMBER[kind]
                create_private_file(copy)
                export_organisation(copy)
            else:
                copy = Path(work) / DATABASE_MEMBER[kind]
                copy_database(kind, database_url, copy)
            # SQLite keeps each other organisation in a file of its own: the whole
            # installation's backup holds them all (a nightly backup is never a part).
            others = (
                _copy_other_organisations(database_url, copy, Path(work))
                if kind == "sqlite" and organisation is None
                else []
            )
            in_database = _receipts_in_database(kind, database_url, copy)
            in_database += sum(_receipts_in_file(path) for _member, path in others)
            outside = _receipts_outside_database(data_dir)
            if organisation is not None:
                named = _only_organisation(copy, organisation)
                outside = [(name, store) for name, store in outside if name in named]
            manifest = {
                "kind": KIND,
                "format": FORMAT,
                "database": kind,
                "created_at": clock.now().isoformat() + "Z",
                "receipts": in_database + len(outside),
                "receipt_store": receipt_store.chosen().kind,
                "receipts_in_database": in_database,
            }
            if others:
                manifest["organisations"] = len(others) + 1
            with tarfile.open(fileobj=archive_file, mode="w:gz") as archive:
                _add_bytes(archive, MANIFEST, json.dumps(manifest, indent=2).encode())
                _add_file(archive, DATABASE_MEMBER[kind], copy)
                for member, path in others:
                    _add_file(archive, member, path)
                for name, source in outside:
                    data = source.get(name)
                    if data is None:
                        raise BackupError(f"The receipt {name} could not be read.")
                    _add_bytes(archive, f"{FOLDER}/{name}", data)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return in_database + len(outside)


def organisation_url(database_url: str) -> str:
    """SQLite: the address of the organisation at hand's own file (else `database_url`)."""
    if database_kind(database_url) != "sqlite":
        return database_url
    return f"sqlite:///{database.obj.database}"


# An other organisation's own file in a SQLite backup (N: its id in the directory).
ORGANISATION_MEMBER = re.compile(r"database\.org([1-9][0-9]{0,9})\.sqlite3")
ORGANISATION_MEMBER_NAME = "database.org{}.sqlite3"


def _copy_other_organisations(database_url: str, copy: Path, work: Path) -> list:
    """SQLite: a consistent copy of each organisation's own file but the first's, for the
    organisations the copied directory names; (archive member, copy) each."""
    live = sqlite_path(database_url)
    others = []
    for organisation_id in other_organisation_ids(copy):
        member = ORGANISATION_MEMBER_NAME.format(organisation_id)
        copy_database("sqlite", f"sqlite:///{tenancy.organisation_file(live, organisation_id)}",
                      work / member)  # fmt: skip
        others.append((member, work / member))
    return others


def _receipts_in_file(path: Path) -> int:
    with connect(path) as copied:
        return copied.execute("SELECT count(*) FROM receipt_file").fetchone()[0]


def _only_organisation(copy: Path, organisation: int) -> set[str]:
    """Leave the other organisations out of the copy's directory; the receipts it names."""
    with connect(copy) as db:
        db.execute("DELETE FROM organisation WHERE id != ?", (organisation,))
        db.commit()
        db.execute("VACUUM")
        return {
            name
            for table in ("claim", "ledger_entry")
            for (name,) in db.execute(f"SELECT receipt FROM {table} WHERE receipt IS NOT NULL")
        }


def _receipts_in_database(kind: str, database_url: str, copy: Path) -> int:
    """How many receipts the database copy holds itself."""
    if kind == "sqlite":
        with connect(copy) as copied:
            try:
                return copied.execute("SELECT count(*) FROM receipt_file").fetchone()[0]
            except sqlite3.OperationalError:  # a database from before the table
                return 0
    with database.connection_context():
        return ReceiptFile.select().count()


def _receipts_outside_database(data_dir: Path) -> list[tuple[str, object]]:
    """Each receipt kept outside the database, with the store it is read from: the object
    store's, then those still in the data folder (once per name)."""
    found: dict[str, object] = {}
    chosen = receipt_store.chosen()
    if chosen.kind != "database":
        found |= {name: chosen for name in chosen.names() if is_receipt_name(name)}
    folder = FolderStore(data_dir)
    for name in folder.names():
        found.setdefault(name, folder)
    return sorted(found.items())


def restore_backup(source: Path, database_url: str) -> Restored:
    """Replace the database with the one in the backup at `source`, and put its receipts
    into the chosen store."""
    kind = database_kind(database_url)
    if not source.is_file():
        raise BackupError(f"{source} does not exist.")
    with open(source, "rb") as fh:
        start = fh.read(16)
    for old_kind, magic in MAGIC.items():
        if start.startswith(magic):
            _refuse_other_kind(source, old_kind, kind)
            restore_database(kind, database_url, source)
            return Restored(database=kind, receipts=None)
    try:
        archive = tarfile.open(source, mode="r:*")
    except (tarfile.TarError, OSError):
        raise BackupError(f"{source} is not a Tafel backup.") from None
    with archive:
        try:
            receipts, others = _checked_members(source, archive, kind)
        except (tarfile.TarError, EOFError, OSError, UnicodeDecodeError, ValueError):
            raise BackupError(f"{source} is not a Tafel backup, or it is damaged.") from None
        staging = Path(tempfile.mkdtemp(prefix="tafel-restoring-"))
        try:
            copy = staging / DATABASE_MEMBER[kind]
            _extract(archive, DATABASE_MEMBER[kind], copy)
            if kind == "sqlite":
                check_sqlite_copy(copy)
                _refuse_missing_organisations(source, copy, others)
            new_receipts = private_folder(staging / FOLDER)
            for member in receipts:
                _extract(archive, member.name, new_receipts / member.name[len(FOLDER) + 1 :])
            for member, _id in others:
                _extract(archive, member, staging / member)
                check_sqlite_copy(staging / member)  # every file checked before any is written
            if others:  # SQLite: each organisation's file, all or none
                live = sqlite_path(database_url)
                restore_sqlite_files(
                    [(copy, Path(live))]
                    + [(staging / member, Path(tenancy.organisation_file(live, organisation_id)))
                       for member, organisation_id in others]
                )  # fmt: skip
            else:
                restore_database(kind, database_url, copy)
            count = _put_receipts(database_url, new_receipts)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return Restored(database=kind, receipts=count)


def _put_receipts(database_url: str, folder: Path) -> int:
    """Bring the restored database's schema up to date, put the unpacked receipts into the
    chosen store (an object store keeps no receipt the backup does not hold); how many
    receipts the installation holds now."""
    open_database(database_url)
    try:
        with database.connection_context():
            schema.migrate()
            chosen = receipt_store.chosen()
            unpacked = sorted(p.name for p in folder.iterdir())
            kept = set(chosen.names())
            for name in unpacked:
                if name not in kept:
                    with database.atomic():
                        chosen.put(name, (folder / name).read_bytes())
            if chosen.kind != "database":
                for name in kept - set(unpacked):
                    chosen.delete(name)
            in_database = 0
            for _organisation in tenancy.each_organisation(active_only=False):  # each its own
                with database.connection_context():
                    in_database += ReceiptFile.select().count()
    finally:
        database.close()
    return in_database if chosen.kind == "database" else in_database + len(unpacked)


def _checked_members(source: Path, archive: tarfile.TarFile, kind: str) -> tuple[list, list]:
    """The archive's receipt members and (SQLite) its other organisations' files as (member,
    organisation id), once every member and the manifest have been checked."""
    members = archive.getmembers()
    names = [m.name for m in members]
    if MANIFEST not in names:
        raise BackupError(f"{source} is not a Tafel backup.")
    manifest = json.loads(archive.extractfile(MANIFEST).read().decode())
    if not isinstance(manifest, dict) or manifest.get("kind") != KIND:
        raise BackupError(f"{source} is not a Tafel backup.")
    if manifest.get("format") != FORMAT:
        raise BackupError(
            f"{source} is a Tafel backup in format {manifest.get('format')}, "
            f"which this version of Tafel (format {FORMAT}) cannot restore."
        )
    _refuse_other_kind(source, manifest.get("database"), kind)
    if len(set(names)) != len(names):
        raise BackupError(f"{source} holds a file twice, so it is not a Tafel backup.")
    receipts, others = [], []
    for member in members:
        if member.name in (MANIFEST, DATABASE_MEMBER[kind]) and member.isreg():
            continue
        other = ORGANISATION_MEMBER.fullmatch(member.name) if kind == "sqlite" else None
        if other and member.isreg():
            others.append((member.name, int(other.group(1))))
            continue
        folder, _slash, name = member.name.partition("/")
        if folder != FOLDER or not is_receipt_name(name) or not member.isreg():
            raise BackupError(
                f"{source} holds {member.name!r}, which is not a file in the receipts folder, "
                "so Tafel restores nothing from it."
            )
        receipts.append(member)
    if DATABASE_MEMBER[kind] not in names:
        raise BackupError(f"{source} holds no database, so it is not a Tafel backup.")
    return receipts, others


def _refuse_missing_organisations(source: Path, copy: Path, others: list) -> None:
    """Refuse a SQLite archive that does not hold exactly the files of the organisations its
    directory names (the first's aside, which is the database itself)."""
    named, held = other_organisation_ids(copy), sorted(i for _member, i in others)
    if named != held:
        lists = f"the organisations {', '.join(map(str, named))}" if named else "no organisation"
        holds = f"the files of {', '.join(map(str, held))}" if held else "no organisation's file"
        raise BackupError(
            f"{source} lists {lists} in its directory beside the first, but holds {holds}, "
            "so Tafel restores nothing from it."
        )


def _refuse_other_kind(source: Path, found: str | None, kind: str) -> None:
    if found != kind:
        raise BackupError(
            f"{source} is a backup of {DATABASE_NAMES.get(found, 'an unknown database')}, "
            f"but this Tafel uses {DATABASE_NAMES[kind]}."
        )


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = _info(name, len(data), int(clock.now().replace(tzinfo=dt.UTC).timestamp()))
    archive.addfile(info, io.BytesIO(data))


def _add_file(archive: tarfile.TarFile, name: str, path: Path) -> None:
    stat = path.stat()
    with open(path, "rb") as fh:
        archive.addfile(_info(name, stat.st_size, int(stat.st_mtime)), fh)


def _info(name: str, size: int, mtime: int) -> tarfile.TarInfo:
    """A member owned by nobody in particular, readable by its owner only."""
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = size, mtime, 0o600
    return info


def _extract(archive: tarfile.TarFile, name: str, path: Path) -> None:
    """Copy one member's bytes to a new 0600 file (never tar's own extract, which trusts names)."""
    with archive.extractfile(name) as source, open_new_private_file(path) as target:
        shutil.copyfileobj(source, target)
