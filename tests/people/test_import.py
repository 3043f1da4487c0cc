"""members.csv import and representation.csv export (DATA-EXCHANGE.md), from the command and
from the web app: variants, all or nothing, line numbers, and importing twice."""

import re

import pytest

from models.db import database
from models.people import Membership, Person
from tests.conftest import post, without_tokens
from tests.web.test_access import snapshot
from webapp.cli import main

GOOD = (
    "Person;Project;Layer;Role;Client_Background;Chair;Minutes;Status;Since\n"
    "Nina;Nieuw project;coördinatie;vrijwilliger;ja;ja;nee;active;31-03-2026\n"
    "Nina;Uitgeverij Woordwerk;management;paid_staff;1;0;1;paused;2026-01-15\n"
    "Dewi;Uitgeverij Woordwerk;;;;;;;\n"
)


def _fix_layer(text):
    # Layers are the English values of the format (execution, coordination, management).
    return text.replace("coördinatie", "coordination")


@pytest.mark.parametrize(
    "encode",
    [
        lambda t: t.encode("utf-8"),
        lambda t: b"\xef\xbb\xbf" + t.encode("utf-8"),
        lambda t: t.encode("cp1252"),
        lambda t: t.replace(";", ",").encode("utf-8"),
    ],
    ids=["utf8-semicolon", "utf8-bom", "windows-1252", "comma"],
)
def test_the_command_imports_every_variant_and_twice_changes_nothing(
    db_url, data_dir, monkeypatch, tmp_path, capsys, encode
):
    monkeypatch.setenv("DATABASE_URL", db_url)
    path = tmp_path / "members.csv"
    path.write_bytes(encode(_fix_layer(GOOD)))
    assert main(["import", "members", str(path)]) == 0, capsys.readouterr().err
    from models.db import open_database

    open_database(db_url)
    with database.connection_context():
        nina = Person.get(Person.display_name == "Nina")
        assert nina.client_background == "yes"
        rows = {m.project.name: m for m in Membership.select().where(Membership.person == nina)}
        new = rows["Nieuw project"]
        assert (new.layer, new.step.name, new.status, str(new.since)) == (
            "coordination",
            "Vrijwilliger",
            "active",
            "2026-03-31",
        )
        assert new.chair_since is not None and new.minutes_since is None
        woordwerk = rows["Uitgeverij Woordwerk"]
        assert (woordwerk.layer, woordwerk.step.category, woordwerk.status) == (
            "management",
            "paid_staff",
            "paused",
        )
        dewi = Membership.select().join(Person).where(Person.display_name == "Dewi").get()
        assert dewi.step.position == 3  # empty cells keep what was there
    before = snapshot()
    assert main(["import", "members", str(path)]) == 0
    assert snapshot() == before


def test_one_bad_row_changes_nothing_and_names_its_line(
    db_url, data_dir, monkeypatch, tmp_path, capsys
):
    monkeypatch.setenv("DATABASE_URL", db_url)
    from models.db import open_database

    open_database(db_url)
    before = snapshot()
    path = tmp_path / "members.csv"
    path.write_text(
        "person,project,since,colour\nNina,Nieuw project,2026-02-30,blauw\n", encoding="utf-8"
    )
    assert main(["import", "members", str(path)]) == 1
    assert '"colour"' in capsys.readouterr().err
    path.write_text(
        "person,project,since,client_background\n"
        "Nina,Nieuw project,2026-03-01,yes\n"
        "Ola,Nieuw project,2026-02-30,no\n"
        "Nina,Uitgeverij Woordwerk,,no\n",
        encoding="utf-8",
    )
    assert main(["import", "members", str(path)]) == 1
    err = capsys.readouterr().err
    assert "Line 3, column since" in err
    assert "Line 4, column client_background" in err
    assert snapshot() == before


def test_the_command_exports_representation(db_url, data_dir, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", db_url)
    assert main(["export", "representation", "--project", "Uitgeverij Woordwerk"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "scope,dimension,group,people,client_background,not_said,share,passes"
    assert "Uitgeverij Woordwerk,layer,management,2,1,0,50.0,no" in lines
    assert main(["export", "representation"]) == 0
    assert capsys.readouterr().out.splitlines()[1].startswith("organisation,layer,execution")
    assert main(["export", "representation", "--project", "Nope"]) == 1


def confirm_import(client, confirming_page: str, tick: bool = True):
    """Post the file back from the confirming screen, confirmed (and the box ticked)."""
    content = re.search(r'name="content" value="([^"]*)"', confirming_page).group(1)
    data = {"content": content, "confirmed": "1"}
    if tick:
        data["accept_below"] = "y"
    return post(client, "/people/import", data)


def test_a_coordinator_uploads_members_and_sees_the_line_of_a_problem(as_viewer, db):
    client = as_viewer("coordinator")
    bad = post(
        client,
        "/people/import",
        files={"file": ("m.csv", b"person;project;role\nNina;X;volunteer\nOla;X;astronaut\n")},
    )
    assert bad.status_code == 400
    assert "Regel 3" in bad.text and "Nina" not in {p.display_name for p in Person.select()}
    first = post(
        client, "/people/import", files={"file": ("m.csv", _fix_layer(GOOD).encode("cp1252"))}
    )
    # First the 51% what-if, as on the screens (issue 19, M4); then the confirmed import.
    assert first.status_code == 200 and "Controleer voor je opslaat" in first.text
    assert "Nina" not in {p.display_name for p in Person.select()}
    good = confirm_import(client, first.text)
    assert good.status_code == 200 and "2 nieuwe lidmaatschappen" in good.text
    assert Person.get(Person.display_name == "Nina").client_background == "yes"
    # The upload page never shows an individual answer.
    assert "ja" not in good.text.split("<main", 1)[1].split("</main>")[0].lower().split()


def test_an_import_never_tells_whether_someone_s_answer_was_already_the_same(as_viewer):
    """A coordinator without the privacy right could otherwise import "ja" for someone and
    read their old answer from the count of changes (or from which audit lines appear)."""
    from models.accounts.audit import AuditEntry
    from models.organisation import Project

    client = as_viewer("coordinator")
    with database.connection_context():
        membership = (
            Membership.select(Membership, Person, Project)
            .join(Person)
            .switch(Membership)
            .join(Project)
            .first()
        )
        person_id = membership.person.id
        name, project = membership.person.display_name, membership.project.name
    texts = []
    for answer in ("ja", "nee", "nee"):
        csv = f"person;project;client_background\n{name};{project};{answer}\n".encode()
        response = post(client, "/people/import", files={"file": ("m.csv", csv)})
        assert response.status_code == 200
        texts.append(without_tokens(response.text.split("<main", 1)[1].split("</main>")[0]))
    # "nee" over "ja" and "nee" over "nee" look the same to the importer.
    assert texts[1] == texts[2]
    with database.connection_context():
        lines = AuditEntry.select().where(
            (AuditEntry.person == person_id) & (AuditEntry.action == "person.background_recorded")
        )
        assert lines.count() >= 1
        assert Person.get_by_id(person_id).client_background == "no"
    # Without the privacy right the audit page does not show that an answer changed.
    assert "background" not in client.get("/audit").text
