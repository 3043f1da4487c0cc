"""The federation administrator's page (issue 24.4): on the first organisation's host, for an
account holding the federation right (`tafel org admin USERNAME`), every organisation's group
figures and no name of anyone, and a form to add one; for everyone else, and on any other
host, "not found"."""

import json
import re
from pathlib import Path

import pytest
from peewee import SqliteDatabase
from starlette.testclient import TestClient

from models import tenancy
from models.accounts.audit import AuditEntry
from models.accounts.tables import Account, Grant
from models.db import database
from models.organisation import Organisation, Project
from models.person import Person
from models.records import organisations
from tests.conftest import csrf_of
from tests.federation.test_organisations import (  # noqa: F401 - the fixture
    FEDERATION,
    HOST_A,
    HOST_B,
    MARK,
    directory_host_of_b,
    federation,
    signed_in,
)


def _names(organisation_id: int) -> list[str]:
    with tenancy.working_for(organisation_id), database.connection_context():
        return [n for (n,) in Person.select(Person.display_name).tuples() if n and len(n) > 3]


def test_the_federation_page_shows_group_figures_and_no_name(
    federation,  # noqa: F811 - the fixture imported above
    capsys,
    monkeypatch,
    count_queries,
):
    from webapp.cli import main

    a = signed_in(federation, HOST_A, "beheer")
    b = signed_in(federation, HOST_B, "beheer")
    # An organisation's own administrator without the right: the page does not exist.
    assert a.get("/federation").status_code == 404
    monkeypatch.setenv("DATABASE_URL", federation.state.url)
    assert main(["org", "admin", "beheer"]) == 0
    assert "federation administrator" in capsys.readouterr().out
    # The right held in B (never given there by the command) counts for nothing on B's host.
    with tenancy.working_for(FEDERATION["b"]), database.connection_context():
        Grant.create(account=Account.get(Account.username == "beheer"), right="federation")
    assert b.get("/federation").status_code == 404
    assert b.post("/federation/1", data={"csrf_token": csrf_of(b, "/")}).status_code == 404

    assert 'href="/federation"' in a.get("/manage").text
    page = a.get("/federation")
    assert page.status_code == 200
    text = page.text
    assert HOST_A in text and HOST_B in text and f"<h2>{MARK}" in text
    assert text.count('id="organisation-') == 2 and text.count("51% per laag") == 2
    # The projects' names (every member sees them), bounded per organisation; nothing inside.
    assert "Uitgeverij Woordwerk" in text and f"{MARK} Uitgeverij Woordwerk" in text
    a_names, b_names = _names(tenancy.directory.first().id), _names(FEDERATION["b"])
    assert a_names and b_names
    shown = [n for n in a_names + b_names if n in text]
    assert not shown, shown

    assert "0,3 dagen" in text  # the median, with a decimal comma in Dutch
    # Paged by id (20 a page): after A, only B; a link that makes no sense is the first page.
    later = a.get(f"/federation?after={tenancy.directory.first().id}").text
    assert 'id="organisation-' in later and HOST_A not in later.split("<main")[1]
    assert a.get("/federation?after=abc&before=" + str(2**63)).text.count('id="organisation-') == 2

    # The same queries however much an organisation holds.
    before = count_queries(a, "/federation")
    with tenancy.working_for(FEDERATION["b"]), database.connection_context():
        Project.create(name="Nieuw project")
    assert count_queries(a, "/federation") == before

    # Suspend B (its host is "not here"), resume it; the home is never suspended here.
    token = csrf_of(a, "/federation")
    b_id = FEDERATION["b"]
    answer = a.post(f"/federation/{b_id}", data={"csrf_token": token, "suspended": "yes"})
    assert answer.status_code == 200 and "Stilgezet" in answer.text
    assert b.get("/login").status_code == 404
    a.post(f"/federation/{b_id}", data={"csrf_token": token, "suspended": "no"})
    assert b.get("/login").status_code == 200
    home = tenancy.directory.first().id
    refused = a.post(f"/federation/{home}", data={"csrf_token": token, "suspended": "yes"})
    assert refused.status_code == 409 and "niet stilzetten" in refused.text
    for client in (a, b):
        client.__exit__(None, None, None)


def test_the_federation_page_adds_an_organisation_and_shows_its_link_once(
    federation,  # noqa: F811 - the fixture imported above
    monkeypatch,
):
    from models.records.federation import set_federation_right

    with database.connection_context():
        set_federation_right("beheer")
    a = signed_in(federation, HOST_A, "beheer")
    page = a.get("/federation")
    assert 'name="host"' in page.text
    token = csrf_of(a, "/federation")
    nl = {"accept-language": "nl"}
    # Without the token: refused, nothing added.
    assert a.post("/federation", data={"name": "C", "host": "c.example"}).status_code == 403
    # Bad input: a sentence next to the field it is about, nothing added.
    for data, field, sentence in (
        ({"name": " ", "host": "c.example"}, "name", "Geef de organisatie een naam."),
        ({"name": "C", "host": "c example!"}, "host", "Geef een adres zoals"),
        # A scheme, a path, an "@", a port: never read as some other host ("https").
        ({"name": "C", "host": "https://c.example/"}, "host", "Schrijf alleen het adres"),
        ({"name": "C", "host": "c.example/tafel"}, "host", "Schrijf alleen het adres"),
        ({"name": "C", "host": "anna@c.example"}, "host", "Geef een adres zoals"),
        ({"name": "C", "host": "c.example:8000"}, "host", "Geef een adres zoals"),
        ({"name": "C", "host": "c.\texample"}, "host", "Geef een adres zoals"),
        ({"name": "C", "host": HOST_B.upper()}, "host", f"organisatie gebruikt {HOST_B} al."),
    ):
        answer = a.post("/federation", data={"csrf_token": token, **data}, headers=nl)
        assert answer.status_code == 400, data
        assert re.search(rf'id="{field}-error">[^<]*{re.escape(sentence)}', answer.text), data
    assert len(tenancy.directory.entries(fresh=True)) == 2

    # All or nothing: a failure half-way leaves no organisation behind.
    def failing(*_args):
        raise RuntimeError("half-way")

    monkeypatch.setattr(organisations, "set_up", failing)
    with pytest.raises(RuntimeError):
        a.post("/federation", data={"csrf_token": token, "name": "C", "host": "c.example"})
    monkeypatch.undo()
    assert [e.host for e in tenancy.directory.entries(fresh=True)] == [HOST_A, HOST_B]
    assert _added_lines() == []

    added = a.post(
        "/federation",
        data={"csrf_token": token, "name": "Buurthuis De Hoek", "host": "C.Example"},
        follow_redirects=False,
    )
    assert added.status_code == 303
    shown = a.get("/federation", headers=nl).text
    assert "Buurthuis De Hoek is klaar op c.example." in shown
    (path,) = re.findall(r'href="http://c\.example(?::\d+)?(/welcome/[^"]+)"', shown)
    assert "/welcome/" not in a.get("/federation").text  # shown once
    assert TestClient(federation, base_url=f"http://{HOST_A}").get(path).status_code == 404
    assert TestClient(federation, base_url="http://c.example").get(path).status_code == 200
    c_id = tenancy.directory.by_host("c.example").id
    with tenancy.working_for(c_id), database.connection_context():
        assert Organisation.current().name == "Buurthuis De Hoek"
    # One line in the home's audit log, written with the organisation (one transaction).
    assert _added_lines() == [(c_id, {"host": "c.example", "name": "Buurthuis De Hoek"})]
    a.__exit__(None, None, None)


def _added_lines() -> list[tuple[int, dict]]:
    """The `organisation.add` lines of the home's audit log: (organisation id, after)."""
    with tenancy.working_for(tenancy.directory.first().id), database.connection_context():
        lines = AuditEntry.select().where(AuditEntry.action == "organisation.add")
        return [(line.object_id, json.loads(line.after)) for line in lines]


def test_the_page_says_in_its_own_words_what_only_the_server_can_change(
    federation,  # noqa: F811 - the fixture imported above
):
    """Refusals whose command sentence names a file on the server or a command get a plain
    sentence on the page instead (the command keeps its own on stderr, test_organisations)."""
    from models.records.federation import set_federation_right

    with database.connection_context():
        set_federation_right("beheer")
    a = signed_in(federation, HOST_A, "beheer")
    token = csrf_of(a, "/federation")
    nl = {"accept-language": "nl"}
    data = {"csrf_token": token, "name": "C", "host": "c.example"}
    # An organisation without a host (B's taken away here) would be left unreachable.
    directory_host_of_b(None)
    refused = a.post("/federation", data=data, headers=nl)
    assert refused.status_code == 409
    assert re.search(
        r'id="new-organisation-error">Dit kan nog niet\. De organisatie Qzx[^<]* heeft nog '
        r"geen eigen adres\. Vraag degene die de server beheert",
        refused.text,
    )
    assert "tafel org" not in refused.text and 'id="host-error"' not in refused.text
    directory_host_of_b(HOST_B)
    assert len(tenancy.directory.entries(fresh=True)) == 2

    # SQLite: a file left where the new organisation's would go (from before a restore).
    if isinstance(database.home, SqliteDatabase):
        next_id = max(e.id for e in tenancy.directory.entries(fresh=True)) + 1
        left = Path(tenancy.organisation_file(database.home.database, next_id))
        left.write_bytes(b"")
        refused = a.post("/federation", data=data, headers=nl)
        assert refused.status_code == 409
        assert "Dit kan nu niet. Er staat een oud bestand op de server in de weg." in refused.text
        assert str(left) not in refused.text and left.name not in refused.text
        assert left.exists() and len(tenancy.directory.entries(fresh=True)) == 2
        left.unlink()
    assert _added_lines() == []
    a.__exit__(None, None, None)
