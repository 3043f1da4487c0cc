"""members.csv as Dutch people make it (issue 22, section 2): Dutch column names and values
beside the English ones, never one column under both names, a consent date only as the file
gives it, an empty template to fill in, and a members export that imports back unchanged,
holding answers only for the privacy right."""

import datetime as dt
import re

import pytest

from models import clock
from models.accounts.audit import AuditEntry
from models.db import database, open_database
from models.organisation import Project
from models.people import Membership, Person, StepChange
from models.people.exchange import check_members, import_members
from models.people.members_file import members_csv
from models.rules import csvfile
from models.rules.csvfile import CsvError
from tests.conftest import post
from tests.people.conftest import grant
from tests.people.test_import import confirm_import
from tests.web.test_access import snapshot
from webapp.cli import main

DUTCH = (
    "Persoon;Project;Laag;Rol;Cliëntachtergrond;Toestemming_op;Voorzitten;Notuleren;Status;Sinds\n"
    "Nina Nieuw;Nieuw project;coördinatie;vrijwilliger;ja;01-03-26;ja;nee;actief;31-03-2026\n"
    "Nina Nieuw;Uitgeverij Woordwerk;Leiding;Betaalde kracht;JA;01-03-26;nee;Ja;pauze;2026-01-15\n"
    "Otto Test;Nieuw project;uitvoering;deelnemer;Zeg ik liever niet;;;;;\n"
    "Pien Proef;Nieuw project;Coordinatie;Vrijwilliger met extra taken;nee;;;;gestopt;\n"
)
ENGLISH = (
    "person,project,layer,role,client_background,consent_on,chair,minutes,status,since\n"
    "Nina Nieuw,Nieuw project,coordination,volunteer,yes,2026-03-01,yes,no,active,2026-03-31\n"
    "Nina Nieuw,Uitgeverij Woordwerk,management,paid_staff,yes,2026-03-01,no,yes,paused,"
    "2026-01-15\n"
    "Otto Test,Nieuw project,execution,participant,not_said,,,,,\n"
    "Pien Proef,Nieuw project,coordination,Vrijwilliger met extra taken,no,,,,ended,\n"
)


def _people_tables():
    """What an import may change: people, projects, memberships and their history."""
    return [sorted(map(repr, m.select().tuples())) for m in (Person, Project, Membership,
                                                              StepChange)]  # fmt: skip


@pytest.mark.parametrize(
    "header",
    [
        "Persoon;Project;Laag;Rol;Cliëntachtergrond;Toestemming_op;Voorzitten;Notuleren;Status;"
        "Sinds",
        "persoon;project;laag;rol;clientachtergrond;toestemming op;voorzitten;notuleren;status;"
        "sinds",
        "PERSOON;PROJECT;LAAG;ROL;CLIËNT-ACHTERGROND;TOESTEMMING-OP;VOORZITTEN;NOTULEREN;STATUS;"
        "SINDS",
        # Each column in the language one likes: only one column under two names is refused.
        "person;project;laag;role;Client background;toestemming_op;chair;notuleren;status;since",
    ],
    ids=["dutch", "without-accents", "capitals-and-dashes", "some-of-each"],
)
def test_a_dutch_file_reads_as_the_same_english_file(db, header):
    dutch = (header + "\n" + DUTCH.split("\n", 1)[1]).encode("utf-8")
    assert check_members(dutch) == check_members(ENGLISH.encode())
    assert check_members(dutch.decode().encode("cp1252")) == check_members(ENGLISH.encode())


def test_dutch_words_are_stored_as_the_screens_store_them(db):
    counts = import_members(DUTCH.encode("utf-8"))
    assert counts == {"people": 3, "projects": 1, "memberships": 4, "changed": 0}
    nina = Person.get(Person.display_name == "Nina Nieuw")
    # 01-03-26 as Dutch LibreOffice re-saves a date: 1 March 2026, the file's own date.
    assert (nina.client_background, nina.background_consent_on) == ("yes", dt.date(2026, 3, 1))
    rows = {m.project.name: m for m in Membership.select().where(Membership.person == nina)}
    new, woordwerk = rows["Nieuw project"], rows["Uitgeverij Woordwerk"]
    assert (new.layer, new.step.name, new.status, new.since) == (
        "coordination", "Vrijwilliger", "active", dt.date(2026, 3, 31)
    )  # fmt: skip
    assert new.chair_since is not None and new.minutes_since is None
    # "Betaalde kracht" is a category: its lowest step.
    assert (woordwerk.layer, woordwerk.step.name, woordwerk.status) == (
        "management", "Werkbegeleider", "paused"
    )  # fmt: skip
    assert woordwerk.minutes_since is not None and woordwerk.chair_since is None
    otto = Person.get(Person.display_name == "Otto Test")
    assert otto.client_background == "not_said" and otto.background_consent_on is None
    (otto_in,) = otto.memberships
    assert (otto_in.layer, otto_in.step.name, otto_in.status) == (
        "execution", "Deelnemer", "active"
    )  # fmt: skip
    pien = Person.get(Person.display_name == "Pien Proef")
    (pien_in,) = pien.memberships
    assert (pien.client_background, pien_in.step.name, pien_in.status) == (
        "no", "Vrijwilliger met extra taken", "ended"
    )  # fmt: skip
    # No date of consent is ever made up: not the import's day either.
    assert pien.background_consent_on is None
    assert clock.today() not in {p.background_consent_on for p in Person.select()}
    # The same file again changes nothing.
    before = _people_tables()
    assert import_members(DUTCH.encode("utf-8")) == dict.fromkeys(counts, 0)
    assert _people_tables() == before


def test_one_column_under_a_dutch_and_an_english_name_is_refused(db, as_viewer):
    mixed = b"persoon;person;project\nNina;Nina;Tuin\n"
    with pytest.raises(CsvError) as caught:
        check_members(mixed)
    (problem,) = caught.value.problems
    assert problem.template == csvfile.SAME_COLUMN and problem.line == 1
    assert str(problem) == (
        'Line 1: "persoon" and "person" are two names for the same column; keep one of them.'
    )
    client = as_viewer("coordinator")
    before = _people_tables()
    page = post(client, "/people/import", files={"file": ("m.csv", mixed)})
    assert page.status_code == 400
    assert "&#34;persoon&#34; en &#34;person&#34; zijn twee namen voor dezelfde kolom" in page.text
    assert _people_tables() == before


def test_a_wrong_word_or_column_says_what_is_allowed_in_the_page_s_language(db, as_viewer):
    client = as_viewer("coordinator")
    bad = b"persoon;project;laag;status;kleur\nNina;Tuin;boven;weg;blauw\n"
    page = post(client, "/people/import", files={"file": ("m.csv", bad)})
    assert page.status_code == 400
    assert "&#34;person&#34; (&#34;persoon&#34;)" in page.text  # the names in both languages
    bad = b"persoon;project;laag;status\nNina;Tuin;boven;weg\n"
    text = post(client, "/people/import", files={"file": ("m.csv", bad)}).text
    assert "Regel 2, kolom laag: Schrijf uitvoering, coördinatie of leiding" in text
    assert "Regel 2, kolom status: Schrijf actief, pauze of gestopt" in text
    post(client, "/language", {"language": "en", "next": "/"})
    text = post(client, "/people/import", files={"file": ("m.csv", bad)}).text
    # The column as the file names it, whatever the page's language.
    assert "Line 2, column laag: Write execution, coordination or management" in text
    english = b"person;project;layer\nNina;Tuin;boven\n"
    text = post(client, "/people/import", files={"file": ("m.csv", english)}).text
    assert "Line 2, column layer: Write execution, coordination or management" in text
    assert not Person.select().where(Person.display_name == "Nina").exists()


def test_a_consent_date_comes_from_the_file_only_and_never_alone(db):
    alone = b"persoon;project;toestemming_op\nNina Nieuw;Tuin;01-03-26\n"
    with pytest.raises(CsvError) as caught:
        check_members(alone)
    assert [(p.line, p.column) for p in caught.value.problems] == [(2, "toestemming_op")]
    import_members("persoon;project;cliëntachtergrond\nNina Nieuw;Tuin;ja\n".encode())
    nina = Person.get(Person.display_name == "Nina Nieuw")
    assert nina.client_background == "yes" and nina.background_consent_on is None


def test_the_import_page_explains_consent_and_offers_the_files(as_viewer):
    client = as_viewer("coordinator")
    page = client.get("/people/import").text
    assert "Kolommen: persoon, project, laag, rol, cliëntachtergrond, toestemming_op" in page
    assert "Een import vult nooit vandaag in als de datum waarop iemand toestemming gaf" in page
    assert "dan vraagt Tafel het de persoon zelf als die voor het eerst inlogt" in page
    for link in ("/people/import/template.csv", "/people/export/members.csv"):
        assert f'href="{link}"' in page and f'href="{link}?excel=1"' in page
    assert "alleen de mensen die de privacy bewaken zien ze" in page
    grant("coordinator", "privacy")
    assert "de privacy bewaken zien ze" not in client.get("/people/import").text


def _filename(response) -> str:
    return re.search(r'filename="([^"]+)"', response.headers["content-disposition"])[1]


def test_the_template_comes_in_the_page_s_language_plain_and_for_excel(db, as_viewer):
    client = as_viewer("coordinator")
    plain = client.get("/people/import/template.csv")
    assert plain.status_code == 200 and _filename(plain) == "members-template.csv"
    assert plain.content == (
        b"persoon,project,laag,rol,cli\xc3\xabntachtergrond,toestemming_op,voorzitten,notuleren,"
        b"status,sinds\n"
    )
    excel = client.get("/people/import/template.csv?excel=1")
    assert _filename(excel) == "members-template-excel.csv"
    assert excel.content.startswith(b"\xef\xbb\xbfpersoon;project;laag;")
    assert excel.content.endswith(b";sinds\r\n")
    assert check_members(plain.content) == [] and check_members(excel.content) == []
    post(client, "/language", {"language": "en", "next": "/"})
    english = client.get("/people/import/template.csv").text
    assert english == (
        "person,project,layer,role,client_background,consent_on,chair,minutes,status,since\n"
    )


def _cells(text: str, column: int) -> list[str]:
    import csv
    import io

    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";" if ";" in
                           text.splitlines()[0] else ","))  # fmt: skip
    return [row[column] for row in rows[1:]]


def test_the_members_export_holds_answers_only_for_the_privacy_right(db, as_viewer):
    """Two states differing only in one person's answer look the same to a coordinator
    without the privacy right; the privacy right sees the answers."""
    client = as_viewer("coordinator")
    before = client.get("/people/export/members.csv")
    assert _filename(before) == "members.csv"
    assert _filename(client.get("/people/export/members.csv?excel=1")) == "members-excel.csv"
    assert before.text.startswith("persoon,project,laag,rol,cliëntachtergrond,toestemming_op,")
    assert set(_cells(before.text, 4)) == {""} and set(_cells(before.text, 5)) == {""}
    assert len(_cells(before.text, 0)) == Membership.select().count()
    dewi = Person.get(Person.display_name == "Dewi")
    assert dewi.client_background == "yes"
    Person.update(client_background="no", background_consent_on=None).where(
        Person.id == dewi.id
    ).execute()
    after = client.get("/people/export/members.csv")
    assert after.content == before.content
    grant("coordinator", "privacy")
    held = client.get("/people/export/members.csv").text
    assert {"ja", "nee", "zeg ik liever niet"} <= set(_cells(held, 4))
    assert "2026-01-15" in set(_cells(held, 5))
    dewi_rows = [line for line in held.splitlines() if line.startswith("Dewi,")]
    assert dewi_rows and all(",nee,," in line for line in dewi_rows)


def test_a_coordinator_s_export_imports_back_without_erasing_an_answer(db, as_viewer):
    """The coordinator's export has empty answers: empty is "not given", never "erase"."""
    client = as_viewer("coordinator")
    answers = {p.id: (p.client_background, p.background_consent_on) for p in Person.select()}
    assert {a for a, _ in answers.values()} == {"yes", "no", "not_said"}
    before = _people_tables()
    for variant in ("", "?excel=1"):
        export = client.get(f"/people/export/members.csv{variant}").content
        page = post(client, "/people/import", files={"file": ("members.csv", export)})
        assert page.status_code == 200, page.text[-1500:]
        assert 'name="content"' not in page.text  # nothing changes: nothing to confirm
        assert "Klaar: 0 nieuwe mensen, 0 nieuwe projecten, 0 nieuwe lidmaatschappen, " \
               "0 veranderd." in page.text  # fmt: skip
    assert _people_tables() == before
    assert {p.id: (p.client_background, p.background_consent_on) for p in Person.select()} == (
        answers
    )
    assert not AuditEntry.select().where(AuditEntry.action == "members.import").exists()


def test_the_command_exports_members_with_answers_in_english_or_dutch(
    db_url, data_dir, monkeypatch, capsys
):
    monkeypatch.setenv("DATABASE_URL", db_url)
    assert main(["export", "members"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(
        "person,project,layer,role,client_background,consent_on,chair,minutes,status,since\n"
    )
    # The command line is the server's operator: the answers are in it.
    assert {"yes", "no", "not_said"} <= set(_cells(out, 4))
    assert main(["export", "members", "--dutch"]) == 0
    dutch = capsys.readouterr().out
    assert dutch.startswith("persoon,project,laag,") and "zeg ik liever niet" in dutch
    open_database(db_url)
    with database.connection_context():
        assert len(out.splitlines()) - 1 == Membership.select().count()


def test_a_web_import_of_the_export_after_a_change_changes_only_that(db, as_viewer):
    """The export is the file to change: one cell changed, one membership changed."""
    client = as_viewer("coordinator")
    export = client.get("/people/export/members.csv").text
    line = next(row for row in export.splitlines() if row.startswith("Dewi,"))
    changed = export.replace(line, line.replace(",actief,", ",pauze,"))
    assert changed != export
    first = post(client, "/people/import", files={"file": ("m.csv", changed.encode())})
    page = confirm_import(client, first.text) if 'name="content"' in first.text else first
    assert page.status_code == 200 and "1 veranderd" in page.text
    assert (
        Membership.select()
        .join(Person)
        .where((Person.display_name == "Dewi") & (Membership.status == "paused"))
        .count()
        == 1
    )


def test_names_a_spreadsheet_would_run_go_out_defused_and_come_back_as_they_were(db):
    project = Project.get(Project.name == "Uitgeverij Woordwerk")
    Project.update(name="=HYPERLINK(1)").where(Project.id == project.id).execute()
    Person.update(display_name="@Dewi").where(Person.display_name == "Dewi").execute()
    for language in ("nl", "en"):
        for excel in (False, True):
            text = members_csv(None, language, excel)
            assert "'=HYPERLINK(1)" in text and "'@Dewi" in text
            before = snapshot()
            assert import_members(text.encode()) == dict.fromkeys(
                ("people", "projects", "memberships", "changed"), 0
            )
            assert snapshot() == before
