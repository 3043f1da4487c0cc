"""Kept ledger totals (issue 13): the money of each budget line, kept beside the ledger so the
summary reads a few rows instead of summing a million entries.

The ledger is append-only, so a line's total only ever grows by the entry just written.
Every ledger entry is written here, by `add_entry` (one) or `add_entries` (a batch: a ledger
file, the demo, the bench), which add the entry's money to its line's `LedgerTotal` in the
same transaction; a batch with one upsert per 500 lines. No
other code creates a LedgerEntry (tests/budget/test_totals.py reads the code to hold this).

A line is a post's own entries or one sub-budget's; a post's total and the year's are the
sums of their lines (at most posts + sub-budgets rows), added up by models/budget/summary.py.

Concurrent bookings lose no update: a total is changed by one atomic upsert, `INSERT …
ON CONFLICT (post_id, sub) DO UPDATE SET spent_cents = spent_cents + excluded.spent_cents`,
never read into Python and written back. On PostgreSQL a second booking on the same line
waits for the first one's row (or its new row) and then adds to what it committed; on
SQLite every write transaction holds the write lock from its BEGIN IMMEDIATE.

`rebuild_totals` counts every line again from the ledger (`tafel recount`; migration 0010
fills the totals of an existing database the same way, in SQL).
"""

from __future__ import annotations

from peewee import EXCLUDED, Case, fn

from models.budget.tables import LedgerEntry, LedgerTotal, Post
from models.bulk import insert_rows
from models.db import database, is_sqlite
from models.sql_once import Shaped, Slot

# Rows per INSERT: 500 entries of 12 columns stay far below SQLite's 32,766 parameters.
BATCH = 500


def money_of(kind: str, amount_cents: int) -> tuple[int, int]:
    """(spent, received) of one entry, by the signs of models/budget/tables.py: income and
    the correction of income are received; the rest (and its corrections) is spent."""
    if kind == "income" or (kind == "reversal" and amount_cents < 0):
        return 0, amount_cents
    return -amount_cents, 0


def _id(value) -> int | None:
    return getattr(value, "id", value)


def _add(post_id: int, sub_id: int | None, spent: int, received: int, entries: int) -> None:
    """Add money to a line's kept total: one atomic upsert (call inside a transaction)."""
    t = LedgerTotal
    t.insert(
        post=post_id, sub=sub_id or 0, spent_cents=spent, received_cents=received,
        entries=entries,
    ).on_conflict(
        conflict_target=[t.post, t.sub],
        update={
            t.spent_cents: t.spent_cents + EXCLUDED.spent_cents,
            t.received_cents: t.received_cents + EXCLUDED.received_cents,
            t.entries: t.entries + EXCLUDED.entries,
        },
    ).execute()  # fmt: skip


def _add_lines(lines: dict[tuple[int, int | None], tuple[int, int, int]]) -> None:
    """Add money to many lines' kept totals: one multi-row atomic upsert per 500 lines, in
    the order of (post, sub-budget), so two batch writers take the lines' rows in one order
    (call inside a transaction)."""
    t = LedgerTotal
    rows = [
        {"post": post_id, "sub": sub_id or 0, "spent_cents": spent,
         "received_cents": received, "entries": entries}
        for (post_id, sub_id), (spent, received, entries) in sorted(
            lines.items(), key=lambda item: (item[0][0], item[0][1] or 0)
        )
    ]  # fmt: skip
    for start in range(0, len(rows), BATCH):
        t.insert_many(rows[start : start + BATCH]).on_conflict(
            conflict_target=[t.post, t.sub],
            update={
                t.spent_cents: t.spent_cents + EXCLUDED.spent_cents,
                t.received_cents: t.received_cents + EXCLUDED.received_cents,
                t.entries: t.entries + EXCLUDED.entries,
            },
        ).execute()  # fmt: skip


def take_lines(lines) -> None:
    """Take the kept totals of these (post id, sub-budget id or None) lines in one order, at
    the start of a transaction that books on several of them (an imported file): on
    PostgreSQL each booking locks its line's row until the end, and two such transactions
    taking lines in the order of their files could wait for each other in a circle. One
    statement (an upsert adding nothing) per 500 lines."""
    _add_lines({(post_id, sub_id or None): (0, 0, 0) for post_id, sub_id in lines})


def add_entry(**fields) -> LedgerEntry:
    """Write one ledger entry (LedgerEntry's fields) and add it to its line's kept total, in
    one transaction. The callers check the rules (models/budget/ledger.py `book` and
    `reverse`, the ledger file's checks); this only keeps the books straight."""
    with database.atomic():
        entry = LedgerEntry.create(**fields)
        spent, received = money_of(entry.kind, entry.amount_cents)
        _add(_id(entry.post), _id(entry.sub_budget), spent, received, 1)
    return entry


def _new_ids(count: int, taken: int = 0) -> list[int]:
    """Ids for `count` new entries (inside the writing transaction). PostgreSQL hands them
    out from the table's sequence; on SQLite the transaction holds the write lock from its
    BEGIN IMMEDIATE, so nobody adds an entry meanwhile and the next ids are those after the
    highest (what SQLite itself would give: the ledger never deletes), and after `taken`
    (the highest id the batch brings itself)."""
    if is_sqlite():
        top = max(LedgerEntry.select(fn.MAX(LedgerEntry.id)).scalar() or 0, taken)
        return list(range(top + 1, top + 1 + count))
    cursor = database.execute_sql(
        "SELECT nextval(pg_get_serial_sequence('ledger_entry', 'id')) FROM generate_series(1, %s)",
        (count,),
    )
    return [row[0] for row in cursor.fetchall()]


def add_entries(rows: list[dict]) -> list[int]:
    """Write a batch of entries (dicts of LedgerEntry's fields, with or without their ids;
    none a reversal of another in the batch) in one transaction: one INSERT per 500 entries
    and one upsert of the kept totals per 500 lines they touch (issue 23.5: a ledger file,
    the demo, the bench). Returns the entries' ids, in the order of `rows`."""
    if not rows:
        return []
    lines: dict[tuple[int, int | None], list[int]] = {}
    for row in rows:
        spent, received = money_of(row["kind"], row["amount_cents"])
        line = lines.setdefault((_id(row["post"]), _id(row.get("sub_budget"))), [0, 0, 0])
        line[0] += spent
        line[1] += received
        line[2] += 1
    with database.atomic():
        missing = [i for i, row in enumerate(rows) if row.get("id") is None]
        if missing:
            rows = list(rows)
            given = max((row["id"] for row in rows if row.get("id") is not None), default=0)
            for i, new_id in zip(missing, _new_ids(len(missing), given), strict=True):
                rows[i] = {**rows[i], "id": new_id}
        insert_rows(LedgerEntry, rows, BATCH)
        _add_lines({line: tuple(money) for line, money in lines.items()})
    return [row["id"] for row in rows]


def spent_sum():
    """SUM of the spent side of entries, as booked (negative: money out)."""
    e = LedgerEntry
    out = (e.kind << ["spending", "reimbursement"]) | (
        (e.kind == "reversal") & (e.amount_cents > 0)
    )
    return fn.COALESCE(fn.SUM(Case(None, [(out, e.amount_cents)], 0)), 0)


def received_sum():
    """SUM of the received side of entries."""
    e = LedgerEntry
    inn = (e.kind == "income") | ((e.kind == "reversal") & (e.amount_cents < 0))
    return fn.COALESCE(fn.SUM(Case(None, [(inn, e.amount_cents)], 0)), 0)


def counted_by_line(year_id: int | None = None) -> dict[tuple[int, int | None], tuple]:
    """(post id, sub-budget id or None) → (spent, received, entries) summed from the ledger
    itself (of one year, or of all): the slow truth the kept totals must equal."""
    e = LedgerEntry
    query = e.select(e.post, e.sub_budget, spent_sum(), received_sum(), fn.COUNT(e.id)).group_by(
        e.post, e.sub_budget
    )
    if year_id is not None:
        query = query.join(Post, on=(e.post == Post.id)).where(Post.year == year_id)
    return {
        (post_id, sub_id): (-int(out), int(inn), int(n))
        for post_id, sub_id, out, inn, n in query.tuples()
    }


def kept_by_line(year_id: int | None = None, post_id: int | None = None) -> dict:
    """(post id, sub-budget id or None) → (spent, received, entries) as kept (of a year, of
    one post, or all): one query over at most posts + sub-budgets rows."""
    query = _KEPT(year=year_id is not None, post=post_id is not None)
    return {
        (post_id, sub or None): (spent, received, entries)
        for post_id, sub, spent, received, entries in query.rows(year=year_id, post=post_id)
    }


def _kept(year: bool, post: bool):
    t = LedgerTotal
    query = t.select(t.post, t.sub, t.spent_cents, t.received_cents, t.entries)
    if year:
        query = query.join(Post, on=(t.post == Post.id)).where(Post.year == Slot("year"))
    if post:
        query = query.where(t.post == Slot("post"))
    return query.tuples()


# Its SQL built once per shape (models/sql_once.py): the budget pages read it on every request.
_KEPT = Shaped(_kept)


def rebuild_totals() -> int:
    """Count every line's total again from the ledger and keep that; returns how many lines
    were kept wrong (0 when every kept total was right). One transaction."""
    with database.atomic():
        if not is_sqlite():
            # Bookings wait until the new totals are in (one that is writing now is waited
            # for, and then counted); on SQLite the write lock does this already.
            database.execute_sql("LOCK TABLE ledger_total IN SHARE ROW EXCLUSIVE MODE")
        truth = counted_by_line()
        kept = {line: money for line, money in kept_by_line().items() if money != (0, 0, 0)}
        wrong = sum(1 for line in truth.keys() | kept.keys() if truth.get(line) != kept.get(line))
        LedgerTotal.delete().execute()
        rows = [
            {"post": post_id, "sub": sub_id or 0, "spent_cents": spent,
             "received_cents": received, "entries": entries}
            for (post_id, sub_id), (spent, received, entries) in truth.items()
        ]  # fmt: skip
        for start in range(0, len(rows), 500):
            LedgerTotal.insert_many(rows[start : start + 500]).execute()
    return wrong
