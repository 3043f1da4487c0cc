"""Leaving is possible (issue 24.5): `tafel --org HOST backup` writes one organisation alone,
and `tafel restore` of it gives a working single-organisation install that serves its
receipt; on SQLite the whole installation's backup holds every organisation's file."""

import errno
import io
import os
import sqlite3
import tarfile
from pathlib import Path

import pytest

from models import tenancy
from models.budget.receipt_store import ReceiptFile
from models.db import database, open_database, sqlite_path
from models.person import Person
from models.records import organisations
from tests.conftest import BACKEND, FIRST_ORGANISATION, csrf_of
from tests.federation.test_organisations import (  # noqa: F401 - the fixture
    FEDERATION,
    HOST_A,
    HOST_B,
    MARK,
    federation,
    signed_in,
)


def claim_with_receipt(app, host: str, organisation: int, sub_budget: str) -> tuple[int, bytes]:
    """Priya of that organisation claims a train ticket with its photo; the claim's id."""
    from models.budget import Claim, SubBudget
    from tests.core.test_backup import JPEG

    client = signed_in(app, host, "priya")
    with tenancy.working_for(organisation), database.connection_context():
        sub = SubBudget.get(SubBudget.name == sub_budget).id
    response = client.post(
        "/budget/claims",
        data={"csrf_token": csrf_of(client, "/"), "kind": "travel_public",
              "sub_budget": str(sub), "spent_on": "2026-06-16", "km": "",
              "amount": "6,40", "description": "Trein"},
        files={"receipt": ("kaartje.jpg", JPEG, "image/jpeg")},
        follow_redirects=False,
    )  # fmt: skip
    assert response.status_code == 303, response.text[-800:]
    client.__exit__(None, None, None)
    with tenancy.working_for(organisation), database.connection_context():
        return Claim.select().order_by(Claim.id.desc()).first().id


def third_organisation() -> int:
    """A third organisation (C, on c.example), kept cheap: one person and one receipt, each
    marked "Czx"."""
    from models.budget import receipt_store
    from tests.core.test_backup import JPEG

    with database.connection_context():
        organisation_c, _link, _token = organisations.add_organisation("Czx", "c.example")
    with tenancy.working_for(organisation_c), database.connection_context():
        with database.atomic():
            Person.create(display_name="Czx Cees")
            receipt_store.chosen().put("czx-receipt.jpg", JPEG)
    return organisation_c


def restore_elsewhere(archive, tmp_path, monkeypatch, capsys) -> str:
    """`tafel restore` of the archive into a new data folder; its database's address."""
    from webapp.cli import main

    elsewhere = tmp_path / "leaving" / "data"
    target = f"sqlite:///{elsewhere / 'tafel.db'}"
    monkeypatch.setenv("DATABASE_URL", target)
    monkeypatch.setenv("TAFEL_DATA_DIR", str(elsewhere))
    assert main(["restore", str(archive)]) == 0, capsys.readouterr().err
    return target


def receipt_as_priya(app, host: str, claim: int):
    """Priya of that host's organisation opens the claim's receipt; the client, signed in."""
    client = signed_in(app, host, "priya")
    got = client.get(f"/budget/claims/{claim}/receipt")
    assert got.status_code == 200 and got.content.startswith(b"\xff\xd8"), host
    return client


def test_one_organisations_backup_restores_alone_and_serves_its_receipt(
    federation,  # noqa: F811
    data_dir,
    tmp_path,
    monkeypatch,
    capsys,
):
    """Issue 24: a test restores one organisation of three and opens a receipt; the restored
    one holds nothing of the other two."""
    from webapp.app import create_app
    from webapp.cli import main

    claim_b = claim_with_receipt(
        federation, HOST_B, FEDERATION["b"], f"{MARK} Reiskosten vrijwilligers"
    )
    claim_with_receipt(federation, HOST_A, FIRST_ORGANISATION, "Reiskosten vrijwilligers")
    third_organisation()
    # Receipts are kept in each organisation's database (issue 25), never in the folder.
    assert not (data_dir / "receipts").exists()
    monkeypatch.setenv("DATABASE_URL", federation.state.url)
    archive = tmp_path / "b.backup"
    assert main(["--org", HOST_B, "backup", str(archive)]) == 0, capsys.readouterr().err
    assert "1 receipt" in capsys.readouterr().out

    # On PostgreSQL too the organisation leaves as a SQLite install of its own.
    target = restore_elsewhere(archive, tmp_path, monkeypatch, capsys)
    app = create_app(target)
    client = receipt_as_priya(app, "b.example.org", claim_b)  # any host: the only one
    assert MARK in client.get("/projects").text
    client.__exit__(None, None, None)
    with database.connection_context():
        assert ReceiptFile.select().count() == 1  # B's receipt, neither A's nor C's
        (alone,) = organisations.organisations()
        assert alone.name.startswith(MARK)
        # Every person is B's (all marked): none of A's demo, not C's Cees.
        names = [n for (n,) in Person.select(Person.display_name).tuples() if n]
        assert names and all(n.startswith(f"{MARK} ") for n in names), names


@pytest.mark.skipif(BACKEND != "sqlite", reason="PostgreSQL's dump holds every organisation")
def test_a_whole_backup_on_sqlite_holds_every_organisations_file(
    federation,  # noqa: F811
    data_dir,
    tmp_path,
    monkeypatch,
    capsys,
):
    """On SQLite each organisation is a file of its own: `tafel backup` without --org (the
    nightly backup) holds them all, and `tafel restore` puts the federation back whole."""
    from webapp.app import create_app
    from webapp.cli import main

    claim_b = claim_with_receipt(
        federation, HOST_B, FEDERATION["b"], f"{MARK} Reiskosten vrijwilligers"
    )
    claim_a = claim_with_receipt(federation, HOST_A, FIRST_ORGANISATION, "Reiskosten vrijwilligers")
    monkeypatch.setenv("DATABASE_URL", federation.state.url)
    archive = tmp_path / "whole.backup"
    assert main(["backup", str(archive)]) == 0, capsys.readouterr().err
    assert "2 receipt(s)" in capsys.readouterr().out

    target = restore_elsewhere(archive, tmp_path, monkeypatch, capsys)
    assert "2 receipt(s)" in capsys.readouterr().out
    app = create_app(target)
    tenancy.directory.forget()
    for host, claim in ((HOST_A, claim_a), (HOST_B, claim_b)):
        receipt_as_priya(app, host, claim).__exit__(None, None, None)
    b = signed_in(app, HOST_B, "anouk")
    assert f"{MARK} Uitgeverij Woordwerk" in b.get("/projects").text
    b.__exit__(None, None, None)


@pytest.fixture
def whole_backup(federation, data_dir, tmp_path, monkeypatch, capsys):  # noqa: F811
    """SQLite: three organisations (A, B, C), the whole installation backed up, then a person
    added in each after the backup, and Tafel stopped (every connection closed). Gives the
    archive, the live files' address and C's id."""
    from tests.database import close_all
    from webapp.cli import main

    organisation_c = third_organisation()
    url = federation.state.url
    monkeypatch.setenv("DATABASE_URL", url)
    archive = tmp_path / "whole.backup"
    assert main(["backup", str(archive)]) == 0, capsys.readouterr().err
    capsys.readouterr()
    for organisation in (FIRST_ORGANISATION, FEDERATION["b"], organisation_c):
        with tenancy.working_for(organisation), database.connection_context():
            Person.create(display_name="Na de backup")
    close_all()
    return archive, url, organisation_c


def live_files(url: str) -> dict[str, bytes]:
    """Each file of the installation's folder that belongs to its databases (staging files
    included), with its bytes."""
    home = Path(sqlite_path(url))
    return {p.name: p.read_bytes() for p in [home, *home.parent.glob(f"{home.stem}.*")]}


def after_backup(url: str, organisations_: tuple) -> list[int]:
    """How many people "Na de backup" each organisation holds."""
    open_database(url)
    counts = []
    for organisation in organisations_:
        with tenancy.working_for(organisation), database.connection_context():
            counts.append(Person.select().where(Person.display_name == "Na de backup").count())
    database.close()
    return counts


def restore_here(archive: Path, capsys) -> tuple[int, str]:
    """`tafel restore` of the archive over the installation itself; its status and stderr."""
    from webapp.cli import main

    status = main(["restore", str(archive)])
    return status, capsys.readouterr().err


@pytest.mark.skipif(BACKEND != "sqlite", reason="one file per organisation")
def test_a_whole_sqlite_restore_puts_every_organisations_file_back_in_place(whole_backup, capsys):
    """Over the stopped installation itself: each organisation's file is moved into place, and
    no staging file stays behind."""
    archive, url, organisation_c = whole_backup
    every = (FIRST_ORGANISATION, FEDERATION["b"], organisation_c)
    assert after_backup(url, every) == [1, 1, 1]

    status, err = restore_here(archive, capsys)
    assert status == 0, err
    assert after_backup(url, every) == [0, 0, 0]
    assert not [name for name in live_files(url) if name.endswith(".restoring")]


@pytest.mark.skipif(BACKEND != "sqlite", reason="one file per organisation")
def test_a_failure_staging_the_last_organisations_file_restores_none(
    whole_backup, capsys, monkeypatch
):
    """The reviewer's half-restored installation: the disk fills up while the last
    organisation's file is put back. Every live file stays as it was, and no staging file is
    left behind."""
    from models import backup_copies

    archive, url, organisation_c = whole_backup
    last = f"{Path(sqlite_path(url)).stem}.org{organisation_c}.db.restoring"
    checked = backup_copies.check_sqlite_copy

    def disk_full(path: Path) -> None:
        if path.name == last:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        checked(path)

    monkeypatch.setattr(backup_copies, "check_sqlite_copy", disk_full)
    before = live_files(url)

    status, err = restore_here(archive, capsys)
    assert status == 1
    assert err.strip() == (
        f"{Path(sqlite_path(url)).parent / last} could not be written (No space left on "
        "device); nothing was restored."
    )
    assert live_files(url) == before  # the same files, byte for byte: none staged
    assert after_backup(url, (FIRST_ORGANISATION, FEDERATION["b"], organisation_c)) == [1, 1, 1]


@pytest.mark.skipif(BACKEND != "sqlite", reason="one file per organisation")
def test_an_archive_without_each_organisations_file_is_refused(whole_backup, tmp_path, capsys):
    """The directory names B and C, but the archive holds C's file under another id: refused
    before anything is written."""
    archive, url, organisation_c = whole_backup
    wrong = f"database.org{organisation_c + 5}.sqlite3"
    mismatched = tmp_path / "mismatched.backup"
    with tarfile.open(archive) as source, tarfile.open(mismatched, "w:gz") as out:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name == f"database.org{organisation_c}.sqlite3":
                member.name = wrong
            out.addfile(member, io.BytesIO(data))
    before = live_files(url)

    status, err = restore_here(mismatched, capsys)
    assert status == 1
    held = sorted([FEDERATION["b"], organisation_c + 5])
    assert err.strip() == (
        f"{mismatched} lists the organisations {FEDERATION['b']}, {organisation_c} in its "
        f"directory beside the first, but holds the files of {held[0]}, {held[1]}, so Tafel "
        "restores nothing from it."
    )
    assert live_files(url) == before


@pytest.mark.skipif(BACKEND != "sqlite", reason="one file per organisation")
def test_a_restore_while_tafel_holds_a_file_open_is_refused(whole_backup, capsys):
    """Tafel is stopped for a restore (docs/deploy.md): a file a running Tafel still holds
    open is not replaced under it."""
    archive, url, organisation_c = whole_backup
    b_file = tenancy.organisation_file(sqlite_path(url), FEDERATION["b"])
    running = sqlite3.connect(b_file)  # as a running Tafel keeps its connection
    try:
        running.execute("SELECT count(*) FROM person").fetchone()
        status, err = restore_here(archive, capsys)
    finally:
        running.close()
    assert status == 1
    assert err.strip().startswith(f"{b_file} is in use: stop Tafel"), err
    assert not [name for name in live_files(url) if name.endswith(".restoring")]
    assert after_backup(url, (FIRST_ORGANISATION, FEDERATION["b"], organisation_c)) == [1, 1, 1]
