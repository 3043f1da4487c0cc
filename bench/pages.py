"""Benchmark: Tafel's main pages at federation scale, served by one real `tafel serve` worker.

Per page: queries (counted in process through the app, as the query-count tests do), bytes
(uncompressed HTML), the page's own SQL replayed on the raw driver (the physical limit of its
data), p50/p95 at one keep-alive connection, the worker's CPU time per request, req/s and
p95 with eight connections from wrk (Debian's `wrk`, which saturates the one worker; without
it Python threads, which on two cores do not), and the worker's memory (RSS) after the page.

Beside it, in the same run, the baselines of bench/baselines.py, each named for what it is:
the physical limit (the project page's bytes from bare Starlette), a real bare Starlette +
Jinja app (the project page's template and data through the same thread pool), and Datasette
on the same SQLite file doing /budget's work (its SQL over the kept totals) and summing the
ledger (when --datasette names the command).

Build the data first (bench/build.py, which checks it with bench/check.py), then:
    .venv/bin/python bench/pages.py --url sqlite:////tmp/tafel-federation.db \
        --datasette /tmp/venv-datasette/bin/datasette
Options: --rounds (requests per page at one connection), --seconds (time per page under
load), --wrk PATH ("" for Python threads), --only "name,name" (some pages).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import load as bench_load  # noqa: E402
from load import Client, free_port, one_connection, rss_mb, saturate, start, stop  # noqa: E402

USER, PASSWORD = "coordinator", "coordinator-tafel-2026"


def login(port: int) -> str:
    """Log in as the demo's coordinator through the login form; the session cookie."""
    from urllib.parse import urlencode

    client = Client(port)
    page = client.get("/login").decode()
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    form = urlencode({"username": USER, "password": PASSWORD, "csrf_token": token})
    status, _ = client.request("POST", "/login", form)
    if status != 303:
        raise SystemExit(f"logging in as {USER} answered {status}")
    return client.cookie


def _organisation():
    """The context of the organisation measured: the one on --host (or the only one)."""
    from models import tenancy

    entry = tenancy.directory.for_host(bench_load.HOST or "testserver")
    return tenancy.working_for(entry.id if entry else None)


def targets(url: str) -> tuple[dict[str, str], int]:
    """The pages to measure (the busiest project, sub-budget and post of the latest year)
    and that year's id, read from the database."""
    from peewee import fn

    from models.budget import BudgetYear, LedgerEntry, SubBudget
    from models.db import database, open_database
    from models.people import Membership

    open_database(url)
    with database.connection_context(), _organisation():
        project = (
            Membership.select(Membership.project)
            .group_by(Membership.project)
            .order_by(fn.COUNT(Membership.id).desc(), Membership.project)
            .scalar()
        )
        year = BudgetYear.latest()
        e = LedgerEntry
        sub = (
            e.select(e.sub_budget)
            .join(SubBudget)
            .where(e.sub_budget.is_null(False) & (e.date.year == year.year))
            .group_by(e.sub_budget)
            .order_by(fn.COUNT(e.id).desc())
            .scalar()
        )
        post = (
            e.select(e.post)
            .where(e.sub_budget.is_null() & (e.date.year == year.year))
            .group_by(e.post)
            .order_by(fn.COUNT(e.id).desc())
            .scalar()
        )
        from models.meetings.tables import Meeting

        # The project's latest meeting that took place (at the tiniest scales: any meeting).
        meeting = (
            Meeting.select(Meeting.id)
            .order_by(
                (Meeting.project != project), (Meeting.state == "planned"),
                Meeting.date.desc(), Meeting.id.desc(),
            )
            .scalar()
        )  # fmt: skip
        person = (
            Membership.select(Membership.person)
            .where((Membership.project == project) & (Membership.status == "active"))
            .order_by(Membership.id)
            .scalar()
        )
    database.close()
    pages = {
        "project page": f"/projects/{project}",
        "/projects": "/projects",
        "project people": f"/projects/{project}/people",
        "decision register": f"/projects/{project}/decisions",
        "a meeting": f"/meetings/{meeting}",
        "a person": f"/people/{person}",
        "/my-path": "/my-path",
        "/people": "/people",
        "/representation": "/representation",
        "/budget": "/budget",
        "sub-budget ledger": f"/budget/sub-budgets/{sub}",
        "post ledger": f"/budget/posts/{post}",
        "/audit": "/audit",
        "vacancies": f"/projects/{project}/vacancies",
        "meetings page": f"/projects/{project}/meetings",
        "start page": "/",
        "claims page": "/budget/claims",
    }
    return pages, year.id


def query_counts(url: str, pages: dict[str, str]) -> tuple[dict[str, int], dict[str, list]]:
    """Queries per page, counted in process by the same app (tests/conftest.py's way), and
    the statements themselves (SQL text and parameters, as peewee sent them)."""
    from starlette.testclient import TestClient

    from models.db import database, queries
    from webapp.app import create_app

    # No background jobs while counting (nor in the server started after: it inherits the
    # environment): their queries at the start would be counted with the first pages'.
    os.environ["TAFEL_JOBS"] = "0"
    app = create_app(url)
    result, statements = {}, {}
    db = database.obj
    seen: list = []
    send = db.execute_sql

    def capture(sql, params=None, *args, **kwargs):
        seen.append((sql, tuple(params or ())))
        return send(sql, params, *args, **kwargs)

    db.execute_sql = capture
    base = f"http://{bench_load.HOST}" if bench_load.HOST else "http://testserver"
    with TestClient(app, base_url=base) as client:
        page = client.get("/login").text
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        client.post(
            "/login", data={"username": USER, "password": PASSWORD, "csrf_token": token},
            follow_redirects=False,
        )  # fmt: skip
        for name, path in pages.items():
            client.get(path)
            queries.count = 0
            seen.clear()
            client.get(path)
            result[name] = queries.count
            statements[name] = list(seen)
    del db.execute_sql
    database.close()
    return result, statements


def main(argv=None) -> int:
    from baselines import replay

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="sqlite:////tmp/tafel-federation.db")
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--datasette", default=shutil.which("datasette") or "")
    parser.add_argument("--wrk", default=shutil.which("wrk") or "")
    parser.add_argument("--only", default="", help="comma-separated page names")
    parser.add_argument(
        "--host", default="", help="the organisation's host, in a federation (issue 24)"
    )
    args = parser.parse_args(argv)
    if args.host:
        bench_load.HOST = os.environ["TAFEL_BENCH_HOST"] = args.host

    pages, year_id = targets(args.url)
    if args.only:
        pages = {k: v for k, v in pages.items() if k in args.only.split(",")}
    counted, statements = query_counts(args.url, pages)
    from models import tenancy

    with _organisation():
        organisation = tenancy.current_id()
    raw = {name: replay(args.url, statements[name], organisation=organisation) for name in pages}
    port = free_port()
    env = {**os.environ, "DATABASE_URL": args.url}
    tafel = str(Path(sys.executable).parent / "tafel")
    server = start([tafel, "serve", "--port", str(port)], port, env=env, cwd=ROOT)
    rows, html = [], {}
    try:
        cookie = login(port)
        print(f"worker pid {server.pid}, RSS at start {rss_mb(server.pid):.0f} MB", flush=True)
        for name, path in pages.items():
            lat = one_connection(port, cookie, path, args.rounds, server.pid)
            load = saturate(port, cookie, path, args.seconds, server.pid, args.wrk)
            html[name] = Client(port, cookie).get(path)
            rows.append((name, counted[name], lat, raw[name], load, rss_mb(server.pid)))
            print(f"  {name}: {lat.p50:.1f} ms, {lat.cpu:.1f} ms CPU", flush=True)
    finally:
        stop(server)

    client = "wrk, 8 connections" if args.wrk else "Python threads, 8 connections"
    print(f"\nload average at the end: {os.getloadavg()[0]:.1f}; under load: {client}")
    print(
        "| page | queries | KB | raw SQL ms | p50 ms | p95 ms | CPU ms | req/s | p95 ms loaded "
        "| CPU ms loaded | RSS after, MB |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for name, count, lat, sql_ms, load, rss in rows:
        print(f"| {name} | {count} | {lat.size / 1024:,.0f} | {sql_ms:.2f} | {lat.p50:.1f} "
              f"| {lat.p95:.1f} | {lat.cpu:.1f} | {load.rps:,.1f} | {load.p95:.1f} "
              f"| {load.cpu:.1f} | {rss:.0f} |")  # fmt: skip
    by_name = {r[0]: r for r in rows}
    if "project page" in html:
        _project_baselines(args, pages["project page"], html["project page"],
                           by_name["project page"])  # fmt: skip
    if "/budget" in by_name and args.datasette and args.url.startswith("sqlite:///"):
        _datasette(args, year_id, by_name["/budget"])
    elif "/budget" in by_name:
        print("Datasette: not run (no --datasette command, or not a SQLite file)")
    return 0


def _times(a: float, b: float, unit: str = "×") -> str:
    """a / b as a ratio ("–" when b is 0: a run too short for the CPU clock's 10 ms ticks)."""
    if not b:
        return "–"
    return f"{a / b:.1f}%" if unit == "%" else f"{a / b:.2f}×"


def _project_baselines(args, path, tafel_html, row) -> None:
    from baselines import bare_jinja, bare_jinja_same_page, physical_bytes

    _, _, lat, sql_ms, load, _ = row
    folder = Path(tempfile.mkdtemp(prefix="tafel-bench-"))
    try:
        limit = physical_bytes(tafel_html, folder, args.rounds, args.seconds, args.wrk)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    same, ran = bare_jinja_same_page(args.url, path, tafel_html)
    bare = bare_jinja(args.url, path, args.rounds, args.seconds, args.wrk)
    print("\nThe project page against its baselines (CPU ms per request of the server process):")
    print("| server | p50 ms | CPU ms | req/s | CPU ms loaded | Tafel as %, by req/s "
          "| Tafel as %, by CPU |")  # fmt: skip
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for label, b in (
        ("physical limit: the same bytes from bare Starlette", limit),
        ("bare Starlette + Jinja: same template and data, thread pool", bare),
    ):
        print(f"| {label} | {b['p50']:.2f} | {b['cpu']:.2f} | {b['rps']:,.0f} "
              f"| {b['load_cpu']:.2f} | {_times(100 * load.rps, b['rps'], '%')} "
              f"| {_times(100 * b['load_cpu'], load.cpu, '%')} |")  # fmt: skip
    print(f"| Tafel's project page | {lat.p50:.2f} | {lat.cpu:.2f} | {load.rps:,.1f} "
          f"| {load.cpu:.2f} | 100% | 100% |")  # fmt: skip
    print(
        f"physical limit of its data: its {row[1]} queries replayed on the raw driver, "
        f"{sql_ms:.2f} ms"
    )
    print(
        f"bare app's HTML is Tafel's (CSRF tokens aside): {'yes' if same else 'NO'}; "
        f"queries while the bare app renders: {ran}"
    )


def _datasette(args, year_id, row) -> None:
    from baselines import datasette

    _, _, lat, _, load, _ = row
    ds = datasette(args.datasette, args.url, year_id, args.rounds, args.seconds, args.wrk)
    print("\n/budget against Datasette on the same file (CPU ms per request under load):")
    print("| server | work | p50 ms | req/s | CPU ms loaded | KB | /budget ×, by req/s "
          "| /budget ×, by CPU |")  # fmt: skip
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for name, d in ds.items():
        work, shape = name.split(", ")
        what = ("the same work: SQL over the kept totals" if work == "kept totals"
                else "summing the ledger (not what /budget does)")  # fmt: skip
        print(f"| Datasette, {shape} | {what} | {d['p50']:.1f} | {d['rps']:,.1f} "
              f"| {d['cpu']:.2f} | {d['size'] / 1024:,.0f} | {_times(load.rps, d['rps'])} "
              f"| {_times(d['cpu'], load.cpu)} |")  # fmt: skip
    print(f"| Tafel /budget | the page, from the kept totals | {lat.p50:.1f} | {load.rps:,.1f} "
          f"| {load.cpu:.2f} | {lat.size / 1024:,.0f} | 1× | 1× |")  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
