"""Issue 25, points 1 and 2: receipts in an S3-compatible object store (moto's server, started
here on a free port, never a cloud), the receipts of a data folder from before moved into
the chosen store once and verifiably, and a production host that writes no file outside its
temporary folder while it serves (a receipt's upload and download included).

The round trip through the object store and its backup runs on both databases (the backup
is `pg_dump`'s on PostgreSQL, restored as the owner); the rest reads and writes the same
files on either, so it runs once."""

import hashlib
import os
import sys
import tarfile
import tempfile
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from models.budget import Claim, receipt_store
from models.budget.receipt_store import DatabaseStore, ReceiptFile, S3Store
from models.db import database, open_database
from tests.conftest import login, owner_url
from tests.core.conftest import BUCKET
from tests.core.test_backup import JPEG, submit_claim_with_receipt


@pytest.fixture
def in_s3(moto_s3, data_dir, monkeypatch):
    """TAFEL_RECEIPTS names the object store (a prefix of its own for each test)."""
    prefix = f"t{os.urandom(4).hex()}"
    monkeypatch.setenv("TAFEL_RECEIPTS", f"s3://{BUCKET}/{prefix}")
    yield S3Store(BUCKET, prefix)
    receipt_store.use(None)


@pytest.fixture
def run_tafel(db_url, monkeypatch, capsys):
    """`tafel` with these arguments, in this process (a second one costs seconds): its exit
    status and what it printed."""
    from webapp.cli import main

    monkeypatch.setenv("DATABASE_URL", db_url)
    if db_url.startswith("postgres"):  # the owner backs up and restores the whole
        monkeypatch.setenv("TAFEL_MIGRATE_DATABASE_URL", owner_url(db_url))

    def run(*args):
        capsys.readouterr()
        status = main(list(args))
        out, err = capsys.readouterr()
        return status, out, err

    return run


def test_receipts_round_trip_through_the_object_store_and_its_backups(
    in_s3, as_viewer, run_tafel, data_dir, tmp_path
):
    claim_id = submit_claim_with_receipt(as_viewer("priya"))
    with database.connection_context():
        name = Claim.get_by_id(claim_id).receipt
        assert ReceiptFile.select().count() == 0  # not in the database
    assert in_s3.names() == [name]
    got = as_viewer("penningmeester").get(f"/budget/claims/{claim_id}/receipt")
    assert got.status_code == 200 and got.content == in_s3.get(name)
    assert got.headers["content-type"] == "image/jpeg"
    assert "no-store" in got.headers["cache-control"]
    assert got.headers["x-content-type-options"] == "nosniff"
    assert got.headers["content-disposition"] == 'inline; filename="receipt.jpg"'
    assert as_viewer("coordinator").get(f"/budget/claims/{claim_id}/receipt").status_code == 403
    assert not (data_dir / "receipts").exists()

    backup = tmp_path / "tafel.backup"
    status, out, err = run_tafel("backup", str(backup))
    assert status == 0 and "1 receipt" in out, err
    with tarfile.open(backup) as archive:
        assert archive.extractfile(f"receipts/{name}").read() == in_s3.get(name)
    stored = in_s3.get(name)
    in_s3.delete(name)  # lost after the backup: the restore brings it back
    in_s3.put("later.jpg", JPEG)  # added after it: the restore removes it
    status, out, err = run_tafel("restore", str(backup))
    assert status == 0 and "1 receipt" in out, err
    assert in_s3.names() == [name] and in_s3.get(name) == stored


@pytest.mark.once
def test_receipts_from_before_move_into_the_object_store_once(in_s3, run_tafel, db_url, data_dir):
    """Receipts from the data folder and from the database (the store before) are read from
    there until moved; the move prints each hash and moves nothing twice."""
    folder = data_dir / "receipts"
    folder.mkdir(parents=True)
    (folder / "oud.jpg").write_bytes(JPEG)
    (folder / ".half.jpg.part").write_bytes(b"half")  # never a receipt
    setting = f"s3://{in_s3.bucket}/{in_s3.prefix}"
    receipt_store.use(setting, data_dir)
    open_database(db_url)
    with database.connection_context(), database.atomic():
        DatabaseStore().put("indb.png", b"\x89PNG\r\n\x1a\nrest")
    assert receipt_store.read("oud.jpg") == JPEG  # read from the folder until moved
    status, _out, err = run_tafel("receipts", "move", "--to", "database")
    assert status == 1 and "set TAFEL_RECEIPTS first" in err
    status, out, err = run_tafel("receipts", "move", "--to", "s3")
    assert status == 0, err
    digest = hashlib.sha256(JPEG).hexdigest()
    assert f"moved: oud.jpg sha256={digest}" in out
    assert "2 receipt(s) moved" in out
    assert in_s3.names() == ["indb.png", "oud.jpg"] and in_s3.get("oud.jpg") == JPEG
    assert [p.name for p in folder.iterdir()] == [".half.jpg.part"]
    with database.connection_context():
        assert ReceiptFile.select().count() == 0
    status, out, err = run_tafel("receipts", "move", "--to", "s3")
    assert status == 0 and "0 receipt(s) moved" in out, err


@pytest.mark.once
def test_the_move_finds_an_object_store_that_cannot_be_used_even_with_nothing_to_move(
    moto_s3, run_tafel, data_dir, monkeypatch
):
    """`tafel receipts move --to s3`, which docs/deploy.md has every installation run after
    switching, is the administrator's check of the store: a bucket that is not there (or a
    wrong address or key) is said in one sentence before anything moves, also when there is
    nothing to move; never "0 receipt(s) moved" into a store a host then fails to write to
    (found following the guide by hand, issue 25)."""
    monkeypatch.setenv("TAFEL_RECEIPTS", f"s3://no-such-{BUCKET}/tafel")
    try:
        status, out, err = run_tafel("receipts", "move", "--to", "s3")
    finally:
        receipt_store.use(None)
    assert status == 1 and out == "", out
    assert err.startswith(f"The object store s3://no-such-{BUCKET}/tafel/ cannot be used"), err
    assert "NoSuchBucket" in err and "Traceback" not in err


# --- a production host writes no file outside its temporary folder -----------------------

_written: list | None = None
WRITES = {"os.mkdir", "os.rename", "os.remove", "os.rmdir", "os.truncate", "os.link",
          "os.symlink", "os.chmod", "shutil.copyfile", "shutil.rmtree"}  # fmt: skip
WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC


def _audit(event, args):
    """Note every file this process writes while a test listens (sys.addaudithook)."""
    if _written is None:
        return
    if event == "open":
        path, mode, flags = args
        writing = (mode and any(c in str(mode) for c in "wax+")) or (
            isinstance(flags, int) and flags & WRITE_FLAGS
        )
        if writing and isinstance(path, str | bytes | os.PathLike):
            _written.append(os.fsdecode(path))
    elif event in WRITES and args and isinstance(args[0], str | bytes | os.PathLike):
        _written.append(os.fsdecode(args[0]))


if not getattr(sys, "_tafel_audit_writes", False):
    sys.addaudithook(_audit)
    sys._tafel_audit_writes = True


@pytest.mark.once
def test_a_production_host_writes_no_file_outside_its_temporary_folder(
    db_url, data_dir, tmp_path, monkeypatch
):
    """A data folder that may be read-only: serving logins, pages and a receipt's upload and
    download writes only into the temporary folder (uploads are spooled there). The database
    (a SQLite file here, written by SQLite's own code) is the one shared store."""
    global _written
    from webapp.app import create_app

    for name, value in {"TAFEL_ENV": "production", "TAFEL_BASE_URL": "http://testserver",
                        "TAFEL_SECRET_KEY": "k" * 50}.items():  # fmt: skip
        monkeypatch.setenv(name, value)
    host_tmp = tmp_path / "host-tmp"
    host_tmp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(host_tmp))
    data_dir.mkdir(exist_ok=True)
    _written = []
    try:
        with TestClient(create_app(db_url)) as priya:
            login(priya, "priya")
            claim_id = submit_claim_with_receipt(priya)
            assert priya.get(f"/budget/claims/{claim_id}/receipt").status_code == 200
            assert priya.get("/budget").status_code == 200
        with tempfile.TemporaryFile():  # what the host may do: the listener sees it
            pass
        written = list(_written)
    finally:
        _written = None
    # SQLite's file (made when missing, in its folder) is the database, not the host's own.
    shared = {db_url.removeprefix("sqlite:///")} if db_url.startswith("sqlite:") else set()
    shared |= {str(Path(p).parent) for p in shared}
    outside = [
        p for p in written
        if p not in shared and not Path(p).resolve().is_relative_to(host_tmp.resolve())
    ]  # fmt: skip
    assert outside == [] and list(data_dir.iterdir()) == []
    assert any(Path(p).resolve().is_relative_to(host_tmp.resolve()) for p in written)


@pytest.mark.once
def test_receipts_from_a_data_folder_move_into_the_database_once(run_tafel, db_url, data_dir):
    """The default store: a receipt of the folder from before is served from there until
    moved, then from the database; the move prints its hash and moves nothing twice."""
    folder = data_dir / "receipts"
    folder.mkdir(parents=True)
    (folder / "oud.jpg").write_bytes(JPEG)
    receipt_store.use(None, data_dir)
    open_database(db_url)
    with database.connection_context():
        assert receipt_store.read("oud.jpg") == JPEG
    status, out, err = run_tafel("receipts", "move", "--to", "database")
    assert status == 0, err
    assert f"moved: oud.jpg sha256={hashlib.sha256(JPEG).hexdigest()}" in out
    assert "1 receipt(s) moved into the database" in out and list(folder.iterdir()) == []
    with database.connection_context():
        assert receipt_store.read("oud.jpg") == JPEG == bytes(ReceiptFile.get().data)
    status, out, err = run_tafel("receipts", "move", "--to", "database")
    assert status == 0 and "0 receipt(s) moved" in out, err
