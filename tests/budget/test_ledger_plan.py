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

from models import schema
from models.budget import BudgetYear, LedgerEntry, Post, SubBudget, summary
from models.budget.ledger import lines_of_post, lines_of_sub_budget
from models.budget.totals import counted_by_line
from models.db import database, is_sqlite
from webapp.access import ANONYMOUS

SUB_INDEX = "ledger_entry_sub_budget_id_date_id"
POST_INDEX = "ledger_entry_post_id_sub_budget_id_date_id_kind_amount_cents"
SUM_INDEX = POST_INDEX


def fill_ledger(entries: int = 30_000, years: int = 4) -> tuple[SubBudget, Post]:
    """`years` years of 10 posts with 10 sub-budgets each and `entries` entries spread over
    them (one in twenty on a post itself); returns a sub-budget and a post of the first."""
    rng = random.Random(13)
    lines = {}
    for number in range(2031, 2031 + years):
        year = BudgetYear.create(year=number)
        lines[number] = []
        for p in range(10):
            post = Post.create(year=year, name=f"Post {p}", planned_cents=100_000)
            for s in range(10):
                sub = SubBudget.create(post=post, name=f"Deel {s}", planned_cents=10_000)
                lines[number].append((post.id, sub.id))
    rows = []
    for i in range(entries):
        number = 2031 + i % years
        post_id, sub_id = rng.choice(lines[number])
        sub_id = None if rng.random() < 0.05 else sub_id
        day = dt.date(number, rng.randint(1, 12), rng.randint(1, 28))
        rows.append((day, post_id, sub_id, "bench", -rng.randint(100, 9_999), "spending"))
    e = LedgerEntry
    fields = [e.date, e.post, e.sub_budget, e.description, e.amount_cents, e.kind]
    with database.atomic():
        for start in range(0, len(rows), 4_000):
            e.insert_many(rows[start : start + 4_000], fields=fields).execute()
    post_id, sub_id = lines[2031][0]
    return SubBudget.get_by_id(sub_id), Post.get_by_id(post_id)


def statements_of(caplog, read, kind="ORDER BY", expect=True) -> list[tuple[str, tuple]]:
    """The SELECTs on the ledger with `kind` (ORDER BY, GROUP BY) that `read()` runs."""
    caplog.clear()
    with caplog.at_level(logging.DEBUG, logger="peewee"):
        lines = read()
    assert lines, "the ledger should have lines here"
    found = []
    for record in caplog.records:
        sql, params = record.msg
        if sql.startswith("SELECT") and 'FROM "ledger_entry"' in sql and kind in sql:
            found.append((sql, tuple(params)))
    assert found or not expect, "no ledger query seen"
    return found


def plan(sql: str, params: tuple) -> str:
    rows = database.execute_sql("EXPLAIN QUERY PLAN " + sql, params).fetchall()
    return "\n".join(str(row[-1]) for row in rows)


def assert_uses(plan_text: str, index: str) -> None:
    """The lines: a range of `index`, read in its order (no scan, no sorting)."""
    assert f"USING INDEX {index}" in plan_text or f"USING COVERING INDEX {index}" in plan_text, (
        plan_text
    )
    assert "TEMP B-TREE" not in plan_text, plan_text
    scans = [line for line in plan_text.splitlines() if line.startswith("SCAN")]
    assert not scans, plan_text


def assert_index_only(plan_text: str, index: str) -> None:
    """The summary: the ledger is read from `index` alone, never its rows (SQLite may read
    the whole index in order with a Bloom filter on the year's posts, as it did before)."""
    ledger = [line for line in plan_text.splitlines() if line.split()[1] == "t1"]
    assert ledger, plan_text
    assert ledger == [line for line in ledger if f"USING COVERING INDEX {index}" in line], plan_text


def recount_sums():
    """The sums `tafel recount` compares the kept totals with (every line, by the ledger)."""
    return counted_by_line()


STATES = ("no statistics", "statistics", "statistics from before the migration")


@pytest.mark.parametrize("state", STATES)
def test_ledger_lines_follow_their_index_with_and_without_statistics(db, caplog, state):
    if not is_sqlite():
        pytest.skip("SQLite plans; PostgreSQL has the indexes (the last test)")
    sub, post = fill_ledger()
    if state == "statistics":
        database.execute_sql("ANALYZE")
    elif state == "statistics from before the migration":
        # A database analysed before migration 0009, which then adds the indexes.
        for name in (SUB_INDEX, POST_INDEX):
            database.execute_sql(f'DROP INDEX "{name}"')
        database.execute_sql(
            "CREATE INDEX ledger_entry_post_id_sub_budget_id_kind_amount_cents"
            " ON ledger_entry (post_id, sub_budget_id, kind, amount_cents)"
        )
        database.execute_sql("DELETE FROM schema_migration WHERE name = '0009_ledger_indexes'")
        database.execute_sql("ANALYZE")
        assert schema.migrate() == ["0009_ledger_indexes"]
    if state != "no statistics":
        assert database.execute_sql("SELECT COUNT(*) FROM sqlite_stat1").fetchone()[0]
    # The year's summary reads the kept totals (models/budget/totals.py), not the ledger.
    assert not statements_of(caplog, lambda: summary(sub.post.year).posts, "", expect=False)
    # Recounting them (tafel recount, migration 0010) reads the sums from the index alone.
    for sql, params in statements_of(caplog, recount_sums, "GROUP BY"):
        assert_index_only(plan(sql, params), SUM_INDEX)
    for sql, params in statements_of(caplog, lambda: lines_of_sub_budget(sub, ANONYMOUS)):
        assert_uses(plan(sql, params), SUB_INDEX)
    for sql, params in statements_of(caplog, lambda: lines_of_post(post, ANONYMOUS)):
        assert_uses(plan(sql, params), POST_INDEX)


def test_the_ledger_indexes_exist(db):
    names = {index.name for index in database.get_indexes("ledger_entry")}
    assert {SUB_INDEX, POST_INDEX} <= names, names
    columns = {index.name: index.columns for index in database.get_indexes("ledger_entry")}
    assert columns[SUB_INDEX] == ["sub_budget_id", "date", "id"]
    assert columns[POST_INDEX] == ["post_id", "sub_budget_id", "date", "id", "kind", "amount_cents"]


# --- Voor jou's minutes and the claims lists (issue 23.4, migration 0014) -----------------


def _actor(username: str):
    from models.accounts import Account
    from webapp.access import viewer_of

    return viewer_of(Account.get(Account.username == username))


def _selects_on(caplog, read, table: str) -> list[tuple[str, tuple]]:
    caplog.clear()
    with caplog.at_level(logging.DEBUG, logger="peewee"):
        read()
    return [
        (sql, tuple(params))
        for sql, params in (record.msg for record in caplog.records)
        if sql.startswith("SELECT") and f'FROM "{table}" AS "t1"' in sql
    ]


def test_minutes_that_need_you_and_the_claims_lists_follow_their_indexes(db, caplog):
    """Without statistics, as on a database nobody analysed. The demo's own statistics (40
    meetings, 12 claims) make reading everything and sorting the cheaper plan, and SQLite
    takes it; with the bench's (1,290 meetings, 2,006 claims, after ANALYZE) it takes these
    indexes too: bench/README.md has those plans, on SQLite and PostgreSQL."""
    if not is_sqlite():
        pytest.skip("SQLite plans; PostgreSQL has the indexes (the next test)")
    from models.budget import claims
    from models.meetings import minutes

    coordinator, treasurer = _actor("coordinator"), _actor("penningmeester")
    # Before: "SCAN t1 USING INDEX meeting_date", every meeting read and the OR tested.
    (needing,) = _selects_on(caplog, lambda: minutes.needing(coordinator), "meeting")
    text = plan(*needing)
    assert "minutes_state_meeting_id" in text, text
    assert not [line for line in text.splitlines() if line.startswith("SCAN t1")], text
    # Before: "USING INDEX claim_claimant_id" / "claim_status", then a TEMP B-TREE sort.
    lists = {
        "claim_claimant_id_created_at_id": lambda: claims.claims_of(treasurer.person_id),
        "claim_status_created_at_id": lambda: claims.waiting_for(treasurer),
        "claim_status_decided_at_id": lambda: claims.to_pay(),
    }
    for index, read in lists.items():
        (listed,) = _selects_on(caplog, read, "claim")
        text = plan(*listed)
        assert f"USING INDEX {index}" in text and "TEMP B-TREE" not in text, (index, text)


def test_who_is_at_which_step_reads_its_kept_order_from_an_index(db, caplog):
    """/people's first page: before, "SCAN t4 USING INDEX role_step_position" and a TEMP
    B-TREE for the names (every membership of the first steps sorted); now a range of the
    kept sort key's index, in order, with and without statistics."""
    if not is_sqlite():
        pytest.skip("SQLite plans; PostgreSQL has the index (the next test)")
    from models.people.overview import overview_lists

    for _state in ("no statistics", "statistics"):
        (listed,) = _selects_on(caplog, lambda: overview_lists(None), "membership")[:1]
        text = plan(*listed)
        assert "membership_sort_position_sort_name_id" in text, text
        assert "TEMP B-TREE" not in text, text
        database.execute_sql("ANALYZE")


def test_the_list_indexes_exist(db):
    def columns(table):
        return {tuple(index.columns) for index in database.get_indexes(table)}

    assert ("state", "meeting_id") in columns("minutes")
    assert ("sort_position", "sort_name", "id") in columns("membership")
    assert {
        ("claimant_id", "created_at", "id"),
        ("status", "created_at", "id"),
        ("status", "decided_at", "id"),
    } <= columns("claim")
