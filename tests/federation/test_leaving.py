"""Leaving is possible (issue 24.5): `tafel --org HOST backup` writes one organisation alone,
and `tafel restore` of it gives a working single-organisation install that serves its
receipt; on SQLite the whole installation's backup holds every organisation's file."""

import pytest

from models import tenancy
from models.budget.receipt_store import ReceiptFile
from models.db import database
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
