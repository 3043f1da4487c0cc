"""ledger.csv in (DATA-EXCHANGE.md "Budget files"): all or nothing, every problem with its
line number. A file whose rows were imported before is refused, whatever its encoding,
separator, decimal style or date format (the rows are hashed as read, the file's own ids left
out), and rows of a ledger export are recognised as the entries they are, never booked twice.

A row without a stored entry's id that has a stored entry's content (date, post or
sub-budget, amount and description: a ledger export whose id column was deleted or
renumbered, issue 19 M3) is a look-alike: it is booked only when confirmed row by row
(`confirmed`, the import page) or all at once on purpose (`book_lookalikes`, the command's
--book-lookalikes); else the import is refused with the list (`Lookalikes`).

One import is one transaction that does its checks inside (issue 20): "imported before" is
read after taking the file import lock (`exchange.one_file_import_at_a_time`: PostgreSQL's
advisory lock held until the commit; SQLite's write lock of BEGIN IMMEDIATE), so of two
uploads of one file at the same moment the second waits for the first and is then told it
was imported before.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection
from dataclasses import dataclass

from models.accounts import audit
from models.budget.exchange import NO_POST, NO_SUB, one_file_import_at_a_time, problem_at
from models.budget.ledger import check_sign
from models.budget.ledger_references import corrections_checked, line_id, stored_entries
from models.budget.lookalikes import Lookalikes, content_text, left_out_checked, lookalikes_of
from models.budget.tables import (
    ENTRY_KINDS,
    BudgetError,
    BudgetYear,
    LedgerImport,
    Post,
    SubBudget,
)
from models.budget.totals import add_entries, take_lines
from models.clock import now
from models.db import database
from models.rules.csvfile import (
    CsvError,
    Problem,
    decode,
    parse_choice,
    parse_date,
    read_csv,
)
from models.rules.errors import RuleError
from models.rules.money import AmountError, parse_amount
from models.words import Text

LEDGER_COLUMNS = {
    "id": False,
    "date": True,
    "post": True,
    "sub_budget": False,
    "description": False,
    "amount": True,
    "kind": True,
    "reverses": False,
}


DOUBLE_ID = Text("The id {id} appears more than once in this file.")


NEEDS_REVERSES = Text("A correction needs the id of the entry it undoes in the column reverses.")


ONLY_REVERSAL = Text("Only a correction (kind reversal) can point at another entry.")


ALREADY_IMPORTED = Text("This ledger file was imported before, so nothing was imported again.")


NO_ROWS = Text("This file has no ledger rows, so nothing was imported.")


SAME_ROWS = Text(
    "These ledger rows were imported before (perhaps saved again by a spreadsheet), "
    "so nothing was imported again."
)


ALL_BOOKED = Text(
    "Every row of this file is already in the ledger: it is an export of the ledger, so "
    "nothing was imported again."
)


ALL_LEFT_OUT = Text("Every new row of this file was left out, so nothing was imported.")


def _hash(raw: bytes) -> str:
    text = decode(raw).replace("\r\n", "\n").replace("\r", "\n").strip()
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _rows_hash(parsed: list[dict]) -> str:
    """The hash of the rows as read, whatever the file looked like (DATA-EXCHANGE.md): each
    row's date, post, sub-budget, description, amount in cents and kind, in any order. The
    file's own ids are not content, only references: a correction is hashed with the row it
    undoes (that row's content, when it is in the file) or with the stored entry it names."""

    def own(item):
        sub = item["sub"].name if item["sub"] is not None else ""
        return [item["date"].isoformat(), item["post"].name, sub, content_text(item["description"]),
                item["amount"], item["kind"]]  # fmt: skip

    rows = []
    for item in parsed:
        target = item["target"]
        if target is None:
            undoes = None
        elif target[0] == "file":
            undoes = ["row", own(parsed[target[1]])]
        else:
            undoes = ["entry", target[1]]
        rows.append(json.dumps([*own(item), undoes], ensure_ascii=False))
    return hashlib.sha256("\n".join(sorted(rows)).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class LedgerImported:
    """What a ledger import did: entries booked, rows left out because they are stored
    entries already (the rows of a ledger export), and look-alike rows left out because
    they were not confirmed."""

    booked: int
    known: int = 0
    left_out: int = 0


def import_ledger(
    raw: bytes, actor_account: int | None, actor_person: int | None, file_name: str = "", *,
    confirmed: Collection[int] | None = None, book_lookalikes: bool = False,
    language: str | None = None,
) -> LedgerImported:  # fmt: skip
    """Book every new entry of ledger.csv, or nothing, in one transaction. Refused: a file
    whose rows were imported before (in whatever form), and a file whose rows all are stored
    entries (an export); rows of a file that are stored entries are left out, never booked
    twice. Look-alike rows (a stored entry's content without its id) raise `Lookalikes`
    unless `book_lookalikes` (all of them) or `confirmed` says which lines to book (the
    others are then left out). `language` says how amounts read (`parse_amount`'s convention
    for a comma-separated file: the importer's language; a semicolon file is Dutch)."""
    digest = _hash(raw)
    # Reading and checking the rows happens before the write transaction (issue 23.5): on
    # SQLite every transaction holds the only write lock from its BEGIN, so only what must
    # see the ledger as it is when booking runs inside it. Posts and sub-budgets are never
    # deleted, so the lines a row names stay there.
    if LedgerImport.seen(digest):
        raise CsvError([Problem.of(None, ALREADY_IMPORTED)])
    rows = read_csv(raw, LEDGER_COLUMNS)
    parsed, file_ids, problems = _parsed(rows, rows.convention(language))
    known = stored_entries(parsed, file_ids)
    corrections_checked(parsed, file_ids, known, problems)
    if problems:
        raise CsvError(problems)
    if not parsed:
        raise CsvError([Problem.of(None, NO_ROWS)])
    # The look-alikes (a query over the year's entries) are looked for before the lock too;
    # inside it they are looked for again only when another file was imported meanwhile:
    # imports take the lock one after the other, so their LedgerImport ids grow in the
    # order they commit, and an unchanged highest id means no imported entry is new since
    # (a single entry booked by hand in the second between is not looked for again: the
    # lock never kept those out, during the import or after it).
    imports_before, known_before = LedgerImport.last_id(), known
    lookalikes = lookalikes_of(parsed, known)
    with database.atomic():
        one_file_import_at_a_time()
        if LedgerImport.seen(digest):
            raise CsvError([Problem.of(None, ALREADY_IMPORTED)])
        # What the file's ids and corrections point at, again, as the ledger is now.
        known = stored_entries(parsed, file_ids)
        corrections_checked(parsed, file_ids, known, problems)
        if problems:
            raise CsvError(problems)
        if len(known) == len(parsed):
            raise CsvError([Problem.of(None, ALL_BOOKED)])
        rows_digest = _rows_hash(parsed)
        if LedgerImport.rows_seen(rows_digest):
            raise CsvError([Problem.of(None, SAME_ROWS)])
        if LedgerImport.last_id() != imports_before or known != known_before:
            lookalikes = lookalikes_of(parsed, known)
        if lookalikes and confirmed is None and not book_lookalikes:
            raise Lookalikes(lookalikes)
        chosen = set(confirmed or ()) if not book_lookalikes else {r.line for r in lookalikes}
        not_chosen = {row.line for row in lookalikes if row.line not in chosen}
        left_out = {i for i, item in enumerate(parsed) if item["line"] in not_chosen}
        left_out_checked(parsed, left_out, problems)
        if problems:
            raise CsvError(problems)
        skipped = set(known) | left_out
        if len(skipped) == len(parsed):
            raise CsvError([Problem.of(None, ALL_LEFT_OUT)])
        booked = _book_rows(parsed, skipped, actor_account, actor_person)
        LedgerImport.create(
            content_hash=digest, rows_hash=rows_digest, file_name=file_name[:200], entries=booked
        )
    return LedgerImported(booked=booked, known=len(known), left_out=len(left_out))


def _parsed(rows, convention: str | None) -> tuple[list, dict, list[Problem]]:
    """Each row read (a dict, or None for a row with a problem), the file's own ids (id: row
    index) and the problems."""
    problems: list[Problem] = []
    posts = {(p.year.year, p.name): p for p in Post.select(Post, BudgetYear).join(BudgetYear)}
    subs = {(s.post_id, s.name): s for s in SubBudget.select()}
    parsed, file_ids = [], {}
    for row in rows:
        line = row.line
        errors_before = len(problems)
        try:
            date = parse_date(row["date"] or "")
        except RuleError as err:
            problems.append(problem_at(line, err, "date"))
            date = None
        try:
            amount = parse_amount(row["amount"] or "", convention=convention)
        except AmountError as err:
            problems.append(problem_at(line, err, "amount"))
            amount = None
        try:
            kind = parse_choice(row["kind"] or "", ENTRY_KINDS)
        except RuleError as err:
            problems.append(problem_at(line, err, "kind"))
            kind = None
        post = sub = None
        if date is not None:
            post = posts.get((date.year, row["post"]))
            if post is None:
                problems.append(
                    Problem.of(line, NO_POST, "post", name=f'"{row["post"]}"', year=date.year)
                )
            elif row.get("sub_budget"):
                sub = subs.get((post.id, row["sub_budget"]))
                if sub is None:
                    problems.append(
                        Problem.of(
                            line, NO_SUB, "sub_budget", post=f'"{post.name}"',
                            name=f'"{row["sub_budget"]}"',
                        )
                    )  # fmt: skip
        if kind and amount is not None and kind != "reversal":
            try:
                check_sign(kind, amount)
            except BudgetError as err:
                problems.append(problem_at(line, err, "amount"))
        if kind == "reversal" and not row.get("reverses"):
            problems.append(Problem.of(line, NEEDS_REVERSES, "reverses"))
        if kind and kind != "reversal" and row.get("reverses"):
            problems.append(Problem.of(line, ONLY_REVERSAL, "reverses"))
        if row.get("id"):
            if row["id"] in file_ids:
                problems.append(Problem.of(line, DOUBLE_ID, "id", id=row["id"]))
            file_ids[row["id"]] = len(parsed)
        if len(problems) == errors_before:
            parsed.append(
                {
                    "line": line,
                    "id": row.get("id"),
                    "date": date,
                    "post": post,
                    "sub": sub,
                    "description": row.get("description", ""),
                    "amount": amount,
                    "kind": kind,
                    "reverses": row.get("reverses"),
                }
            )
        else:
            parsed.append(None)
    return parsed, file_ids, problems


def _book_rows(parsed: list, skipped: set[int], actor_account, actor_person) -> int:
    """Book the rows not skipped in batches (`add_entries`: one INSERT per 500 entries, one
    upsert of the kept totals per 500 lines): the entries first, then the corrections, which
    may undo one of them; each with its audit line. How many were booked."""
    take_lines(
        (item["post"].id, line_id(item["sub"]))
        for index, item in enumerate(parsed)
        if index not in skipped
    )
    made: dict[int, int] = {}
    booked_at = now()
    for corrections in (False, True):
        chosen = [
            index
            for index, item in enumerate(parsed)
            if (item["kind"] == "reversal") == corrections and index not in skipped
        ]
        rows = []
        for index in chosen:
            item = parsed[index]
            target = None
            if corrections:
                where, number = item["target"]
                target = made[number] if where == "file" else number
            rows.append(
                {"date": item["date"], "post": item["post"].id, "sub_budget": line_id(item["sub"]),
                 "description": item["description"], "amount_cents": item["amount"],
                 "kind": item["kind"], "reverses": target, "booked_by": actor_person,
                 "booked_at": booked_at}
            )  # fmt: skip
        ids = add_entries(rows)
        made.update(zip(chosen, ids, strict=True))
        audit.record_many(
            actor_account, "budget.entry.import", "ledgerentry",
            [(entry_id, _audit_values(row)) for entry_id, row in zip(ids, rows, strict=True)],
        )  # fmt: skip
    return len(made)


def _audit_values(row: dict) -> dict:
    """An entry's row as the audit log keeps it (`entry_values` of the stored entry)."""
    return {
        "date": row["date"], "post": row["post"], "sub_budget": row["sub_budget"],
        "amount_cents": row["amount_cents"], "kind": row["kind"], "reverses": row["reverses"],
    }  # fmt: skip
