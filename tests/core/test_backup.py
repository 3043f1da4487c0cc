"""`tafel backup` and `tafel restore`: one archive with the database and the receipts, put
back whole (also into a new, empty data folder), refused plainly when it is not a Tafel
backup; and the files holding personal data are readable by their owner only. Receipts are
kept in the database here (the default); tests/core/test_receipt_stores.py has the object
store and the receipts still in a data folder from before."""

import datetime as dt
import io
import json
import sqlite3
import stat
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from models import clock
from models.budget import Claim, SubBudget
from models.budget.receipt_store import DatabaseStore, ReceiptFile
from models.db import database, open_database
from models.organisation import Announcement, Project
from tests.conftest import BACKEND, csrf_of, login, owner_url


def _photo() -> bytes:
    """A real photo: receipts are drawn again on upload (models/budget/receipts.py)."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 120, 40)).save(out, "JPEG")
    return out.getvalue()


JPEG = _photo()


def tafel(*args, database_url: str, data_dir, extra=None) -> subprocess.CompletedProcess:
    env = {"TAFEL_DATA_DIR": str(data_dir), "DATABASE_URL": database_url, "PATH": "/usr/bin:/bin"}
    if database_url.startswith("postgres"):  # the owner backs up and restores the whole
        env["TAFEL_MIGRATE_DATABASE_URL"] = owner_url(database_url)
    env |= extra or {}
    return subprocess.run(
        [sys.executable, "-m", "webapp.cli", *args], capture_output=True, text=True, env=env
    )


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def submit_claim_with_receipt(client: TestClient) -> int:
    """Priya's claim for a train ticket, with the ticket's photo, through the claim form."""
    with database.connection_context():
        sub = SubBudget.get(SubBudget.name == "Reiskosten vrijwilligers")
    response = client.post(
        "/budget/claims",
        data={"csrf_token": csrf_of(client, "/"), "kind": "travel_public",
              "sub_budget": str(sub.id), "spent_on": clock.today().isoformat(), "km": "",
              "amount": "6,40", "description": "Trein"},
        files={"receipt": ("kaartje.jpg", JPEG, "image/jpeg")},
        follow_redirects=False,
    )  # fmt: skip
    assert response.status_code == 303, response.text[-1500:]
    with database.connection_context():
        return Claim.select().order_by(Claim.id.desc()).first().id


def project_names(url: str) -> list[str]:
    open_database(url)
    with database.connection_context():
        names = sorted(p.name for p in Project.select())
    database.close()
    return names


def test_a_backup_restored_into_a_new_empty_data_folder_serves_its_receipts(
    as_viewer, databases, db_url, data_dir, tmp_path, monkeypatch
):
    from webapp.app import create_app

    claim = submit_claim_with_receipt(as_viewer("priya"))
    with database.connection_context():
        stored = bytes(ReceiptFile.get().data)  # in the database, not in the data folder
    assert not (data_dir / "receipts").exists()
    backup = tmp_path / "tafel.backup"
    result = tafel("backup", str(backup), database_url=db_url, data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    assert "1 receipt" in result.stdout
    assert mode(backup) == 0o600
    with tarfile.open(backup) as archive:
        manifest = json.loads(archive.extractfile("manifest.json").read())
        assert not [n for n in archive.getnames() if n.startswith("receipts/")]  # in the copy
    assert manifest["kind"] == "tafel-backup" and manifest["database"] == BACKEND
    assert manifest["receipts"] == manifest["receipts_in_database"] == 1
    # The command runs in a process of its own, on the real clock: a UTC moment.
    assert dt.datetime.fromisoformat(manifest["created_at"]).tzinfo == dt.UTC

    elsewhere = tmp_path / "new-home" / "data"
    target = f"sqlite:///{elsewhere / 'tafel.db'}" if BACKEND == "sqlite" else databases.fresh()
    result = tafel("restore", str(backup), database_url=target, data_dir=elsewhere)
    assert result.returncode == 0, result.stderr
    assert "1 receipt" in result.stdout
    assert mode(elsewhere) == 0o700
    if BACKEND == "sqlite":
        assert mode(elsewhere / "tafel.db") == 0o600
    left = {"secret_key", "vapid_private_key"} | ({"tafel.db"} if BACKEND == "sqlite" else set())
    assert {p.name for p in elsewhere.iterdir()} == left  # no staging folder left behind

    monkeypatch.setenv("TAFEL_DATA_DIR", str(elsewhere))
    with TestClient(create_app(target)) as client:
        login(client, "penningmeester")
        got = client.get(f"/budget/claims/{claim}/receipt")
        assert got.status_code == 200 and got.content == stored
    with TestClient(create_app(target)) as client:
        login(client, "priya")
        assert client.get(f"/budget/claims/{claim}/receipt").content == stored
    database.close()


@pytest.fixture
def backed_up(as_viewer, db_url, data_dir, tmp_path):
    """A demo with one claim's receipt, backed up; the database changes after the backup.

    Gives the backup file and the project names it holds."""
    submit_claim_with_receipt(as_viewer("priya"))
    names = project_names(db_url)
    backup = tmp_path / "tafel.backup"
    result = tafel("backup", str(backup), database_url=db_url, data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    open_database(db_url)
    with database.connection_context():
        Announcement.delete().execute()
        Project.create(name="Na de backup")
    database.close()
    return backup, names


def announcements(url: str) -> int:
    open_database(url)
    with database.connection_context():
        count = Announcement.select().count()
    database.close()
    return count


def receipts_in(url: str) -> dict[str, bytes]:
    open_database(url)
    with database.connection_context():
        kept = {r.name: bytes(r.data) for r in ReceiptFile.select()}
    database.close()
    return kept


def test_restore_puts_back_the_database_and_its_receipts(backed_up, db_url, data_dir):
    backup, names = backed_up
    assert tafel("backup", str(backup), database_url=db_url, data_dir=data_dir).returncode == 1
    kept = receipts_in(db_url)
    open_database(db_url)
    with database.connection_context():
        ReceiptFile.delete().execute()  # lost after the backup: the restore brings it back
        with database.atomic():
            DatabaseStore().put("later.jpg", JPEG)  # added after it: the restore removes it
    database.close()

    result = tafel("restore", str(backup), database_url=db_url, data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    assert "1 receipt" in result.stdout
    assert project_names(db_url) == names and announcements(db_url) > 0
    assert receipts_in(db_url) == kept and len(kept) == 1


def rewritten(backup: Path, target: Path, manifest=None, extra=()) -> Path:
    """A copy of a real backup with the manifest changed or hostile members added."""
    with tarfile.open(backup) as source, tarfile.open(target, "w:gz") as out:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name == "manifest.json" and manifest is not None:
                data = json.dumps({**json.loads(data), **manifest}).encode()
                member.size = len(data)
            out.addfile(member, io.BytesIO(data))
        for member in extra:
            out.addfile(member, io.BytesIO(b"\xff\xd8\xff boo" if member.isreg() else b""))
    return target


def member(name: str, kind=tarfile.REGTYPE, link: str = "") -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type, info.linkname = kind, link
    info.size = len(b"\xff\xd8\xff boo") if kind == tarfile.REGTYPE else 0
    return info


OTHER = {"sqlite": "postgresql", "postgresql": "sqlite"}[BACKEND]
HOSTILE = {
    "not a backup": (None, (), "is not a Tafel backup."),
    "another database kind": ({"database": OTHER}, (), "but this Tafel uses"),
    "a newer format": ({"format": 2}, (), "cannot restore."),
    "climbs out of the folder": (None, [member("receipts/../../evil.jpg")], "receipts folder"),
    "a path from the root": (None, [member("/tmp/evil.jpg")], "receipts folder"),
    "a folder in the receipts": (None, [member("receipts/a/evil.jpg")], "receipts folder"),
    "a link": (None, [member("receipts/x.jpg", tarfile.SYMTYPE, "/etc/passwd")], "receipts folder"),
    "an older file of the other kind": (None, (), "but this Tafel uses"),
    # SQLite: a file for each organisation the directory names, and no other (here: none).
    "an organisation's file the directory does not name": (
        None,
        [member("database.org2.sqlite3")],
        "holds the files of 2, so" if BACKEND == "sqlite" else "receipts folder",
    ),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_restore_refuses_what_is_not_this_installations_backup_and_changes_nothing(
    case, backed_up, db_url, data_dir, tmp_path
):
    backup, _names = backed_up
    manifest, extra, sentence = HOSTILE[case]
    hostile = tmp_path / "hostile.backup"
    if case == "not a backup":
        hostile.write_text("naam,rol\nAnouk,deelnemer\n")
    elif case == "an older file of the other kind":
        hostile.write_bytes(b"PGDMP\x01\x0e" if BACKEND == "sqlite" else b"SQLite format 3\x00")
    else:
        rewritten(backup, hostile, manifest, extra)
    names, receipts = project_names(db_url), receipts_in(db_url)
    folder = sorted(data_dir.iterdir())

    result = tafel("restore", str(hostile), database_url=db_url, data_dir=data_dir)
    assert result.returncode == 1
    assert sentence in result.stderr, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert project_names(db_url) == names and "Na de backup" in names
    assert receipts_in(db_url) == receipts
    assert sorted(data_dir.iterdir()) == folder
    assert not list(tmp_path.rglob("evil.jpg")) and not Path("/tmp/evil.jpg").exists()


def test_an_older_database_only_backup_still_restores_and_leaves_the_receipts(
    backed_up, db_url, data_dir, tmp_path
):
    _backup, names = backed_up
    open_database(db_url)
    with database.connection_context():
        Project.delete().where(Project.name == "Na de backup").execute()
    database.close()
    old = tmp_path / "old.backup"  # what `tafel backup` wrote before receipts were included
    if BACKEND == "sqlite":
        live, copy = sqlite3.connect(db_url[len("sqlite:///") :]), sqlite3.connect(old)
        live.backup(copy)
        live.close(), copy.close()
    else:
        subprocess.run(
            ["pg_dump", "--format=custom", "--file", str(old), owner_url(db_url)], check=True
        )
    open_database(db_url)
    with database.connection_context():
        Project.create(name="Na de oude backup")
    database.close()
    receipts = receipts_in(db_url)

    result = tafel("restore", str(old), database_url=db_url, data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    assert "older backup without receipts" in result.stdout
    assert project_names(db_url) == names
    assert receipts_in(db_url) == receipts


@pytest.mark.skipif(BACKEND != "sqlite", reason="the SQLite file")
def test_the_data_folder_the_database_and_the_key_are_readable_by_their_owner_only(tmp_path):
    from webapp.settings import Settings

    data_dir = tmp_path / "fresh" / "data"
    settings = Settings.from_env(environ={"TAFEL_DATA_DIR": str(data_dir)})
    open_database(settings.database_url)
    with database.connection_context():
        database.execute_sql("CREATE TABLE note (text TEXT)")
        database.execute_sql("INSERT INTO note VALUES ('persoonlijk')")
        files = {p.name: mode(p) for p in data_dir.iterdir()}
    database.close()
    assert mode(data_dir) == 0o700
    assert files == {"secret_key": 0o600, "vapid_private_key": 0o600, "tafel.db": 0o600,
                     "tafel.db-wal": 0o600,
                     "tafel.db-shm": 0o600}  # fmt: skip
