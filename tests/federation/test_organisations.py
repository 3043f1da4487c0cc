"""Two organisations on one install (issue 24): each on its own host, neither seeing the
other. The federation the tests build: the demo (A) and a second demo (B) whose every name,
title and description starts with MARK and every amount is AMOUNT_MARK more; the walk over
every route with B's ids is test_walk.py."""

import re
from pathlib import Path

import pytest
from peewee import BigIntegerField, CharField, SqliteDatabase, TextField, Value
from starlette.testclient import TestClient

from models import tenancy
from models.accounts import Account
from models.accounts.calendar_feed import make_feed
from models.accounts.tables import AccessLink, Grant
from models.budget import BudgetYear, Claim, LedgerEntry, PlannedChange, Post, SubBudget
from models.db import database, open_database
from models.meetings import Action, AgendaItem, Concern, Meeting, Proposal, Signal, TurnSwap
from models.news.tables import PushSubscription
from models.organisation import Organisation, Project
from models.people import CheckRequest, Membership, ReportVersion, RoleStep, Vacancy
from models.person import Person
from models.records import organisations
from models.registry import MODELS
from tests.conftest import FIRST_ORGANISATION, PASSWORDS, csrf_of
from tests.web.test_access import tables

HOST_A, HOST_B = "a.example", "b.example"
MARK = "Qzx"  # in front of every name, title and description of organisation B
FIELDS = ("name", "display_name", "title", "description", "body")
# Added to every amount of B (each `…_cents` column): € 9.000.000,17 more, so every amount
# and every sum of B is a million euros or more, which A's demo never shows.
AMOUNT_MARK = 900_000_017
# The table whose every row of B the walk tries in a route's parameter. The parameters that
# name no such row are tried with what B has of them: the invite tokens (the access tables'
# and the administrator's), a calendar address of each account, and the directory's
# organisations (B's and the one the access tables name).
ROWS = {
    "action_id": Action,
    "change_id": PlannedChange,
    "check_id": CheckRequest,
    "claim_id": Claim,
    "concern_id": Concern,
    "entry_id": LedgerEntry,
    "grant_id": Grant,
    "item_id": AgendaItem,
    "link_id": AccessLink,
    "meeting_id": Meeting,
    "membership_id": Membership,
    "person_id": Person,
    "phone_id": PushSubscription,
    "post_id": Post,
    "project_id": Project,
    "proposal_id": Proposal,
    "signal_id": Signal,
    "step_id": RoleStep,
    "sub_budget_id": SubBudget,
    "swap_id": TurnSwap,
    "vacancy_id": Vacancy,
}
PATH_PARAM = re.compile(r"\{(\w+)(?::\w+)?\}")
# What the walk needs of B: its id, its admin's invite token, its demo's ids (`params`: the
# access tables' one per kind; `ids`: every one, that first) and A's (`params_a`).
FEDERATION: dict = {}


def build_federation():
    """The demo organisation (A, on a.example) and a second demo (B, on b.example) whose every
    name, title and description starts with MARK and every amount is AMOUNT_MARK more."""
    from seeds.demo import load_demo

    load_demo(scale=1)
    organisations.set_host(HOST_A)
    access, params = tables()
    # A's own ids for the GET routes (the searched fragments), not for the POSTs: some make
    # a row (a phone) that B's would then repeat where the install allows one.
    in_gets = {name for key in access if key.startswith("GET") for name in PATH_PARAM.findall(key)}
    FEDERATION["params_a"] = {name: params[name]() for name in in_gets}
    organisation_b, _link, token = organisations.add_organisation(MARK, HOST_B, "Bea")
    with tenancy.working_for(organisation_b), database.connection_context():
        load_demo(scale=1)
        FEDERATION["params"] = {name: find() for name, find in params.items()}
        FEDERATION["ids"] = ids_of_b(FEDERATION["params"], organisation_b, token)
        with database.atomic():
            for model in MODELS:
                if model is ReportVersion:
                    continue
                for field in model._meta.sorted_fields:
                    if field.name in FIELDS and isinstance(field, (CharField, TextField)):
                        model.update({field: Value(f"{MARK} ").concat(field)}).where(
                            field.is_null(False) & (field != "")
                        ).execute()
                    if field.name.endswith("_cents") and isinstance(field, BigIntegerField):
                        model.update({field: field + AMOUNT_MARK}).where(
                            field.is_null(False)
                        ).execute()
    FEDERATION.update(b=organisation_b, invite=token)


def ids_of_b(params: dict, organisation_b: int, invite: str) -> dict[str, list]:
    """Per route parameter, every value B has for it, the access tables' one first."""
    ids = {name: [value] for name, value in params.items()}
    for name, model in ROWS.items():
        ids[name] += [i for (i,) in model.select(model.id).order_by(model.id).tuples()]
    ids["year"] = [i for (i,) in BudgetYear.select(BudgetYear.id).order_by(BudgetYear.id).tuples()]
    ids["token"].append(invite)
    ids["organisation_id"].append(organisation_b)
    anouk = Account.get(Account.username == "anouk")  # hers is the access tables' one
    ids["feed_token"] += [make_feed(a) for a in Account.select().where(Account.id != anouk.id)]
    return {name: list(dict.fromkeys(values)) for name, values in ids.items()}


@pytest.fixture
def federation(databases, data_dir):
    url = databases.fresh(build_federation, key="federation")
    if "b" not in FEDERATION:  # built by another process's run: not here
        pytest.skip("the federation was built elsewhere")
    from webapp.app import create_app

    app = create_app(url)
    app.state.url = url
    tenancy.directory.forget()
    yield app
    database.close()
    databases.discard(url)


def signed_in(app, host: str, username: str | None) -> TestClient:
    client = TestClient(app, base_url=f"http://{host}")
    client.__enter__()
    if username:
        response = client.post(
            "/login",
            data={
                "username": username,
                "password": PASSWORDS[username],
                "csrf_token": csrf_of(client),
            },
            follow_redirects=False,
        )
        assert response.status_code == 303, (host, username, response.text[:300])
    return client


def directory_host_of_b(host: str | None) -> None:
    """Give B another host (None: none) in the directory only, as an install from before
    hosts has it: in the first file on SQLite, as B (its policy) on PostgreSQL."""
    with tenancy.working_for(FEDERATION["b"]), database.home.connection_context():
        database.home.execute(
            Organisation.update(host=host).where(Organisation.id == FEDERATION["b"])
        )
    tenancy.directory.forget()


def test_each_host_is_its_own_organisation(federation):
    a = signed_in(federation, HOST_A, "anouk")
    b = TestClient(federation, base_url=f"http://{HOST_B}")
    # A's session cookie is no session on B.
    b.cookies.update(a.cookies)
    assert b.get("/projects", follow_redirects=False).headers["location"].startswith("/login")
    # B's invite link is not found on A, and is on B.
    invite = FEDERATION["invite"]
    assert a.get(f"/welcome/{invite}").status_code == 404
    assert b.get(f"/welcome/{invite}").status_code == 200
    # B's people are B's own; the usernames repeat (unique per organisation).
    b_anouk = signed_in(federation, HOST_B, "anouk")
    page = b_anouk.get("/projects").text
    assert MARK in page and "Woordwerk" in page
    assert MARK not in a.get("/projects").text
    # An unknown host: "not here", in the reader's language.
    unknown = TestClient(federation, base_url="http://c.example")
    response = unknown.get("/", headers={"accept-language": "nl"})
    assert response.status_code == 404 and "Er is hier geen Tafel" in response.text
    assert unknown.get("/healthz").status_code == 200
    for client in (a, b_anouk):
        client.__exit__(None, None, None)


def test_in_production_an_unknown_host_is_not_here(federation, monkeypatch):
    """Production answers each organisation on its host; any other host (the base address
    that is no organisation's too) gets the same translated "not here" page, never a bare
    400."""
    from webapp.app import create_app

    monkeypatch.setenv("TAFEL_ENV", "production")
    monkeypatch.setenv("TAFEL_SECRET_KEY", "k" * 50)
    monkeypatch.setenv("TAFEL_BASE_URL", "https://tafel.example.org")
    monkeypatch.setenv("TAFEL_HTTPS", "1")
    app = create_app(federation.state.url)
    for host, status in ((HOST_A, 200), (HOST_B, 200), ("c.example", 404)):
        with TestClient(app, base_url=f"https://{host}") as client:
            response = client.get("/login", headers={"accept-language": "nl"})
            assert response.status_code == status, host
            assert ("Er is hier geen Tafel" in response.text) == (status == 404)
            assert "c.example" not in response.text
    with TestClient(app, base_url="https://tafel.example.org") as client:
        assert client.get("/").status_code == 404


def test_a_suspended_organisation_is_not_here(federation):
    with database.connection_context():
        organisations.set_suspended(HOST_B, True)
    client = TestClient(federation, base_url=f"http://{HOST_B}")
    assert client.get("/login").status_code == 404
    assert TestClient(federation, base_url=f"http://{HOST_A}").get("/login").status_code == 200
    with database.connection_context():
        organisations.set_suspended(HOST_B, False)
    assert client.get("/login").status_code == 200


def test_organisation_commands(federation, capsys, monkeypatch, tmp_path):
    from webapp.cli import main

    url = federation.state.url
    monkeypatch.setenv("DATABASE_URL", url)
    assert main(["org", "list"]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert listed[0].endswith(f"{HOST_A}\tactive\tStichting De Tafel")
    assert f"{HOST_B}\tactive\t{MARK}" in listed[1]
    # The federation's overview: per organisation only what is public inside it as a group.
    assert main(["org", "report"]) == 0
    report = capsys.readouterr().out
    assert report.count("51% by layer: execution: ") == 2 and "claim to payment" in report
    # Projects' names are public inside an organisation as a group; people's names are not.
    assert "Uitgeverij Woordwerk" in report and f"{MARK} Uitgeverij Woordwerk" in report
    assert "Anouk" not in report
    assert main(["org", "add", "C", "--host", HOST_B, "--admin", "Cor"]) == 1
    assert "already answers" in capsys.readouterr().err
    # Only a host name: a scheme or a path is never read as the host "https" (nor a port or an
    # "@" dropped); the sentence on stderr, nothing added.
    for host, said in (
        ("https://c.example/", "Write only the address, without https://"),
        ("c.example/tafel", "Write only the address"),
        ("anna@c.example", "Give a host name like"),
        ("c.example:8000", "Give a host name like"),
        ("c example", "Give a host name like"),
    ):
        assert main(["org", "add", "C", "--host", host]) == 1, host
        assert said in capsys.readouterr().err, host
    assert main(["--org", HOST_B, "org", "set-host", "https://b.example/"]) == 1
    assert "Write only the address" in capsys.readouterr().err
    assert main(["org", "list"]) == 0
    assert [line.split("\t")[1] for line in capsys.readouterr().out.splitlines()] == [
        HOST_A,
        HOST_B,
    ]
    # A per-organisation command needs --org among several, and works for that one.
    assert main(["user", "add", "Nieuw"]) == 1
    assert "--org HOST" in capsys.readouterr().err
    assert main(["--org", HOST_B, "user", "add", "Nieuw"]) == 0
    assert re.search(rf"http://{HOST_B}(:\d+)?/welcome/", capsys.readouterr().out)
    # export members reads the named organisation only; import members lands in it only.
    assert main(["export", "members"]) == 1
    assert "--org HOST" in capsys.readouterr().err
    assert main(["--org", HOST_B, "export", "members"]) == 0
    header, *rows = capsys.readouterr().out.splitlines()
    assert rows and all(row.startswith(f"{MARK} ") for row in rows)
    assert main(["--org", HOST_A, "export", "members"]) == 0
    exported_a = capsys.readouterr().out
    assert MARK not in exported_a and "Anouk B.," in exported_a
    members = tmp_path / "members.csv"
    joining = f"Qzx Ingelezen,{MARK} Uitgeverij Woordwerk,execution,{MARK} Vrijwilliger,yes,"
    members.write_text(f"{header}\n{joining}2026-01-15,no,no,active,2026-02-01\n")
    assert main(["--org", HOST_B, "import", "members", str(members)]) == 0, capsys.readouterr()
    capsys.readouterr()
    open_database(url)
    with tenancy.working_for(FEDERATION["b"]), database.connection_context():
        assert Person.select().where(Person.display_name == "Nieuw").exists()
        assert Person.select().where(Person.display_name == "Qzx Ingelezen").exists()
    with tenancy.working_for(FIRST_ORGANISATION), database.connection_context():
        assert not Person.select().where(Person.display_name == "Nieuw").exists()
        assert not Person.select().where(Person.display_name == "Qzx Ingelezen").exists()


def test_org_add_as_written_invites_an_administrator_who_names_themselves(
    federation, capsys, monkeypatch
):
    """`tafel org add "Naam" --host HOST`, exactly as issue 24 writes it: the first
    administrator's invite link opens on the new host only, and asks their name there;
    `tafel --org HOST demo` then fills that organisation and no other."""
    from webapp.cli import main

    monkeypatch.setenv("DATABASE_URL", federation.state.url)
    assert main(["org", "add", "Buurthuis De Hoek", "--host", "C.example"]) == 0
    said = capsys.readouterr().out
    assert "Buurthuis De Hoek is ready on c.example." in said
    assert "Invite link for the first administrator" in said and "write your name" in said
    (path,) = re.findall(r"http://c\.example(?::\d+)?(/welcome/\S+)", said)
    assert TestClient(federation, base_url=f"http://{HOST_A}").get(path).status_code == 404
    assert TestClient(federation, base_url=f"http://{HOST_B}").get(path).status_code == 404
    c = TestClient(federation, base_url="http://c.example")
    page = c.get(path, headers={"accept-language": "nl"})
    assert page.status_code == 200 and "Jouw naam" in page.text
    fields = {"csrf_token": csrf_of(c, path), "username": "hoek",
              "password": "een zin als wachtwoord", "repeat": "een zin als wachtwoord"}  # fmt: skip
    missing = c.post(path, data=fields, headers={"accept-language": "nl"})
    assert missing.status_code == 400 and "Schrijf je naam op." in missing.text
    assert main(["--org", "c.example", "user", "add", "Hanna"]) == 0  # someone called Hanna
    capsys.readouterr()
    taken = c.post(path, data={**fields, "name": "Hanna"}, headers={"accept-language": "nl"})
    assert taken.status_code == 400 and "heeft deze naam al" in taken.text
    opened = c.post(path, data={**fields, "name": " Hanna de Hoek "}, follow_redirects=False)
    assert opened.status_code == 303
    assert c.get(path).status_code == 404  # once
    assert c.get("/admin/rights").status_code == 200  # the administrator, signed in
    c_id = tenancy.directory.by_host("c.example").id
    with tenancy.working_for(c_id), database.connection_context():
        assert Person.select().where(Person.display_name == "Hanna de Hoek").exists()
    # The demo lands in the organisation --org names, and nowhere else.
    with tenancy.working_for(FIRST_ORGANISATION), database.connection_context():
        projects_a = Project.select().count()
    assert main(["--org", "c.example", "demo"]) == 0, capsys.readouterr().err
    assert "demo ready" in capsys.readouterr().out
    with tenancy.working_for(c_id), database.connection_context():
        assert Project.select().where(Project.name == "Uitgeverij Woordwerk").exists()
    with tenancy.working_for(FIRST_ORGANISATION), database.connection_context():
        assert Project.select().count() == projects_a
    with tenancy.working_for(FEDERATION["b"]), database.connection_context():
        assert not Project.select().where(Project.name == "Uitgeverij Woordwerk").exists()


def test_org_add_names_on_stderr_what_the_server_administrator_does(
    federation, capsys, monkeypatch
):
    """The command's refusals that only the server's administrator can resolve name the
    command or the file (the page says them in its own words: test_federation_page.py)."""
    from webapp.cli import main

    monkeypatch.setenv("DATABASE_URL", federation.state.url)
    directory_host_of_b(None)
    assert main(["org", "add", "C", "--host", "c.example"]) == 1
    assert "give it one first with `tafel org set-host HOST`" in capsys.readouterr().err
    directory_host_of_b(HOST_B)
    if isinstance(database.home, SqliteDatabase):
        next_id = max(e.id for e in tenancy.directory.entries(fresh=True)) + 1
        left = Path(tenancy.organisation_file(database.home.database, next_id))
        left.write_bytes(b"")
        assert main(["org", "add", "C", "--host", "c.example"]) == 1
        assert f"The file {left} is there already" in capsys.readouterr().err
        assert left.exists()
        left.unlink()
    assert main(["org", "list"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 2
