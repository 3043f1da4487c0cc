"""Unit tests for tolerant CSV reading and writing (models.rules.csvfile)."""

import csv
import datetime as dt
import io
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from models.rules import csvfile
from models.rules.csvfile import (
    CsvError,
    Problem,
    parse_choice,
    parse_date,
    parse_yes_no,
    read_csv,
    write_csv,
)
from models.rules.errors import RuleError
from models.rules.money import parse_amount

MEMBERS = {
    "person": True,
    "project": True,
    "layer": False,
    "client_background": False,
    "chair": False,
}


def test_comma_utf8():
    rows = read_csv(b"person,project\nZo\xc3\xab,Tuin\n", MEMBERS)
    assert [(r.line, r["person"], r["project"], r["layer"]) for r in rows] == [
        (2, "Zoë", "Tuin", None)
    ]


def test_semicolon_bom_cp1252_and_crlf():
    utf8_bom = "\ufeffPerson;Project;Chair\r\nZoë;Tuin;ja\r\n".encode()
    cp1252 = "Person;Project;Chair\r\nZoë;Tuin;ja\r\n".encode("cp1252")
    assert cp1252 != utf8_bom and b"\xeb" in cp1252
    for raw in (utf8_bom, cp1252):
        (row,) = read_csv(raw, MEMBERS)
        assert row.values == {
            "person": "Zoë",
            "project": "Tuin",
            "layer": None,
            "client_background": None,
            "chair": "ja",
        }


def test_headers_in_any_order_and_case_and_cells_stripped():
    raw = b" CHAIR ;Project; person \n yes ; Tuin ;Ann\n"
    (row,) = read_csv(raw, MEMBERS)
    assert (row["person"], row["project"], row["chair"]) == ("Ann", "Tuin", "yes")


def test_quoted_cells_with_the_other_separator():
    raw = b'person,project\n"de Vries; Jan","Tuin, groot"\n'
    (row,) = read_csv(raw, MEMBERS)
    assert (row["person"], row["project"]) == ("de Vries; Jan", "Tuin, groot")
    raw = b'person;project\n"de Vries, Jan";Tuin\n'
    assert read_csv(raw, MEMBERS)[0]["person"] == "de Vries, Jan"


def test_empty_cells_are_none_and_get_gives_default():
    (row,) = read_csv(b"person;project;layer\nAnn;Tuin;\n", MEMBERS)
    assert row["layer"] is None
    assert row.get("layer", "execution") == "execution"
    assert row.get("chair") is None


def test_line_numbers_count_blank_lines_and_quoted_newlines():
    raw = b'person,project\nAnn,Tuin\n\n"Bo\nB",Tuin\n,,\nCas,Tuin\n,\n'
    rows = read_csv(raw, MEMBERS)
    assert [(r.line, r["person"]) for r in rows] == [(2, "Ann"), (4, "Bo\nB"), (7, "Cas")]


def test_unknown_columns_are_named():
    with pytest.raises(CsvError) as info:
        read_csv(b"person,project,email,Birthday\nAnn,Tuin,a@b,1\n", MEMBERS)
    (problem,) = info.value.problems
    assert problem.line == 1
    assert '"email", "birthday"' in problem.message
    assert str(info.value).startswith("Line 1: ")
    assert problem.template == csvfile.UNKNOWN_COLUMNS


def test_missing_required_columns():
    with pytest.raises(CsvError) as info:
        read_csv(b"person,layer\nAnn,execution\n", MEMBERS)
    assert str(info.value) == 'Line 1: This file lacks required columns: "project".'


def test_duplicate_columns_are_refused():
    with pytest.raises(CsvError) as info:
        read_csv(b"person,project,Person\nA,B,C\n", MEMBERS)
    assert 'The column "person" appears more than once.' in str(info.value)


def test_aliases():
    (row,) = read_csv(b"Naam;Project\nAnn;Tuin\n", MEMBERS, aliases={"naam": "person"})
    assert row["person"] == "Ann"
    with pytest.raises(ValueError):
        read_csv(b"x\n", MEMBERS, aliases={"naam": "nope"})


def test_row_problems_name_their_line():
    raw = b"person,project\nAnn,Tuin\nBo,Tuin,extra\nCas,Tuin,,\n"
    with pytest.raises(CsvError) as info:
        read_csv(raw, MEMBERS)
    assert [(p.line, p.message) for p in info.value.problems] == [(3, csvfile.TOO_MANY_CELLS)]
    assert str(info.value) == "Line 3: " + csvfile.TOO_MANY_CELLS


def test_trailing_separators_from_excel_are_tolerated():
    rows = read_csv(b"person;project;\nAnn;Tuin;\nBo;Tuin\n", MEMBERS)
    assert [r["person"] for r in rows] == ["Ann", "Bo"]
    with pytest.raises(CsvError) as info:
        read_csv(b"person;project;\nAnn;Tuin;oops\n", MEMBERS)
    assert info.value.problems[0].message == csvfile.UNNAMED_COLUMN


def test_excel_sep_line():
    rows = read_csv(b"sep=;\nperson;project\nAnn;Tuin\n", MEMBERS)
    assert [(r.line, r["person"]) for r in rows] == [(3, "Ann")]


def test_single_column_file_reads_with_commas():
    rows = read_csv(b'person\nde Vries; Jan\n"de Vries, Jan"\n', {"person": True})
    assert [r["person"] for r in rows] == ["de Vries; Jan", "de Vries, Jan"]


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", csvfile.EMPTY_FILE),
        (b"\n \n", csvfile.EMPTY_FILE),
        (b"\xef\xbb\xbf", csvfile.EMPTY_FILE),
        (b"PK\x03\x04rest-of-a-zip", csvfile.NOT_TEXT),
        ("person,project\n".encode("utf-16"), csvfile.NOT_TEXT),
        (b"person,project\nA\x81,Tuin\n", csvfile.BAD_ENCODING),
    ],
)
def test_file_level_problems(raw, message):
    with pytest.raises(CsvError) as info:
        read_csv(raw, MEMBERS)
    assert str(info.value) == message


def test_header_only_gives_no_rows():
    assert read_csv(b"person,project\n", MEMBERS) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("yes", True),
        ("Ja", True),
        (" JA ", True),
        ("1", True),
        ("no", False),
        ("NEE", False),
        ("0", False),
        ("No ", False),
    ],
)
def test_yes_no(text, expected):
    assert parse_yes_no(text) is expected


@pytest.mark.parametrize("text", ["true", "y", "", "2", "jawel", None])
def test_yes_no_refuses_others(text):
    with pytest.raises(ValueError, match="Write yes or no"):
        parse_yes_no(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03-31", date(2026, 3, 31)),
        ("2026-3-1", date(2026, 3, 1)),
        ("31-03-2026", date(2026, 3, 31)),
        ("1-3-2026", date(2026, 3, 1)),
        (" 29-02-2028 ", date(2028, 2, 29)),
    ],
)
def test_dates(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("31-02-2026", csvfile.NO_SUCH_DATE),
        ("2026-02-29", csvfile.NO_SUCH_DATE),
        ("2026-13-01", csvfile.NO_SUCH_DATE),
        ("00-01-2026", csvfile.NO_SUCH_DATE),
        ("03/31/2026", csvfile.BAD_DATE_FORMAT),
        ("31-02-26", csvfile.NO_SUCH_DATE),
        ("29-02-27", csvfile.NO_SUCH_DATE),
        ("00-03-26", csvfile.NO_SUCH_DATE),
        ("01-13-26", csvfile.NO_SUCH_DATE),
        ("31/03/26", csvfile.BAD_DATE_FORMAT),  # not how nl-NL writes it; en-US: M/D/YY
        ("3/1/26", csvfile.BAD_DATE_FORMAT),
        ("01.03.26", csvfile.BAD_DATE_FORMAT),
        ("01-03-026", csvfile.BAD_DATE_FORMAT),
        ("01-03-6", csvfile.BAD_DATE_FORMAT),
        ("26-03-01-", csvfile.BAD_DATE_FORMAT),
        ("20260331", csvfile.BAD_DATE_FORMAT),
        ("", csvfile.BAD_DATE_FORMAT),
    ],
)
def test_bad_dates(text, message):
    with pytest.raises(RuleError) as info:
        parse_date(text)
    assert str(info.value) == message


def test_choice():
    assert parse_choice(" Paid_Staff ", ["participant", "volunteer", "paid_staff"]) == "paid_staff"
    with pytest.raises(RuleError) as info:
        parse_choice("boss", ["participant", "volunteer"])
    assert str(info.value) == "Choose one of: participant, volunteer."
    assert info.value.template == csvfile.BAD_CHOICE
    assert info.value.params == {"choices": "participant, volunteer"}


def test_problem_from_a_value_error_keeps_line_and_column():
    try:
        parse_yes_no("misschien")
    except ValueError as error:
        problem = Problem.from_error(4, error, column="chair")
    assert str(problem) == "Line 4, column chair: " + csvfile.BAD_YES_NO
    assert problem.template == csvfile.BAD_YES_NO
    assert str(CsvError([problem, Problem.of(None, csvfile.EMPTY_FILE)])) == (
        "Line 4, column chair: " + csvfile.BAD_YES_NO + "\n" + csvfile.EMPTY_FILE
    )


def test_write_csv_plain_and_excel():
    rows = [["Zoë", "-1234.56", None], ["a,b", '"x"', 3]]
    plain = write_csv(["person", "amount", "n"], rows)
    assert plain == 'person,amount,n\nZoë,-1234.56,\n"a,b","""x""",3\n'
    excel = write_csv(["person", "amount"], [["Zoë", "-1234,56"], ["a;b", "1,00"]], excel=True)
    assert excel == '\ufeffperson;amount\r\nZoë;-1234,56\r\n"a;b";1,00\r\n'


cell = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\u2028\u2029"),
    max_size=12,
).map(str.strip)


@given(st.lists(st.tuples(cell, cell), max_size=8), st.booleans(), st.booleans())
def test_written_files_read_back(rows, excel, cp1252):
    text = write_csv(["Person", "project"], rows, excel=excel)
    if cp1252:
        try:
            raw = text.lstrip("\ufeff").encode("cp1252")
        except UnicodeEncodeError:
            raw = text.encode()
    else:
        raw = text.encode()
    read = read_csv(raw, {"person": False, "project": False})
    expected = [(a or None, b or None) for a, b in rows if a or b]
    assert [(r["person"], r["project"]) for r in read] == expected


def test_written_file_is_valid_for_the_csv_module():
    text = write_csv(["a", "b"], [["1", "2"]])
    assert list(csv.reader(io.StringIO(text))) == [["a", "b"], ["1", "2"]]


def test_a_required_column_needs_a_value_on_every_row():
    raw = b"person;project;layer\nNina\nOla;;execution\nPiet;X\n"
    with pytest.raises(CsvError) as info:
        read_csv(raw, {"person": True, "project": True, "layer": False})
    assert [(p.line, p.column, p.template) for p in info.value.problems] == [
        (2, "project", csvfile.TOO_FEW_CELLS),
        (3, "project", csvfile.EMPTY_REQUIRED),
    ]


@pytest.mark.parametrize("text", ["0001-01-01", "9999-12-31", "31-12-3000", "1899-12-31"])
def test_a_date_outside_the_years_tafel_accepts_is_a_problem(text):
    with pytest.raises(RuleError) as info:
        parse_date(text)
    assert info.value.template == csvfile.DATE_OUT_OF_RANGE


def test_formula_cells_are_defused_and_read_back_as_they_were():
    texts = ["=1+1", "+31 6", "-x", "@SUM(A1)", "\tx", "\rx", "'=quoted", "''-two", "plain", "'"]
    numbers = [-12, 3.5, "-12.50", "-1.234,56", "+3", "0"]
    for excel in (False, True):
        written = write_csv(["a", "b"], [[cell, "x"] for cell in texts + numbers], excel=excel)
        separator = ";" if excel else ","
        cells = [
            r[0]
            for r in csv.reader(
                io.StringIO(written.lstrip("\ufeff"), newline=""), delimiter=separator
            )
        ]
        for cell in cells[1 : len(texts) - 1]:
            assert cell.startswith("'"), cell
        assert cells[len(texts) - 1 : len(texts) + 1] == ["plain", "'"]
        assert cells[len(texts) + 1 :] == ["-12", "3.5", "-12.50", "-1.234,56", "+3", "0"]
        read = [row["a"] for row in read_csv(written.encode(), {"a": True, "b": True})]
        assert read == [t.strip() for t in texts] + [str(n) for n in numbers]


def test_a_name_column_refuses_direction_controls_and_invisible_names():
    raw = "name;other\nGoed;\u202eok\n\u202eexe.txt;x\n\u200b \u200b;x\n  Ruimte  ;x\n".encode()
    with pytest.raises(CsvError) as info:
        read_csv(raw, {"name": True, "other": False}, names=["name"])
    assert [(p.line, p.column) for p in info.value.problems] == [(3, "name"), (4, "name")]
    rows = read_csv("name\n Goed\u200b \n".encode(), {"name": True}, names=["name"])
    assert rows[0]["name"] == "Goed"


# --- Dutch files as LibreOffice and Excel re-save them (issue 22, section 2) ------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("01-03-26", date(2026, 3, 1)),  # what LibreOffice writes in nl-NL (DD-MM-YY)
        ("1-3-26", date(2026, 3, 1)),
        ("31-12-26", date(2026, 12, 31)),
        ("29-02-28", date(2028, 2, 29)),
        # The pivot (strptime's %y): 00-68 are this century, 69-99 the last one.
        ("01-01-00", date(2000, 1, 1)),
        ("31-12-68", date(2068, 12, 31)),
        ("01-01-69", date(1969, 1, 1)),
        ("31-12-99", date(1999, 12, 31)),
    ],
)
def test_dutch_dates_with_a_two_digit_year(text, expected):
    assert parse_date(text) == expected


def test_the_two_digit_year_pivot_is_strptimes_and_not_todays():
    # The same rule as Python's %y (POSIX), for every two-digit year, on any day.
    for yy in range(100):
        expected = dt.datetime.strptime(f"{yy:02d}", "%y").year
        assert csvfile.two_digit_year(yy) == expected
        assert parse_date(f"15-06-{yy:02d}") == date(expected, 6, 15)
    assert (csvfile.two_digit_year(68), csvfile.two_digit_year(69)) == (2068, 1969)
    with pytest.raises(ValueError):
        csvfile.two_digit_year(100)


def test_a_non_existent_dutch_date_says_so():
    with pytest.raises(RuleError) as info:
        parse_date("31-02-26")
    assert info.value.template == csvfile.NO_SUCH_DATE


def test_a_file_says_how_its_amounts_read_by_its_separator():
    semicolons = read_csv(b"date;amount\n01-03-26;1.700\n", {"date": True, "amount": True})
    commas = read_csv(b'date,amount\n01-03-26,"1.700,00"\n', {"date": True, "amount": True})
    excel = read_csv(b"sep=;\ndate;amount\n1-3-26;1.700\n", {"date": True, "amount": True})
    assert [r["date"] for r in semicolons] == ["01-03-26"]  # still a list of rows
    assert (semicolons.separator, commas.separator, excel.separator) == (";", ",", ";")
    # A semicolon file declares the decimal comma, whoever reads it.
    assert semicolons.convention("en") == semicolons.convention(None) == "nl"
    # A comma file declares nothing: the reader's language decides, or nothing does.
    assert commas.convention("en") == "en"
    assert commas.convention("nl") == "nl"
    assert commas.convention(None) is None
    for rows in (semicolons, commas, excel):
        assert parse_amount(rows[0]["amount"], convention=rows.convention(None)) == 170_000
        assert parse_date(rows[0]["date"]) == date(2026, 3, 1)
