"""Budget files (DATA-EXCHANGE.md "Budget files"): budget.csv and ledger.csv in, ledger.csv and
budget-summary.csv out. One implementation for the `tafel` command and the app's uploads and
downloads. Imports are all-or-nothing: every problem is listed with its line number (in
English, with a template the screens translate) and nothing is stored unless the whole file
is right.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from dataclasses import dataclass

from peewee import JOIN

from models import audit
from models.budget.ledger import check_sign, entry_values
from models.budget.plan import apply_planned
from models.budget.summary import summary
from models.budget.tables import (
    ENTRY_KINDS,
    BudgetError,
    BudgetYear,
    LedgerEntry,
    LedgerImport,
    Post,
    SubBudget,
)
from models.db import database
from models.organisation import Project
from models.person import Person
from models.rules.csvfile import (
    CsvError,
    Problem,
    decode,
    parse_choice,
    parse_date,
    read_csv,
    write_csv,
)
from models.rules.errors import RuleError
from models.rules.money import AmountError, format_excel, format_plain, parse_amount

BUDGET_COLUMNS = {
    "year": True,
    "post": True,
    "sub_budget": False,
    "manager": False,
    "project": False,
    "planned": True,
}
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
LEDGER_HEADER = ["id", "date", "post", "sub_budget", "description", "amount", "kind", "reverses"]
SUMMARY_HEADER = ["year", "post", "sub_budget", "planned", "spent", "received", "remaining"]

NAME_LENGTH = 120  # Post.name and SubBudget.name
MAX_ID = 2**31 - 1  # ids are 32-bit integers on PostgreSQL
NAME_TOO_LONG = "Use at most {length} characters."
BAD_YEAR = "Write the year as four digits, for example 2026."
NEGATIVE_PLAN = "A planned amount cannot be below zero."
NO_PERSON = "There is no person named {name}."
NO_PROJECT = "There is no project named {name}."
NO_POST = "There is no post {name} in {year}; import the plan first."
NO_SUB = "Post {post} has no sub-budget {name}; import the plan first."
DOUBLE_ROW = "This row repeats post {post}, sub-budget {sub} of an earlier line."
DOUBLE_ID = "The id {id} appears more than once in this file."
NO_ORIGINAL = "The entry {id} that this correction undoes does not exist."
NOT_NEGATED = "A correction must be the original amount with the opposite sign."
OTHER_LINE = "A correction must be booked on the same post and sub-budget as the original."
NEEDS_REVERSES = "A correction needs the id of the entry it undoes in the column reverses."
ONLY_REVERSAL = "Only a correction (kind reversal) can point at another entry."
ALREADY_IMPORTED = "This ledger file was imported before, so nothing was imported again."
NO_ROWS = "This file has no ledger rows, so nothing was imported."
SAME_ROWS = (
    "These ledger rows were imported before (perhaps saved again by a spreadsheet), "
    "so nothing was imported again."
)
ALL_BOOKED = (
    "Every row of this file is already in the ledger: it is an export of the ledger, so "
    "nothing was imported again."
)
ALREADY_CORRECTED = "This entry has already been corrected."
REVERSAL_OF_REVERSAL = (
    "This entry is itself a correction and cannot be corrected again; book a new entry instead."
)


def _problem(line: int, error: ValueError, column: str | None = None) -> Problem:
    return Problem.from_error(line, error, column)


def _hash(raw: bytes) -> str:
    text = decode(raw).replace("\r\n", "\n").replace("\r", "\n").strip()
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _text(value: str | None) -> str:
    """A text cell compared as content: one form of every accented letter, one kind of line
    break (a spreadsheet may write either)."""
    text = (value or "").replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def _rows_hash(parsed: list[dict]) -> str:
    """The hash of the rows as read, whatever the file looked like (DATA-EXCHANGE.md): each
    row's date, post, sub-budget, description, amount in cents and kind, in any order. The
    file's own ids are not content, only references: a correction is hashed with the row it
    undoes (that row's content, when it is in the file) or with the stored entry it names."""

    def own(item):
        sub = item["sub"].name if item["sub"] is not None else ""
        return [item["date"].isoformat(), item["post"].name, sub, _text(item["description"]),
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


def _same_entry(entry: LedgerEntry, item: dict, reverses: int | None) -> bool:
    """A row of a ledger export is this stored entry: the same date, post, sub-budget, amount,
    kind and original. The description is not compared: an export leaves a reimbursement's
    out, and a spreadsheet may change a text (a long number, a date-like word)."""
    return (
        entry.date == item["date"]
        and entry.post_id == item["post"].id
        and entry.sub_budget_id == _id(item["sub"])
        and entry.amount_cents == item["amount"]
        and entry.kind == item["kind"]
        and entry.reverses_id == reverses
    )


@dataclass(frozen=True)
class LedgerImported:
    """What a ledger import did: entries booked, and rows left out because they are stored
    entries already (the rows of a ledger export)."""

    booked: int
    known: int = 0


def _stored_id(text) -> int | None:
    """The database id a `reverses` cell names, None when it names no stored entry's id (a
    key of a line in the same file, or a number past the id column)."""
    text = str(text or "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(MAX_ID)):
        return None
    number = int(text)
    return number if 1 <= number <= MAX_ID else None


# --- budget.csv -------------------------------------------------------------------------


def import_budget(raw: bytes, actor_account: int | None, actor_person: int | None) -> dict:
    """Create or update years, posts and sub-budgets from budget.csv; raises CsvError."""
    rows = read_csv(raw, BUDGET_COLUMNS, names=("post", "sub_budget"))
    problems: list[Problem] = []
    people = {p.display_name: p.id for p in Person.select(Person.id, Person.display_name)}
    projects = {p.name: p.id for p in Project.select(Project.id, Project.name)}
    plan, seen = [], set()
    for row in rows:
        try:
            year = int(row["year"] or "")
            if not 1900 <= year <= 2200:
                raise ValueError
        except ValueError:
            problems.append(Problem.of(row.line, BAD_YEAR, "year"))
            continue
        try:
            planned = parse_amount(row["planned"] or "")
            if planned < 0:
                raise RuleError(NEGATIVE_PLAN)
        except RuleError as err:
            problems.append(_problem(row.line, err, "planned"))
            continue
        for column in ("post", "sub_budget"):
            if len(row.get(column) or "") > NAME_LENGTH:
                problems.append(Problem.of(row.line, NAME_TOO_LONG, column, length=NAME_LENGTH))
        manager = row.get("manager")
        if manager and manager not in people:
            problems.append(Problem.of(row.line, NO_PERSON, "manager", name=f'"{manager}"'))
        project = row.get("project")
        if project and project not in projects:
            problems.append(Problem.of(row.line, NO_PROJECT, "project", name=f'"{project}"'))
        key = (year, row["post"], row.get("sub_budget"))
        if key in seen:
            problems.append(
                Problem.of(row.line, DOUBLE_ROW, post=row["post"], sub=row.get("sub_budget", ""))
            )
        seen.add(key)
        plan.append((year, row["post"], row.get("sub_budget"), manager, project, planned))
    if problems:
        raise CsvError(problems)
    counts = {"posts": 0, "sub_budgets": 0}
    with database.atomic():
        years = {y.year: y for y in BudgetYear.select()}
        # Post rows first, so a post's own planned amount is set before its sub-budgets.
        for year, post_name, sub_name, manager, project, planned in sorted(
            plan, key=lambda p: p[2] is not None
        ):
            if year not in years:
                years[year] = BudgetYear.create(year=year)
            post = Post.get_or_none((Post.year == years[year]) & (Post.name == post_name))
            if post is None:
                post = Post.create(year=years[year], name=post_name, planned_cents=0)
                audit.record(actor_account, "budget.post.create", post, after={"name": post_name})
            if sub_name is None:
                apply_planned(post, None, planned, "budget.csv", proposed_by=actor_person,
                              account_id=actor_account)  # fmt: skip
                counts["posts"] += 1
                continue
            sub = SubBudget.get_or_none((SubBudget.post == post) & (SubBudget.name == sub_name))
            if sub is None:
                sub = SubBudget.create(post=post, name=sub_name, planned_cents=0)
                audit.record(
                    actor_account, "budget.sub_budget.create", sub, after={"name": sub_name}
                )
            before = {"manager": sub.manager_id, "project": sub.project_id}
            if manager:
                sub.manager = people[manager]
            if project:
                sub.project = projects[project]
            if before != {"manager": sub.manager_id, "project": sub.project_id}:
                sub.save()
                audit.record(
                    actor_account, "budget.sub_budget.update", sub, before=before,
                    after={"manager": sub.manager_id, "project": sub.project_id},
                )  # fmt: skip
            apply_planned(post, sub, planned, "budget.csv", proposed_by=actor_person,
                          account_id=actor_account)  # fmt: skip
            counts["sub_budgets"] += 1
    return counts


# --- ledger.csv -------------------------------------------------------------------------


def import_ledger(
    raw: bytes, actor_account: int | None, actor_person: int | None, file_name: str = ""
) -> LedgerImported:
    """Book every new entry of ledger.csv, or nothing. Refused: a file whose rows were
    imported before (in whatever form), and a file whose rows all are stored entries (an
    export); rows of a file that are stored entries are left out, never booked twice."""
    digest = _hash(raw)
    if LedgerImport.seen(digest):
        raise CsvError([Problem.of(None, ALREADY_IMPORTED)])
    rows = read_csv(raw, LEDGER_COLUMNS)
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
            problems.append(_problem(line, err, "date"))
            date = None
        try:
            amount = parse_amount(row["amount"] or "")
        except AmountError as err:
            problems.append(_problem(line, err, "amount"))
            amount = None
        try:
            kind = parse_choice(row["kind"] or "", ENTRY_KINDS)
        except RuleError as err:
            problems.append(_problem(line, err, "kind"))
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
                problems.append(_problem(line, err, "amount"))
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
    known = _stored_entries(parsed, file_ids)
    _corrections_checked(parsed, file_ids, known, problems)
    if problems:
        raise CsvError(problems)
    if not parsed:
        raise CsvError([Problem.of(None, NO_ROWS)])
    if len(known) == len(parsed):
        raise CsvError([Problem.of(None, ALL_BOOKED)])
    rows_digest = _rows_hash(parsed)
    if LedgerImport.rows_seen(rows_digest):
        raise CsvError([Problem.of(None, SAME_ROWS)])
    made: dict[int, int] = {}
    with database.atomic():
        LedgerImport.create(
            content_hash=digest, rows_hash=rows_digest, file_name=file_name[:200],
            entries=len(parsed) - len(known),
        )  # fmt: skip
        for index, item in enumerate(parsed):
            if item["kind"] == "reversal" or index in known:
                continue
            entry = LedgerEntry.create(
                date=item["date"], post=item["post"], sub_budget=item["sub"],
                description=item["description"], amount_cents=item["amount"],
                kind=item["kind"], booked_by=actor_person,
            )  # fmt: skip
            made[index] = entry.id
            audit.record(actor_account, "budget.entry.import", entry, after=entry_values(entry))
        for index, item in enumerate(parsed):
            if item["kind"] != "reversal" or index in known:
                continue
            where, number = item["target"]
            target = made[number] if where == "file" else number
            entry = LedgerEntry.create(
                date=item["date"], post=item["post"], sub_budget=item["sub"],
                description=item["description"], amount_cents=item["amount"],
                kind="reversal", reverses=target, booked_by=actor_person,
            )  # fmt: skip
            audit.record(actor_account, "budget.entry.import", entry, after=entry_values(entry))
    return LedgerImported(booked=len(parsed) - len(known), known=len(known))


def _target(ref: str | None, file_ids: dict, known: dict[int, int]):
    """What a `reverses` cell points at: ("file", index) for a line of the file that is not
    stored yet, ("db", id) for a stored entry (also a line of the file that is one), None
    when it names nothing. An id of the file wins over a stored entry's id."""
    if not ref:
        return None
    if ref in file_ids:
        index = file_ids[ref]
        return ("db", known[index]) if index in known else ("file", index)
    number = _stored_id(ref)
    return ("db", number) if number is not None else None


def _stored_entries(parsed: list[dict], file_ids: dict) -> dict[int, int]:
    """The lines of the file that are stored entries (line index: entry id): a line whose id
    is a stored entry's own id, with that entry's content, as a ledger export writes them.
    Entries first, then the corrections, whose original must be the same too."""
    numbers = {_stored_id(item["id"]): i for i, item in enumerate(parsed) if item and item["id"]}
    numbers.pop(None, None)
    if not numbers:
        return {}
    stored = {e.id: e for e in LedgerEntry.select().where(LedgerEntry.id.in_(list(numbers)))}
    known: dict[int, int] = {}
    for corrections in (False, True):
        for number, index in numbers.items():
            item, entry = parsed[index], stored.get(number)
            if entry is None or (item["kind"] == "reversal") != corrections:
                continue
            target = _target(item["reverses"], file_ids, known)
            reverses = target[1] if target and target[0] == "db" else None
            if _same_entry(entry, item, reverses):
                known[index] = entry.id
    return known


def _corrections_checked(parsed: list, file_ids: dict, known: dict[int, int], problems) -> None:
    """Every new correction points at an entry of this file or a stored one, undoes it
    exactly, and is the only correction of it; sets each one's "target". (An id beyond what
    the database holds names nothing: no entry, not an overflow.)"""
    for item in parsed:
        if item is not None:
            item["target"] = _target(item["reverses"], file_ids, known)
    new = [
        item
        for index, item in enumerate(parsed)
        if item and item["kind"] == "reversal" and index not in known
    ]
    db_ids = {item["target"][1] for item in new if item["target"] and item["target"][0] == "db"}
    existing = {e.id: e for e in LedgerEntry.select().where(LedgerEntry.id.in_(list(db_ids)))}
    already = {
        r[0]
        for r in LedgerEntry.select(LedgerEntry.reverses)
        .where(LedgerEntry.reverses.in_(list(existing)))
        .tuples()
    }
    undone = set()
    for item in new:
        target = item["target"]
        if target is not None and target[0] == "file":
            original_item = parsed[target[1]]
            if original_item is None:
                continue  # that line has its own problem already
            key = target
            original = (original_item["kind"], original_item["amount"],
                        original_item["post"].id, _id(original_item["sub"]))  # fmt: skip
        elif target is not None and target[1] in existing:
            entry = existing[target[1]]
            key = None if entry.id in already else target
            original = (entry.kind, entry.amount_cents, entry.post_id, entry.sub_budget_id)
        else:
            problems.append(Problem.of(item["line"], NO_ORIGINAL, "reverses", id=item["reverses"]))
            continue
        kind, amount, post_id, sub_id = original
        if key is None or key in undone:
            problems.append(
                Problem(item["line"], ALREADY_CORRECTED, "reverses", ALREADY_CORRECTED, {})
            )  # fmt: skip
            continue
        undone.add(key)
        if kind == "reversal":
            problems.append(
                Problem(item["line"], REVERSAL_OF_REVERSAL, "reverses", REVERSAL_OF_REVERSAL, {})
            )
        elif amount != -item["amount"]:
            problems.append(Problem.of(item["line"], NOT_NEGATED, "amount"))
        elif post_id != item["post"].id or sub_id != _id(item["sub"]):
            problems.append(Problem.of(item["line"], OTHER_LINE, "sub_budget"))


def _id(obj):
    return obj.id if obj is not None else None


# --- exports ----------------------------------------------------------------------------


def year_or_latest(number: int | None) -> BudgetYear | None:
    """The year asked for, or the latest year with a plan."""
    return BudgetYear.latest() if number is None else BudgetYear.numbered(number)


def export_ledger(year_number: int | None = None, excel: bool = False) -> str:
    """ledger.csv: every entry (of one year, when given), by date then id. No names: the
    description of a reimbursement is left empty."""
    money = format_excel if excel else format_plain
    e = LedgerEntry
    query = (
        e.select(
            e.id,
            e.date,
            Post.name,
            SubBudget.name,
            e.description,
            e.amount_cents,
            e.kind,
            e.reverses,
        )  # fmt: skip
        .join(Post, on=(e.post == Post.id))
        .join(BudgetYear, on=(Post.year == BudgetYear.id))
        .switch(e)
        .join(SubBudget, join_type=JOIN.LEFT_OUTER, on=(e.sub_budget == SubBudget.id))
        .order_by(e.date, e.id)
        .tuples()
    )
    if year_number is not None:
        query = query.where(BudgetYear.year == year_number)

    # Who was reimbursed is not for funders or members: a reimbursement's own description
    # (the claimant's words) is left out; the kind column says what it is.
    def rows():
        for entry_id, date, post, sub, description, cents, kind, reverses in query.iterator():
            yield [
                entry_id, date.isoformat(), post, sub or "",
                "" if kind == "reimbursement" else description,
                money(cents), kind, reverses or "",
            ]  # fmt: skip

    return write_csv(LEDGER_HEADER, rows(), excel=excel)


def summary_rows(year: BudgetYear | None) -> list[list]:
    """budget-summary.csv rows in cents: the same numbers as the budget page."""
    if year is None:
        return []
    data = summary(year)
    rows = []
    for line in data.posts:
        for sub in line.subs:
            t = sub.totals
            rows.append([year.year, line.post.name, sub.sub.name, t.planned, t.spent, t.received,
                         t.remaining])  # fmt: skip
        t = line.totals
        rows.append([year.year, line.post.name, "", t.planned, t.spent, t.received, t.remaining])
    t = data.total
    rows.append([year.year, "total", "", t.planned, t.spent, t.received, t.remaining])
    return rows


def export_summary(year: BudgetYear | None, excel: bool = False) -> str:
    """budget-summary.csv for a year."""
    money = format_excel if excel else format_plain
    rows = [[*row[:3], *(money(c) for c in row[3:])] for row in summary_rows(year)]
    return write_csv(SUMMARY_HEADER, rows, excel=excel)
