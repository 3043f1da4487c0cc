"""A ledger file is booked in batches (issue 23.5): its entries, their kept totals and their
audit lines go in a few statements however many lines it has, the totals stay what the
ledger says, every entry has its audit line as a single booking writes it, and the rows are
read and checked before the write transaction begins."""

import json
import sqlite3
import time

import pytest

from models import clock
from models.accounts.audit import AuditEntry
from models.budget import LedgerEntry, Post, exchange, ledger_file
from models.budget.totals import counted_by_line, kept_by_line
from models.db import queries
from models.rules.csvfile import CsvError

YEAR = clock.today().year

PLAN = f"""year,post,sub_budget,manager,project,planned
{YEAR},Bulk,,,,100000
{YEAR},Bulk,Een,,,500
{YEAR},Bulk,Twee,,,500
""".encode()


def _file(lines: int) -> bytes:
    rows = ["id,date,post,sub_budget,description,amount,kind,reverses"]
    for n in range(lines):
        sub = ("", "Een", "Twee")[n % 3]
        amount, kind = (f"{n + 1}.00", "income") if n % 7 == 0 else (f"-{n + 1}.25", "spending")
        rows.append(f"r{n},{YEAR}-02-{n % 28 + 1:02d},Bulk,{sub},regel {n},{amount},{kind},")
    # A correction of a line of the file itself: booked after the entry it undoes.
    rows.append(f"c1,{YEAR}-03-01,Bulk,Een,terug,2.25,reversal,r1")
    return ("\n".join(rows) + "\n").encode()


def test_a_big_file_is_booked_in_a_few_statements_with_its_totals_and_audit_lines(db):
    exchange.import_budget(PLAN, None, None)
    before = LedgerEntry.select().count()
    queries.count = 0
    done = ledger_file.import_ledger(_file(1500), None, None, "big.csv", language="en")
    statements = queries.count
    assert done.booked == 1501
    assert LedgerEntry.select().count() == before + 1501
    # 1,501 entries and as many audit lines: 4 + 4 INSERTs of at most 500 rows, the totals'
    # upserts and the checks; per line it was three statements (entry, total, audit line).
    assert statements <= 40, statements
    assert kept_by_line() == counted_by_line()
    bulk = Post.get(Post.name == "Bulk")
    entries = {e.id: e for e in LedgerEntry.select().where(LedgerEntry.post == bulk)}
    correction = next(e for e in entries.values() if e.kind == "reversal")
    undone = entries[correction.reverses_id]
    assert (undone.description, undone.amount_cents) == ("regel 1", -225)
    lines = {
        a.object_id: a
        for a in AuditEntry.select().where(AuditEntry.action == "budget.entry.import")
    }
    assert set(lines) >= set(entries)
    after = json.loads(lines[correction.id].after)
    assert after == {
        "date": f"{YEAR}-03-01", "post": bulk.id, "sub_budget": correction.sub_budget_id,
        "amount_cents": 225, "kind": "reversal", "reverses": undone.id,
    }  # fmt: skip
    assert lines[correction.id].object_type == "ledgerentry"


def _hold_the_write_lock(url: str):
    """Another connection holding what a ledger import's transaction waits for: SQLite's
    write lock (BEGIN IMMEDIATE), or PostgreSQL's file import lock."""
    if url.startswith("sqlite"):
        other = sqlite3.connect(url.split("///", 1)[1], isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
    else:
        import psycopg2

        other = psycopg2.connect(url)
        other.cursor().execute("SELECT pg_advisory_xact_lock(%s)", (exchange.IMPORT_LOCK,))
    return other


def test_a_wrong_file_is_refused_without_waiting_for_the_write_lock(db, db_url):
    """The rows are read and checked before the write transaction (only the booking holds
    the lock): while another connection holds it, a file with a wrong line is still refused
    at once, with its line, and nothing is booked."""
    exchange.import_budget(PLAN, None, None)
    before = LedgerEntry.select().count()
    bad = _file(50).replace(b",regel 3,-4.25,", b",regel 3,veel,")
    other = _hold_the_write_lock(db_url)
    try:
        start = time.monotonic()
        with pytest.raises(CsvError) as caught:
            ledger_file.import_ledger(bad, None, None, "bad.csv", language="en")
        assert time.monotonic() - start < 2  # SQLite's busy timeout is 5 s
        assert [p.line for p in caught.value.problems] == [5]
    finally:
        other.rollback()
        other.close()
    assert LedgerEntry.select().count() == before
    assert ledger_file.import_ledger(_file(50), None, None, "good.csv", language="en").booked == 51
