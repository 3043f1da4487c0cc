"""A members.csv as a Dutch spreadsheet re-saves it imports (issue 22, section 2): the
readers of models.rules are what every import uses, on the real database."""

from datetime import date

from models.people import Membership, Person
from models.people.exchange import import_members
from models.rules.csvfile import CsvError

# As LibreOffice in Dutch saves it (commas, DD-MM-YY), and as Dutch Excel does (semicolons).
LIBREOFFICE = '"person","project","since"\nNina,Nieuw project,01-03-26\nOla,Nieuw project,1-3-69\n'
EXCEL = "person;project;since\nPiet;Nieuw project;31-12-68\n"


def test_a_dutch_members_file_with_two_digit_years_imports(db):
    assert import_members(LIBREOFFICE.encode())["memberships"] == 2
    assert import_members(EXCEL.encode("cp1252"))["memberships"] == 1
    since = {
        m.person.display_name: m.since
        for m in Membership.select()
        .join(Person)
        .where(Person.display_name << ["Nina", "Ola", "Piet"])
    }
    assert since == {"Nina": date(2026, 3, 1), "Ola": date(1969, 3, 1), "Piet": date(2068, 12, 31)}
    # The same file again changes nothing.
    assert import_members(LIBREOFFICE.encode())["changed"] == 0


def test_a_date_that_does_not_exist_names_its_line_and_changes_nothing(db):
    raw = (
        b"person,project,since\n"
        b"Zeno Nieuw,Nieuw project,01-03-26\n"
        b"Yara Nieuw,Nieuw project,31-02-26\n"
    )
    try:
        import_members(raw)
    except CsvError as error:
        assert [(p.line, p.column) for p in error.problems] == [(3, "since")]
        assert "This date does not exist" in str(error)
    else:
        raise AssertionError("31-02-26 was imported")
    assert not Person.select().where(Person.display_name << ["Zeno Nieuw", "Yara Nieuw"]).exists()
