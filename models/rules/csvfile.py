"""Tolerant CSV reading and plain CSV writing, shared by every import and export.

Every file written here is meant for a spreadsheet, so a text cell that a spreadsheet would
take for a formula (it starts with =, +, -, @, a tab or a carriage return) is written with an
apostrophe in front, and reading a file takes that apostrophe off again: a description
``=HYPERLINK(...)`` goes out as ``'=HYPERLINK(...)`` and comes back as it was. Numbers (and
texts that are only a number, like an amount ``-12.50``) stay as they are.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from models.clock import FIRST_DATE, LAST_DATE
from models.rules.errors import RuleError
from models.rules.names import clean_name
from models.words import Text

NOT_TEXT = Text("This is not a CSV text file; save it from your spreadsheet as CSV (UTF-8).")
BAD_ENCODING = Text("The file has characters that cannot be read; save it as CSV (UTF-8).")
EMPTY_FILE = Text("The file is empty; it needs a first row with the column names.")
UNKNOWN_COLUMNS = Text(
    "This file has columns that are not known here: {columns}; allowed are: {allowed}."
)
MISSING_COLUMNS = Text("This file lacks required columns: {columns}.")
DUPLICATE_COLUMN = Text("The column {name} appears more than once.")
SAME_COLUMN = Text("{first} and {second} are two names for the same column; keep one of them.")
UNNAMED_COLUMN = Text("This row has a value in a column without a name.")
TOO_MANY_CELLS = Text("This row has more cells than there are column names.")
TOO_FEW_CELLS = Text("This row has fewer cells than there are column names; {name} is missing.")
EMPTY_REQUIRED = Text("This cell is empty; {name} needs a value on every row.")
UNREADABLE_LINE = Text("This line cannot be read as CSV; check the quotes.")
BAD_YES_NO = Text("Write yes or no (or ja, nee, 1, 0).")
BAD_DATE_FORMAT = Text(
    "Write the date as YYYY-MM-DD or DD-MM-YYYY, for example 2026-03-31 or 31-03-2026."
)
NO_SUCH_DATE = Text("This date does not exist; check the day and the month.")
DATE_OUT_OF_RANGE = Text("Choose a date between 1 January 1900 and 31 December 2999.")
BAD_CHOICE = Text("Choose one of: {choices}.")
EMPTY_NAME = Text("This name is empty; write a name with letters or digits.")

# A spreadsheet runs a cell starting with one of these as a formula (DATA-EXCHANGE.md).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?[0-9][0-9.,]*")
# A cell this module defused: apostrophes, then what a spreadsheet would run.
_DEFUSED = re.compile(r"'+[=+\-@\t\r]")

YES = frozenset({"yes", "ja", "1"})
NO = frozenset({"no", "nee", "0"})


@dataclass(frozen=True, eq=True)
class Problem:
    """One thing wrong with an uploaded file; ``line`` is the file's line number (header = 1).

    ``message`` is the English sentence; ``template`` and ``params`` allow translation as
    ``_(p.template).format(**p.params)``.
    """

    line: int | None
    message: str
    column: str | None = None
    template: str = ""
    params: Mapping[str, Any] = field(default_factory=dict, hash=False)

    @classmethod
    def of(cls, line: int | None, template: str, column: str | None = None, **params: Any):
        """A problem from a message template and its parameters."""
        return cls(line, template.format(**params), column, template, params)

    @classmethod
    def from_error(cls, line: int | None, error: ValueError, column: str | None = None):
        """A problem from a value parser's error (its sentence kept translatable)."""
        if isinstance(error, RuleError):
            return cls(line, str(error), column, error.template, error.params)
        return cls(line, str(error), column, str(error), {})

    def __str__(self) -> str:
        where = []
        if self.line is not None:
            where.append(f"Line {self.line}")
        if self.column is not None:
            where.append(f"column {self.column}")
        return f"{', '.join(where)}: {self.message}" if where else self.message


class CsvError(ValueError):
    """A file that cannot be imported; ``problems`` says why, line by line. ``header`` maps
    each column to its header cell as the file writes it, once the header was read."""

    def __init__(self, problems: Iterable[Problem], header: Mapping[str, str] = ()) -> None:
        self.problems = list(problems)
        self.header = dict(header)
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass(frozen=True)
class Row:
    """One data row: every allowed column by name (None when empty or absent), and its line."""

    line: int
    values: dict[str, str | None]

    def __getitem__(self, name: str) -> str | None:
        return self.values[name]

    def get(self, name: str, default: Any = None) -> Any:
        """The cell's text, or ``default`` when it is empty or the column is absent."""
        value = self.values.get(name)
        return default if value is None else value


class Rows(list):
    """The data rows of a file (a list of ``Row``), the separator the file was written
    with, and its ``header``: each column's header cell as the file writes it."""

    def __init__(
        self, rows: Iterable[Row] = (), separator: str = ",", header: Mapping[str, str] = ()
    ) -> None:
        super().__init__(rows)
        self.separator = separator
        self.header = dict(header)

    def convention(self, language: str | None) -> str | None:
        """How to read this file's amounts (``money.parse_amount``'s ``convention``).

        DATA-EXCHANGE.md "Reading CSV": a spreadsheet separates cells with semicolons where
        the decimal sign is a comma (Dutch Excel, Tafel's own "for Excel" download), so
        such a file declares the Dutch reading ("1.700" is 1700 euro) whoever reads it; a
        comma-separated file declares nothing, and the ``language`` of the person who
        imports it decides (None, as for a command: ambiguous amounts are refused).
        """
        return "nl" if self.separator == ";" else language


def decode(raw: bytes) -> str:
    """Text of an uploaded file: UTF-8 (with or without BOM), else Windows-1252."""
    # DATA-EXCHANGE.md: imports accept exactly these two; strict UTF-8 first, because
    # valid UTF-8 with non-ASCII letters is practically never meant as Windows-1252.
    if raw.startswith((b"PK\x03\x04", b"\xff\xfe", b"\xfe\xff")) or b"\x00" in raw:
        raise CsvError([Problem.of(None, NOT_TEXT)])  # a spreadsheet (xlsx) or UTF-16 file
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError:
        raise CsvError([Problem.of(None, BAD_ENCODING)]) from None


def _delimiter(header_line: str, text: str) -> str:
    """Comma or semicolon: the one in the header row, else csv.Sniffer, else the commoner."""
    commas, semicolons = header_line.count(","), header_line.count(";")
    if not semicolons:
        return ","  # also a file with one column
    if not commas:
        return ";"
    try:
        return csv.Sniffer().sniff(text[:8192], delimiters=",;").delimiter
    except csv.Error:
        return ";" if semicolons > commas else ","


def _quoted(names: Iterable[str]) -> str:
    return ", ".join(f'"{name}"' for name in names)


def read_csv(
    raw: bytes,
    columns: Mapping[str, bool],
    aliases: Mapping[str, str] | None = None,
    names: Iterable[str] = (),
    fold: Callable[[str], str] = str.lower,
) -> Rows:
    """Read an uploaded CSV file into rows, or raise ``CsvError`` listing every problem.

    ``columns`` maps each allowed lower-case column name to whether it is required;
    ``aliases`` maps other (lower-case) header names to allowed ones. Headers may come in
    any order and case: ``fold`` makes a header cell into the name looked up (lower case by
    default; members.csv also forgives accents). Two header cells that name the same column
    are refused (``SAME_COLUMN`` when they are written differently, say a Dutch and an
    English name). Cells are stripped; empty cells and absent optional columns give None;
    a required column's cell must have a value on every row (a problem per empty or missing
    cell). Blank lines and rows of empty cells are skipped. A cell this module's writer
    defused gets its text back (``'=x`` is read as ``=x``). The columns in ``names`` hold
    names (of a post, a person, a project): each must keep a letter or digit after trimming
    and may not hold the hidden characters that turn the writing direction
    (models.rules.names); other values are not checked here.
    """
    names = frozenset(names)
    aliases = dict(aliases or {})
    for target in aliases.values():
        if target not in columns:
            raise ValueError(f"Alias target {target!r} is not an allowed column.")
    text = decode(raw)
    lines = text.splitlines()
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        raise CsvError([Problem.of(None, EMPTY_FILE)])

    sep_line = lines[first].strip().lower()
    has_sep_line = re.fullmatch(r"sep=[,;]", sep_line) is not None  # Excel's "sep=;" hint
    if has_sep_line:
        delimiter = sep_line[-1]
    else:
        delimiter = _delimiter(lines[first], text)

    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records: list[tuple[int, list[str]]] = []
    problems: list[Problem] = []
    previous_end = 0
    try:
        for cells in reader:
            start, previous_end = previous_end + 1, reader.line_num
            if any(cell.strip() for cell in cells):
                records.append((start, [_read_cell(cell) for cell in cells]))
    except csv.Error:
        raise CsvError([Problem.of(previous_end + 1, UNREADABLE_LINE)]) from None
    if has_sep_line:
        records = records[1:]
    if not records:
        raise CsvError([Problem.of(None, EMPTY_FILE)])

    (header_line, header), data = records[0], records[1:]
    header_names = []
    seen: dict[str, str] = {}
    for cell in header:
        name = fold(cell)
        name = aliases.get(name, name)
        if name and name in seen:
            if fold(seen[name]) == fold(cell):
                problems.append(
                    Problem.of(header_line, DUPLICATE_COLUMN, name=_quoted([fold(cell)]))
                )
            else:
                problems.append(
                    Problem.of(header_line, SAME_COLUMN, first=_quoted([seen[name]]),
                               second=_quoted([cell]))
                )  # fmt: skip
        seen.setdefault(name, cell)
        header_names.append(name)
    unknown = [n for n in header_names if n and n not in columns]
    if unknown:
        problems.append(
            Problem.of(
                header_line, UNKNOWN_COLUMNS, columns=_quoted(unknown), allowed=_quoted(columns)
            )
        )
    missing = [n for n, required in columns.items() if required and n not in seen]
    if missing:
        problems.append(Problem.of(header_line, MISSING_COLUMNS, columns=_quoted(missing)))
    if problems:
        raise CsvError(problems)

    rows = []
    for line, cells in data:
        if len(cells) > len(header_names) and any(cells[len(header_names) :]):
            problems.append(Problem.of(line, TOO_MANY_CELLS))
            continue
        values: dict[str, str | None] = dict.fromkeys(columns)
        for name, cell in zip(header_names, cells, strict=False):
            if not name:
                if cell:
                    problems.append(Problem.of(line, UNNAMED_COLUMN))
                continue
            if name in names and cell:
                try:
                    name_cell = clean_name(cell)
                except RuleError as error:
                    problems.append(Problem.from_error(line, error, name))
                else:
                    if not name_cell:
                        problems.append(Problem.of(line, EMPTY_NAME, name))
                    cell = name_cell or cell  # one problem a cell: not "empty" as well
            values[name] = cell or None
        # A required column has a value on every row, so importers may rely on it.
        for position, name in enumerate(header_names):
            if columns.get(name) and values[name] is None:
                short = position >= len(cells)
                template = TOO_FEW_CELLS if short else EMPTY_REQUIRED
                problems.append(Problem.of(line, template, name, name=_quoted([name])))
        rows.append(Row(line, values))
    if problems:
        raise CsvError(problems, seen)
    return Rows(rows, delimiter, seen)


def _read_cell(cell: str) -> str:
    """A cell as read: without surrounding spaces, and without the apostrophe our writer put
    in front of a text a spreadsheet would take for a formula."""
    value = cell.strip()
    if _DEFUSED.match(value):
        value = value[1:].strip()
    return value


def defuse(cell: Any) -> Any:
    """A cell as written: a text a spreadsheet would run as a formula gets an apostrophe in
    front (also one that already starts with apostrophes, so reading it back is exact);
    numbers, and texts that are only a number, stay as they are."""
    if cell is None:
        return ""
    if isinstance(cell, (int, float)) and not isinstance(cell, bool):
        return cell
    text = str(cell)
    if _NUMBER.fullmatch(text):
        return text
    if text.startswith(FORMULA_STARTS) or _DEFUSED.match(text):
        return "'" + text
    return text


def parse_yes_no(text: str) -> bool:
    """yes/no, ja/nee or 1/0 in any case (DATA-EXCHANGE.md), as True or False."""
    word = (text or "").strip().lower()
    if word in YES:
        return True
    if word in NO:
        return False
    raise RuleError(BAD_YES_NO)


_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DUTCH = re.compile(r"(\d{1,2})-(\d{1,2})-(\d{4}|\d{2})")
# DATA-EXCHANGE.md "Reading CSV": a two-digit year is read as strptime's %y reads it
# (POSIX): 00-68 are 2000-2068, 69-99 are 1969-1999. Fixed, so a file reads the same on
# every day.
PIVOT = 69


def two_digit_year(yy: int) -> int:
    """The year a two-digit year in a Dutch date ("01-03-26") stands for."""
    if not 0 <= yy <= 99:
        raise ValueError(f"Not a two-digit year: {yy}")
    return 1900 + yy if yy >= PIVOT else 2000 + yy


def parse_date(text: str) -> date:
    """A date written as YYYY-MM-DD or DD-MM-YYYY (also D-M-YYYY), or DD-MM-YY as Dutch
    LibreOffice and Excel re-save it (``two_digit_year``); it must exist, between
    FIRST_DATE and LAST_DATE (models.clock)."""
    value = (text or "").strip()
    if match := _ISO.fullmatch(value):
        year, month, day = (int(part) for part in match.groups())
    elif match := _DUTCH.fullmatch(value):
        day, month, year = (int(part) for part in match.groups())
        if len(match[3]) == 2:
            year = two_digit_year(year)
    else:
        raise RuleError(BAD_DATE_FORMAT)
    try:
        found = date(year, month, day)
    except ValueError:
        raise RuleError(NO_SUCH_DATE) from None
    if not FIRST_DATE <= found <= LAST_DATE:
        raise RuleError(DATE_OUT_OF_RANGE)
    return found


def parse_choice(text: str, allowed: Sequence[str]) -> str:
    """One of ``allowed`` (compared without case or surrounding spaces), as written there."""
    value = (text or "").strip().casefold()
    for choice in allowed:
        if choice.casefold() == value:
            return choice
    raise RuleError(BAD_CHOICE, choices=", ".join(allowed))


def write_csv(header: Sequence[str], rows: Iterable[Sequence[Any]], excel: bool = False) -> str:
    """CSV text for an export: UTF-8 without BOM and commas, or "for Excel" with both.

    DATA-EXCHANGE.md: exports are UTF-8 without BOM, comma-separated, with a header row;
    the "for Excel" download has a BOM and semicolons (format amounts with
    ``money.format_excel`` for it). None is written as an empty cell. Lines end in "\\n",
    or "\\r\\n" for Excel. Every cell goes through ``defuse``: no live formulas.
    """
    # Each row is written with "\r\n" (so a cell holding a carriage return is quoted too,
    # which the csv module does only for the characters of the line end) and given its own.
    ending = "\r\n" if excel else "\n"
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";" if excel else ",", lineterminator="\r\n")

    def line(cells: Sequence[Any]) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(cells)
        return buffer.getvalue()[:-2] + ending

    out = [line(header)]
    out.extend(line([defuse(cell) for cell in row]) for row in rows)
    return ("\ufeff" if excel else "") + "".join(out)
