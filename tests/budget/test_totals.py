"""Kept ledger totals (issue 13 point 3): after any sequence of bookings, corrections, imported
ledger files and paid claims, the kept total of every line equals the ledger summed by hand;
every entry is written by the one function that keeps them; parallel bookings lose nothing;
the migration and `tafel recount` fill them from the ledger."""

import datetime as dt
import re
import threading
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models import schema
from models.actor import Actor
from models.budget import (
    BudgetYear,
    LedgerEntry,
    Post,
    SubBudget,
    claims,
    ledger_file,
)
from models.budget.ledger import book_entry
from models.budget.tables import LedgerTotal
from models.budget.totals import counted_by_line, kept_by_line, rebuild_totals
from models.db import database
from models.person import Person
from tests.budget.test_ledger import book_or_reverse, brute_force

ROOT = Path(__file__).resolve().parents[2]
TREASURER = Actor(rights=frozenset({"treasurer"}))

OPERATIONS = st.lists(
    st.one_of(
        st.tuples(
            st.just("book"),
            st.integers(0, 2),  # post
            st.integers(-1, 1),  # sub-budget of that post (-1: the post itself)
            st.sampled_from(["income", "spending", "reimbursement"]),
            st.integers(1, 10_000_000),
        ),
        st.tuples(st.just("reverse"), st.integers(0, 200)),
        # A ledger file of up to three lines, the last one possibly correcting the first.
        st.tuples(
            st.just("import"),
            st.lists(
                st.tuples(st.integers(0, 2), st.integers(-1, 1), st.integers(-50_000, 50_000)),
                min_size=1,
                max_size=3,
            ),
            st.booleans(),
        ),
        st.tuples(st.just("claim"), st.integers(0, 2), st.integers(0, 1), st.integers(1, 99_999)),
    ),
    max_size=30,
)


def _euros(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    return f"{sign}{abs(cents) // 100}.{abs(cents) % 100:02d}"


def _ledger_file(lines, correct_first, posts, subs, number) -> bytes:
    rows = ["id,date,post,sub_budget,description,amount,kind,reverses"]
    for i, (p, s, cents) in enumerate(lines):
        cents = cents or 1
        kind = "income" if cents > 0 else "spending"
        sub = subs[p][s].name if s >= 0 else ""
        rows.append(
            f"f{i},2099-04-0{i + 1},{posts[p].name},{sub},file {number},{_euros(cents)},{kind},"
        )
    if correct_first:
        p, s, cents = lines[0]
        sub = subs[p][s].name if s >= 0 else ""
        rows.append(
            f"fc,2099-04-09,{posts[p].name},{sub},undo {number},{_euros(-(cents or 1))},reversal,f0"
        )
    return ("\n".join(rows) + "\n").encode()


def _sum_by_line_and_up(truth: dict, year: BudgetYear):
    """The brute-force sums per line, per post and for the year."""
    per_post: dict[int, list[int]] = {}
    for (post_id, _sub), (spent, received) in truth.items():
        money = per_post.setdefault(post_id, [0, 0])
        money[0] += spent
        money[1] += received
    whole = [sum(m[0] for m in per_post.values()), sum(m[1] for m in per_post.values())]
    return per_post, whole


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(operations=OPERATIONS)
def test_kept_totals_equal_the_ledger_after_bookings_corrections_imports_and_payments(
    db, operations
):
    from models.budget.summary import summary

    claimant = Person.select().where(Person.display_name.is_null(False)).first()
    with database.atomic() as transaction:
        year = BudgetYear.create(year=2099)
        posts = [Post.create(year=year, name=f"P{i}", planned_cents=1000) for i in range(3)]
        subs = [[SubBudget.create(post=p, name=f"S{j}") for j in range(2)] for p in posts]
        made = []
        for number, op in enumerate(operations):
            if op[0] in ("book", "reverse"):
                book_or_reverse(op, posts, subs, made)
            elif op[0] == "import":
                raw = _ledger_file(op[1], op[2], posts, subs, number)
                assert ledger_file.import_ledger(raw, None, None).booked == len(op[1]) + op[2]
            elif op[0] == "claim":
                _, p, s, cents = op
                claim = claims.submit(
                    claimant_id=claimant.id, sub_budget_id=subs[p][s].id, kind="other", km=None,
                    amount_cents=cents, spent_on=dt.date(2099, 5, 1), description="claim",
                    receipt=None, account_id=None,
                )  # fmt: skip
                assert claims.approve(claim.id, TREASURER)
                assert claims.pay(claim.id, TREASURER)
        entries = list(LedgerEntry.select().join(Post).where(Post.year == year))
        truth = brute_force(entries)
        kept = kept_by_line(year.id)
        # Per line: the kept totals are the ledger summed by hand, and so is the count.
        assert {line: money[:2] for line, money in kept.items()} == truth
        assert sum(money[2] for money in kept.values()) == len(entries)
        assert kept == counted_by_line(year.id)
        # Per post and for the year, as the summary adds them up.
        per_post, whole = _sum_by_line_and_up(truth, year)
        data = summary(year)
        for line in data.posts:
            assert [line.totals.spent, line.totals.received] == per_post.get(line.post.id, [0, 0])
        assert [data.total.spent, data.total.received] == whole
        transaction.rollback()


def test_the_demo_keeps_the_totals_of_its_ledger(db):
    assert kept_by_line() == counted_by_line()
    assert LedgerTotal.select().count() > 5


def test_only_the_kept_totals_module_writes_ledger_entries():
    """Every entry goes through models/budget/totals.py: nothing else creates, inserts,
    updates or deletes a LedgerEntry (the tests of the database's own refusals aside)."""
    writes = re.compile(
        r"LedgerEntry\.(create|insert|insert_many|insert_from|bulk_create|update|delete"
        r"|replace|save)\b|ledger_entry\b.*\b(INSERT|UPDATE|DELETE)"
    )
    found = []
    for folder in ("models", "webapp", "seeds", "bench", "migrations"):
        for path in (ROOT / folder).rglob("*.py"):
            if path.name == "totals.py" and path.parent.name == "budget":
                continue
            for number, line in enumerate(path.read_text().splitlines(), 1):
                if writes.search(line):
                    found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert found == []


def test_recount_repairs_wrong_totals_and_says_how_many_were_wrong(db):
    assert rebuild_totals() == 0
    line = LedgerTotal.select().first()
    LedgerTotal.update(spent_cents=LedgerTotal.spent_cents + 1).where(
        LedgerTotal.id == line.id
    ).execute()
    assert kept_by_line() != counted_by_line()
    assert rebuild_totals() == 1
    assert kept_by_line() == counted_by_line()


def test_the_recount_command(app, db_url, monkeypatch, capsys):
    from webapp.cli import main

    monkeypatch.setenv("DATABASE_URL", db_url)
    with database.connection_context():
        LedgerTotal.delete().execute()
    assert main(["recount"]) == 0
    assert "ledger totals" in capsys.readouterr().out
    with database.connection_context():
        assert kept_by_line() == counted_by_line()


def test_the_migration_fills_the_totals_of_an_existing_ledger(db_url):
    """A database from before the kept totals (its ledger booked without them) gets them
    from its entries when it is migrated (as the owner: on PostgreSQL the app's role may
    not drop tables)."""
    from models.db import open_database
    from models.meetings.stored_rota import computed_rota
    from models.organisation import Project
    from tests.conftest import owner_url
    from tests.database import schema_differences
    from tests.meetings.stored_rota_rows import stored_turns

    open_database(owner_url(db_url))
    with database.connection_context():
        expected = counted_by_line()
        undo_kept_numbers_migration()
        schema.migrate()
        assert kept_by_line() == expected
        for project in Project.select():
            assert stored_turns(project.id) == computed_rota(project.id)
        assert not schema_differences()


def undo_kept_numbers_migration():
    """Take migration 0010 back out of a database, as if it was made before it."""
    from models.db import is_sqlite

    database.execute_sql("DROP TABLE ledger_total")
    database.execute_sql("DROP TABLE report_version")
    database.execute_sql("DROP TABLE rota_turn")
    if is_sqlite():
        triggers = database.execute_sql(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%_counted_%'"
        ).fetchall()
        for (name,) in triggers:
            database.execute_sql(f"DROP TRIGGER {name}")
    else:
        database.execute_sql("DROP FUNCTION report_changed CASCADE")
    database.execute_sql("DELETE FROM schema_migration WHERE name = '0010_kept_totals'")


def test_parallel_bookings_on_one_line_lose_no_update(db):
    """Bookings at the same moment on one line, each in its own connection and transaction,
    all end up in its kept total (the first ones race to make its row)."""
    post = Post.select().first()
    sub = SubBudget.create(post=post, name="Parallel")
    threads, per_thread, cents = 6, 8, 1234
    start = threading.Barrier(threads)
    errors = []

    def run():
        try:
            with database.connection_context():
                start.wait()
                for _ in range(per_thread):
                    book_entry(
                        post=post, sub=sub, date=dt.date(2026, 6, 1), description="p",
                        amount_cents=-cents, kind="spending", receipt=None, account_id=None,
                        person_id=None,
                    )  # fmt: skip
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    workers = [threading.Thread(target=run) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert errors == []
    kept = kept_by_line()[(post.id, sub.id)]
    assert kept == (threads * per_thread * cents, 0, threads * per_thread)
    assert kept == counted_by_line()[(post.id, sub.id)]


def test_two_corrections_of_one_entry_at_once_book_one_and_tell_the_other(db):
    """Two people correct the same entry at the same moment, each in their own connection:
    one reversal is booked, the other is told in a sentence (BudgetError), never a database
    error; the kept total counts the one."""
    from models.budget.ledger import BudgetError, correct_entry

    post = Post.select().first()
    sub = SubBudget.create(post=post, name="Twee correcties")
    entry = book_entry(
        post=post, sub=sub, date=dt.date(2026, 6, 1), description="x", amount_cents=-500,
        kind="spending", receipt=None, account_id=None, person_id=None,
    )  # fmt: skip
    for _round in range(3):
        start = threading.Barrier(2)
        outcomes = []

        def run(start=start, outcomes=outcomes):
            try:
                with database.connection_context():
                    start.wait()
                    correct_entry(entry, 2026, "correctie", None, None)
                    outcomes.append("booked")
            except BudgetError:
                outcomes.append("told")
            except Exception as error:  # noqa: BLE001 - reported below
                outcomes.append(repr(error))

        workers = [threading.Thread(target=run) for _ in range(2)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        assert sorted(outcomes) in (["booked", "told"], ["told", "told"]), outcomes
    assert LedgerEntry.select().where(LedgerEntry.reverses == entry.id).count() == 1
    assert kept_by_line()[(post.id, sub.id)] == counted_by_line()[(post.id, sub.id)]
