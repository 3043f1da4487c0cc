"""A 10,000-line ledger import on a built database (issue 23.5): its CPU time and wall time,
and how long a small booking in another process waits while it runs.

    .venv/bin/python bench/ledger_import.py --url sqlite:////tmp/copy-of-built.db
    .venv/bin/python bench/ledger_import.py --url postgresql://…/built --lines 10000

The file books on the latest year's posts and sub-budgets (random lines, dates, amounts and
descriptions; a new seed each run, so it is never "imported before"). Another process books
one entry at a time on one of the file's lines (`models.budget.totals.add_entry`, its own
transaction) every 20 ms while the import runs and reports the longest and the median time
a booking took: on SQLite every write waits for the import's write lock, on PostgreSQL a
booking on a line the file touches waits for that line's kept total. The import writes into
the database: run it on a copy. On PostgreSQL (on this machine) the CPU of the import's
server process is reported beside the client's.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import multiprocessing
import os
import random
import statistics
import sys
import time
from pathlib import Path

from peewee import OperationalError

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from models.budget import ledger_file as ledger_file_module  # noqa: E402
from models.budget.ledger_file import import_ledger  # noqa: E402
from models.budget.tables import BudgetYear, Post, SubBudget  # noqa: E402
from models.budget.totals import add_entry  # noqa: E402
from models.db import database, open_database  # noqa: E402


def ledger_file(lines: int, seed: int) -> tuple[bytes, tuple[int, int | None]]:
    """A ledger.csv of `lines` new rows on the latest year, and one line it books on."""
    year = BudgetYear.select().order_by(BudgetYear.year.desc()).get()
    posts = list(Post.select().where(Post.year == year))
    subs = {}
    for sub in SubBudget.select().where(SubBudget.post.in_(posts)):
        subs.setdefault(sub.post_id, []).append(sub)
    rng = random.Random(seed)
    out = ["date,post,sub_budget,description,amount,kind"]
    for n in range(lines):
        post = rng.choice(posts)
        sub = rng.choice(subs.get(post.id, [None]) + [None])
        cents = rng.randint(100, 90_000)
        kind = "income" if n % 10 == 0 else "spending"
        amount = cents if kind == "income" else -cents
        date = f"{year.year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        text = f"bench {seed} row {n}"
        out.append(f"{date},{post.name},{sub.name if sub else ''},{text},{amount / 100:.2f},{kind}")
    first_post = posts[0]
    return ("\n".join(out) + "\n").encode(), (first_post.id, None)


def prober(url: str, line: tuple[int, int | None], stop, results) -> None:
    """Book one entry every 20 ms until told to stop; the seconds each booking took."""
    open_database(url)
    taken, failed = [], 0
    post_id, sub_id = line
    with database.connection_context():
        year = Post.get_by_id(post_id).year.year
        while not stop.is_set():
            start = time.perf_counter()
            try:
                add_entry(
                    date=f"{year}-06-01", post=post_id, sub_budget=sub_id,
                    description="probe", amount_cents=-1, kind="spending",
                )  # fmt: skip
            except OperationalError:  # SQLite's busy timeout ran out: "database is locked"
                failed += 1
            taken.append(time.perf_counter() - start)
            time.sleep(0.02)
    results.put((taken, failed))


def _server_pid() -> int | None:
    """PostgreSQL's backend process of this connection (its CPU is not ours), or None."""
    from models.db import is_sqlite

    if is_sqlite():
        return None
    return database.execute_sql("SELECT pg_backend_pid()").fetchone()[0]


def _cpu_of(pid: int | None) -> float:
    """User + system CPU seconds of a process on this machine (0 without one)."""
    if pid is None:
        return 0.0
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class TransactionClock:
    """How long the import's write transaction lasted (wall, and this process's CPU): what a
    write beside it can wait for. Stands in for `database` in models/budget/ledger_file.py
    (which opens that transaction) and times its `atomic`; everything else is the database."""

    def __init__(self):
        self.wall = self.cpu = 0.0
        ledger_file_module.database = self

    def __getattr__(self, name):
        return getattr(database, name)

    @contextlib.contextmanager
    def atomic(self, *args, **kwargs):
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            with database.atomic(*args, **kwargs) as transaction:
                yield transaction
        finally:
            self.wall += time.perf_counter() - wall
            self.cpu += time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--lines", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=int(time.time()))
    parser.add_argument("--no-probe", action="store_true")
    args = parser.parse_args()
    open_database(args.url)
    with database.connection_context():
        raw, line = ledger_file(args.lines, args.seed)
    stop, results = multiprocessing.Event(), multiprocessing.Queue()
    probe = None
    if not args.no_probe:
        probe = multiprocessing.Process(target=prober, args=(args.url, line, stop, results))
        probe.start()
        time.sleep(1.0)  # the prober is booking before the import begins
    clock = TransactionClock()
    with database.connection_context():
        server = _server_pid()
        server_cpu = _cpu_of(server)
        cpu, wall = time.process_time(), time.perf_counter()
        done = import_ledger(raw, None, None, "bench.csv", language="en")
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        server_cpu = _cpu_of(server) - server_cpu
    report = {"lines": args.lines, "booked": done.booked, "cpu_s": round(cpu, 2),
              "wall_s": round(wall, 2)}  # fmt: skip
    report["write_transaction_wall_s"] = round(clock.wall, 2)
    report["write_transaction_cpu_s"] = round(clock.cpu, 2)
    if server is not None:
        report["postgresql_backend_cpu_s"] = round(server_cpu, 2)
    if probe is not None:
        time.sleep(0.5)
        stop.set()
        taken, failed = results.get(timeout=120)
        probe.join()
        report["probe_bookings"] = len(taken)
        report["probe_median_ms"] = round(statistics.median(taken) * 1000, 1)
        report["probe_max_ms"] = round(max(taken) * 1000, 1)
        report["probe_failed"] = failed
    print(json.dumps(report))


if __name__ == "__main__":
    main()
