"""Look-alike rows of a ledger file (issue 19 M3): a row that does not name a stored entry by
its id but has a stored entry's content (date, post or sub-budget, amount and description)
is probably that entry again: a ledger export whose id column was deleted or renumbered. It
is booked only when someone says so row by row (models/budget/ledger_file.py)."""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass

from models.budget.tables import LedgerEntry
from models.rules.csvfile import CsvError, Problem
from models.words import Text

LOOKS_BOOKED = Text(
    "This row looks like entry {id} in the ledger (the same date, post or sub-budget, amount "
    "and description)."
)


LOOKALIKES = Text(
    "Some rows look like entries that are already in the ledger (perhaps the file is an "
    "export whose id column was deleted or changed), so nothing was imported. Say row by row "
    "which of them are new."
)


UNDOES_LEFT_OUT = Text(
    "This correction undoes line {line}, which is left out: book that line too, or leave "
    "this correction out."
)


def content_text(value: str | None) -> str:
    """A text cell compared as content: one form of every accented letter, one kind of line
    break (a spreadsheet may write either)."""
    text = (value or "").replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


@dataclass(frozen=True)
class Lookalike:
    """A row of the file with a stored entry's content (not its id), as the page lists it."""

    line: int
    entry_id: int
    date: dt.date
    post: str
    sub_budget: str
    description: str
    amount_cents: int
    kind: str


class Lookalikes(CsvError):
    """The file has look-alike rows nobody confirmed: nothing was imported. `rows` lists
    them; `problems` says it line by line."""

    def __init__(self, rows: list[Lookalike]) -> None:
        self.rows = rows
        super().__init__(
            [Problem.of(None, LOOKALIKES)]
            + [Problem.of(row.line, LOOKS_BOOKED, id=row.entry_id) for row in rows]
        )


def lookalikes_of(parsed: list, known: dict[int, int]) -> list[Lookalike]:
    """The rows, other than stored entries named by their id, with a stored entry's content:
    date, post, sub-budget, amount and description (a reimbursement's description, which an
    export leaves out, matches when the row's is empty). One query."""
    new = [(i, item) for i, item in enumerate(parsed) if i not in known]
    if not new:
        return []
    e = LedgerEntry
    stored: dict[tuple, list] = {}
    query = (
        e.select(e.id, e.date, e.post, e.sub_budget, e.amount_cents, e.description, e.kind)
        .where(
            e.date.in_(sorted({item["date"] for _i, item in new}))
            & e.amount_cents.in_(sorted({item["amount"] for _i, item in new}))
        )
        .order_by(e.id)
        .tuples()
    )
    for entry_id, date, post_id, sub_id, cents, description, kind in query:
        stored.setdefault((date, post_id, sub_id, cents), []).append(
            (entry_id, content_text(description).strip(), kind)
        )
    found = []
    for _index, item in new:
        sub_id = item["sub"].id if item["sub"] is not None else None
        key = (item["date"], item["post"].id, sub_id, item["amount"])
        text = content_text(item["description"]).strip()
        for entry_id, description, kind in stored.get(key, ()):
            if text == description or (not text and kind == "reimbursement"):
                found.append(
                    Lookalike(
                        line=item["line"], entry_id=entry_id, date=item["date"],
                        post=item["post"].name,
                        sub_budget=item["sub"].name if item["sub"] is not None else "",
                        description=item["description"] or "", amount_cents=item["amount"],
                        kind=item["kind"],
                    )
                )  # fmt: skip
                break
    return found


def left_out_checked(parsed: list, left_out: set[int], problems: list[Problem]) -> None:
    """A correction that stays must not undo a row of the file that is left out."""
    for index, item in enumerate(parsed):
        if item["kind"] != "reversal" or index in left_out:
            continue
        where, number = item["target"]
        if where == "file" and number in left_out:
            problems.append(
                Problem.of(item["line"], UNDOES_LEFT_OUT, "reverses", line=parsed[number]["line"])
            )
