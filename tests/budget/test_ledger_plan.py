"""The ledger lines of a sub-budget and of a post are read along their own index, newest first,
with and without the planner's statistics (issue 13 point 4).

With only the date index, SQLite's plan after ANALYZE read the whole ledger in date order
(1.6 to 1.8 s for a million entries). The plans are checked with EXPLAIN QUERY PLAN on the
statements the ledger pages really run (taken from peewee's query log).
"""

import datetime as dt
import logging
import random

import pytest

from models.budget import BudgetYear, LedgerEntry, Post, SubBudget
from models.budget.ledger import lines_of_post, lines_of_sub_budget
from models.db import database, is_sqlite
from webapp.access import ANONYMOUS

SUB_INDEX = "ledger_entry_sub_budget_id_date_id"
POST_INDEX = "ledger_entry_post_id_sub_budget_id_date_id"


def fill_ledger(entries: int = 30_000) -> tuple[SubBudget, Post]:
    """A year of 10 posts with 10 sub-budgets each and `entries` entries spread over them
    (one in twenty on a post itself); returns a busy sub-budget and a post."""
    rng = random.Random(13)
    year = BudgetYear.create(year=2031)
    lines = []
    for p in range(10):
        post = Post.create(year=year, name=f"Post {p}", planned_cents=100_000)
        for s in range(10):
            sub = SubBudget.create(post=post, name=f"Deel {s}", planned_cents=10_000)
            lines.append((post.id, sub.id))
    rows = []
    for _ in range(entries):
        post_id, sub_id = rng.choice(lines)
        sub_id = None if rng.random() < 0.05 else sub_id
        day = dt.date(2031, rng.randint(1, 12), rng.randint(1, 28))
        rows.append((day, post_id, sub_id, "bench", -rng.randint(100, 9_999), "spending"))
    e = LedgerEntry
    fields = [e.date, e.post, e.sub_budget, e.description, e.amount_cents, e.kind]
    with database.atomic():
        for start in range(0, len(rows), 4_000):
            e.insert_many(rows[start : start + 4_000], fields=fields).execute()
    return SubBudget.get_by_id(lines[0][1]), Post.get_by_id(lines[0][0])


def statements_of(caplog, read) -> list[tuple[str, tuple]]:
    """The SELECTs on the ledger that `read()` runs, with their parameters."""
    caplog.clear()
    with caplog.at_level(logging.DEBUG, logger="peewee"):
        lines = read()
    assert lines, "the ledger should have lines here"
    found = []
    for record in caplog.records:
        sql, params = record.msg
        if sql.startswith("SELECT") and 'FROM "ledger_entry"' in sql and "ORDER BY" in sql:
            found.append((sql, tuple(params)))
    assert found, "no ledger query seen"
    return found


def plan(sql: str, params: tuple) -> str:
    rows = database.execute_sql("EXPLAIN QUERY PLAN " + sql, params).fetchall()
    return "\n".join(str(row[-1]) for row in rows)


def assert_uses(plan_text: str, index: str) -> None:
    assert f"USING INDEX {index}" in plan_text or f"USING COVERING INDEX {index}" in plan_text, (
        plan_text
    )
    assert "TEMP B-TREE" not in plan_text, plan_text
    scans = [line for line in plan_text.splitlines() if line.startswith("SCAN")]
    assert not scans, plan_text


def test_ledger_lines_follow_their_index_with_and_without_statistics(db, caplog):
    if not is_sqlite():
        pytest.skip("SQLite plans; PostgreSQL has the indexes (next test)")
    sub, post = fill_ledger()
    for statistics in (False, True):
        if statistics:
            database.execute_sql("ANALYZE")
            assert database.execute_sql("SELECT COUNT(*) FROM sqlite_stat1").fetchone()[0]
        for sql, params in statements_of(caplog, lambda: lines_of_sub_budget(sub, ANONYMOUS)):
            assert_uses(plan(sql, params), SUB_INDEX)
        for sql, params in statements_of(caplog, lambda: lines_of_post(post, ANONYMOUS)):
            assert_uses(plan(sql, params), POST_INDEX)


def test_the_ledger_indexes_exist(db):
    names = {index.name for index in database.get_indexes("ledger_entry")}
    assert {SUB_INDEX, POST_INDEX} <= names, names
    columns = {index.name: index.columns for index in database.get_indexes("ledger_entry")}
    assert columns[SUB_INDEX] == ["sub_budget_id", "date", "id"]
    assert columns[POST_INDEX] == ["post_id", "sub_budget_id", "date", "id"]
