"""The federation administrator's page (issue 24.4): on the first organisation's host, for an
account holding the federation right (`tafel org admin USERNAME`), every organisation's group
figures and no name of anyone; for everyone else, and on any other host, "not found"."""

from models import tenancy
from models.accounts.tables import Account, Grant
from models.db import database
from models.organisation import Project
from models.person import Person
from tests.conftest import csrf_of
from tests.federation.test_organisations import (  # noqa: F401 - the fixture
    FEDERATION,
    HOST_A,
    HOST_B,
    MARK,
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
    assert "Woordwerk" not in text  # nothing from inside a project
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
