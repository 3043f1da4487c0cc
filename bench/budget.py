"""Benchmark: a ledger of 1,000,000 entries over 10 years and 2,000 sub-budgets.

Measures a year's summary (the numbers of the budget page) and the number of queries it runs.
Run: `.venv/bin/python bench/budget.py [--entries N] [--url sqlite:////tmp/tafel-bench.db]`
(default: a fresh SQLite file in /tmp; a postgresql:// URL works too, on an empty database).
"""

import argparse
import datetime as dt
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from models import schema  # noqa: E402
from models.budget import BudgetYear, LedgerEntry, Post, SubBudget, summary  # noqa: E402
from models.budget.totals import add_entries  # noqa: E402
from models.db import database, open_database, queries  # noqa: E402

YEARS = 10
POSTS_PER_YEAR = 20
SUBS_PER_POST = 10  # 10 years × 20 posts × 10 = 2,000 sub-budgets


def build(entries: int, seed: int = 6) -> None:
    rng = random.Random(seed)
    first_year = 2017
    subs_by_year = {}
    with database.atomic():
        for y in range(first_year, first_year + YEARS):
            year = BudgetYear.create(year=y)
            subs_by_year[y] = []
            for p in range(POSTS_PER_YEAR):
                post = Post.create(year=year, name=f"Post {p}", planned_cents=5_000_000)
                for s in range(SUBS_PER_POST):
                    sub = SubBudget.create(post=post, name=f"Deel {s}", planned_cents=400_000)
                    subs_by_year[y].append((post.id, sub.id))
    per_year = entries // YEARS
    batch = []
    next_id = 1
    for y in range(first_year, first_year + YEARS):
        lines = subs_by_year[y]
        for _ in range(per_year):
            post_id, sub_id = rng.choice(lines)
            if rng.random() < 0.05:
                sub_id = None  # booked on the post itself
            kind = rng.choices(["spending", "income", "reimbursement"], [80, 10, 10])[0]
            cents = rng.randint(100, 500_000)
            batch.append(
                (next_id, dt.date(y, rng.randint(1, 12), rng.randint(1, 28)), post_id, sub_id,
                 "bench", cents if kind == "income" else -cents, kind)
            )  # fmt: skip
            next_id += 1
            if len(batch) == 20_000:
                _flush(batch)
        _flush(batch)


def _flush(batch):
    """Book a batch through the kept totals (models/budget/totals.py), as every entry is."""
    if not batch:
        return
    names = ("id", "date", "post", "sub_budget", "description", "amount_cents", "kind")
    add_entries([dict(zip(names, row, strict=True)) for row in batch])
    batch.clear()


def measure_cpu(year_number: int, rounds: int = 50) -> float:
    """The process's CPU time per summary, ms (steadier than the wall clock on a busy
    machine)."""
    year = BudgetYear.get(BudgetYear.year == year_number)
    start = time.process_time()
    for _ in range(rounds):
        summary(year)
    return (time.process_time() - start) * 1000 / rounds


def measure(year_number: int, rounds: int = 7) -> tuple[float, int]:
    year = BudgetYear.get(BudgetYear.year == year_number)
    summary(year)  # warm the cache
    times = []
    for _ in range(rounds):
        queries.count = 0
        start = time.perf_counter()
        data = summary(year)
        times.append((time.perf_counter() - start) * 1000)
        count = queries.count
    assert data.posts
    return statistics.median(times), count


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--url", default="sqlite:////tmp/tafel-bench-budget.db")
    parser.add_argument(
        "--existing", action="store_true",
        help="measure the latest year of the database at --url as it is (a bench/build.py "
        "database), without building one",
    )  # fmt: skip
    args = parser.parse_args()
    if args.existing:
        open_database(args.url)
        with database.connection_context():
            year = BudgetYear.latest()
            ms, count = measure(year.year)
            cpu = measure_cpu(year.year)
            print(f"summary of {year.year}: median {ms:.1f} ms, CPU {cpu:.1f} ms, {count} queries")
        return 0
    if args.url.startswith("sqlite:///"):
        Path(args.url[len("sqlite:///") :]).unlink(missing_ok=True)
    open_database(args.url)
    with database.connection_context():
        schema.migrate()
        start = time.perf_counter()
        build(args.entries)
        built = time.perf_counter() - start
        if args.url.startswith("sqlite"):
            database.execute_sql("ANALYZE")
        else:
            # Index-only scans need the visibility map: what autovacuum does in a live system.
            database.execute_sql("VACUUM ANALYZE ledger_entry")
        total = LedgerEntry.select().count()
        subs = SubBudget.select().count()
        print(f"built {total} entries, {subs} sub-budgets in {built:.1f} s")
        for year in (2017, 2026):
            ms, count = measure(year)
            print(f"summary of {year}: median {ms:.1f} ms, {count} queries")
    return 0


if __name__ == "__main__":
    sys.exit(main())
