"""The slowest statement of a page and its plan (issue 23.4): the statements a page runs are
captured in process (bench/pages.py `query_counts`, logged in as the demo's coordinator),
each is timed on the raw driver (median of 15, every row fetched), and the slowest ones are
printed with their plan: SQLite's EXPLAIN QUERY PLAN, PostgreSQL's EXPLAIN (ANALYZE).

    .venv/bin/python bench/plans.py --url sqlite:////tmp/fed-0.1.db
    .venv/bin/python bench/plans.py --url postgresql://…/built --pages "/people,start page"
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import pages as page_bench  # noqa: E402
from pages import query_counts, targets  # noqa: E402

PAGES = "/people,start page,claims page"


def connect(url: str):
    if url.startswith("sqlite:///"):
        import sqlite3

        from models.db import SQLITE_PRAGMAS, _lower, sqlite_path

        conn = sqlite3.connect(sqlite_path(url))
        for key, value in SQLITE_PRAGMAS.items():
            conn.execute(f"PRAGMA {key} = {value}")
        conn.create_function("tafel_lower", 1, _lower, deterministic=True)
        return conn
    import psycopg2

    conn = psycopg2.connect(url)
    conn.autocommit = True
    return conn


def timed(cur, sql: str, params, runs: int = 15) -> float:
    times = []
    for _ in range(runs + 1):
        begin = time.perf_counter()
        cur.execute(sql, params or ())
        cur.fetchall()
        times.append((time.perf_counter() - begin) * 1000)
    return statistics.median(times[1:])


def plan(cur, url: str, sql: str, params) -> list[str]:
    if url.startswith("sqlite:///"):
        cur.execute("EXPLAIN QUERY PLAN " + sql, params or ())
        return [f"{'  ' * 0}{row[3]}" for row in cur.fetchall()]
    cur.execute("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) " + sql, params or ())
    return [row[0] for row in cur.fetchall()]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--pages", default=PAGES)
    parser.add_argument("--top", type=int, default=1, help="how many statements per page")
    parser.add_argument("--match", default="", help="only statements whose SQL holds this")
    parser.add_argument("--user", default="", help="username:password (the coordinator)")
    args = parser.parse_args(argv)
    if args.user:
        page_bench.USER, page_bench.PASSWORD = args.user.split(":", 1)
    pages, _year = targets(args.url)
    chosen = {name: pages[name] for name in args.pages.split(",")}
    counts, statements = query_counts(args.url, chosen)
    conn = connect(args.url)
    cur = conn.cursor()
    for name, path in chosen.items():
        reads = [(sql, params) for sql, params in statements[name]
                 if sql.lstrip().upper().startswith(("SELECT", "WITH"))
                 and args.match in sql]  # fmt: skip
        ranked = sorted(((timed(cur, sql, p), sql, p) for sql, p in reads), reverse=True)
        total = sum(ms for ms, _sql, _p in ranked)
        print(f"## {name} ({path}): {counts[name]} queries, reads {total:.2f} ms on the driver")
        for ms, sql, params in ranked[: args.top]:
            print(f"\n{ms:.2f} ms: {sql[:300]}{' …' if len(sql) > 300 else ''}")
            for line in plan(cur, args.url, sql, params):
                print("    " + line)
        print()
    conn.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
