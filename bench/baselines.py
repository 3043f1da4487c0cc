"""What bench/pages.py holds Tafel's pages against, each named for what it is (issue 23).

- The physical limit, twice: the page's exact bytes from bare Starlette (an async endpoint
  returning a constant: no template, no thread pool, no SQL), and the page's own SQL (the
  statements Tafel ran for it, captured in process) replayed on the raw driver (sqlite3 or
  psycopg2), with no peewee, no Python objects, no HTTP.
- A real bare Starlette + Jinja app (bench/bare_jinja.py): the same template, the same data,
  Tafel's Jinja environment, the same thread pool; no middleware, no session, no SQL.
- Datasette on the same SQLite file, twice: doing the same work as /budget (its SQL over the
  kept totals: every post and sub-budget of the year with its kept money, the rows /budget
  shows), and summing the ledger (the grouped SUM over every entry of the year, which /budget
  no longer does: a comparison of designs, not of the same work).
"""

from __future__ import annotations

import statistics
import sys
import textwrap
import time
from pathlib import Path
from urllib.parse import quote

from load import free_port, one_connection, saturate, start, stop

ROOT = Path(__file__).resolve().parent.parent

# Datasette doing /budget's work: the year's posts and sub-budgets with their kept totals.
BUDGET_KEPT_SQL = (
    "SELECT p.id AS post_id, p.name AS post, p.planned_cents AS post_planned,"
    " s.id AS sub_id, s.name AS sub, s.planned_cents AS sub_planned,"
    " COALESCE(t.spent_cents, 0) AS spent, COALESCE(t.received_cents, 0) AS received"
    " FROM post p JOIN sub_budget s ON s.post_id = p.id"
    " LEFT JOIN ledger_total t ON t.post_id = p.id AND t.sub = s.id WHERE p.year_id = {year}"
    " UNION ALL"
    " SELECT p.id, p.name, p.planned_cents, NULL, NULL, NULL,"
    " COALESCE(t.spent_cents, 0), COALESCE(t.received_cents, 0)"
    " FROM post p LEFT JOIN ledger_total t ON t.post_id = p.id AND t.sub = 0"
    " WHERE p.year_id = {year}"
    " ORDER BY 1, 4"
)
# Datasette summing the ledger: what the budget summary was before the kept totals.
BUDGET_LEDGER_SQL = (
    "SELECT e.post_id, e.sub_budget_id,"
    " COALESCE(SUM(CASE WHEN e.kind IN ('spending', 'reimbursement')"
    " OR (e.kind = 'reversal' AND e.amount_cents > 0) THEN e.amount_cents ELSE 0 END), 0) AS out,"
    " COALESCE(SUM(CASE WHEN e.kind = 'income'"
    " OR (e.kind = 'reversal' AND e.amount_cents < 0) THEN e.amount_cents ELSE 0 END), 0) AS inn"
    " FROM ledger_entry e JOIN post p ON e.post_id = p.id WHERE p.year_id = {year}"
    " GROUP BY e.post_id, e.sub_budget_id"
)
BYTES_APP = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    import uvicorn
    from starlette.applications import Starlette
    from starlette.responses import Response
    from starlette.routing import Route
    BODY = Path(sys.argv[1]).read_bytes()
    async def page(request):
        return Response(BODY, media_type="text/html; charset=utf-8")
    app = Starlette(routes=[Route("/", page)])
    uvicorn.run(app, port=int(sys.argv[2]), log_level="warning", access_log=False)
    """
)


def _serve_and_measure(cmd, port, rounds, seconds, wrk) -> dict:
    proc = start(cmd, port, cwd=ROOT)
    try:
        lat = one_connection(port, "", "/", rounds, proc.pid)
        load = saturate(port, "", "/", seconds, proc.pid, wrk)
    finally:
        stop(proc)
    return {"p50": lat.p50, "p95": lat.p95, "cpu": lat.cpu, "rps": load.rps,
            "load_cpu": load.cpu, "load_p95": load.p95}  # fmt: skip


def physical_bytes(html: bytes, folder: Path, rounds: int, seconds: float, wrk: str) -> dict:
    """The page's exact bytes from an async Starlette endpoint: the HTTP server's own cost."""
    body = folder / "page.html"
    body.write_bytes(html)
    port = free_port()
    cmd = [sys.executable, "-c", BYTES_APP, str(body), str(port)]
    return _serve_and_measure(cmd, port, rounds, seconds, wrk)


def bare_jinja(url: str, path: str, rounds: int, seconds: float, wrk: str) -> dict:
    """bench/bare_jinja.py serving `path`'s template with Tafel's data."""
    port = free_port()
    cmd = [sys.executable, str(ROOT / "bench" / "bare_jinja.py"), url, path, str(port)]
    return _serve_and_measure(cmd, port, rounds, seconds, wrk)


def bare_jinja_same_page(url: str, path: str, tafel_html: bytes) -> tuple[bool, int]:
    """(the bare app's HTML is Tafel's, CSRF tokens aside; queries run while rendering)."""
    import re

    from bare_jinja import prepare, render

    from models.db import queries

    name, context, language = prepare(url, path)
    before = queries.count
    html = render(name, context, language)
    ran = queries.count - before
    token = re.compile(r"\d{14}##[0-9a-f]+")
    same = token.sub("…", html) == token.sub("…", tafel_html.decode())
    return same, ran


def replay(
    url: str, statements: list[tuple[str, tuple]], runs: int = 30, organisation=None
) -> float:
    """Median ms of running a page's SELECTs (as Tafel sent them) on the raw driver, every
    row fetched; the connection is opened once, as Tafel keeps its connections. On
    PostgreSQL `organisation` is set for the whole session (row-level security; issue 24)."""
    reads = [(sql, params) for sql, params in statements
             if sql.lstrip().upper().startswith(("SELECT", "WITH"))]  # fmt: skip
    if not reads:
        return 0.0
    if url.startswith("sqlite:///"):
        import sqlite3

        from models.db import SQLITE_PRAGMAS, _lower, sqlite_path

        conn = sqlite3.connect(sqlite_path(url))
        for key, value in SQLITE_PRAGMAS.items():
            conn.execute(f"PRAGMA {key} = {value}")
        conn.create_function("tafel_lower", 1, _lower, deterministic=True)
    else:
        import psycopg2

        conn = psycopg2.connect(url)
        conn.autocommit = True
        if organisation is not None:
            conn.cursor().execute(
                "SELECT set_config('tafel.organisation', %s, false)", (str(organisation),)
            )
    cur = conn.cursor()
    times = []
    try:
        for _ in range(runs + 2):
            begin = time.perf_counter()
            for sql, params in reads:
                cur.execute(sql, params or ())
                cur.fetchall()
            times.append((time.perf_counter() - begin) * 1000)
    finally:
        conn.close()
    return statistics.median(times[2:])


def datasette(command: str, url: str, year_id: int, rounds: int, seconds: float, wrk: str):
    """Datasette on the same file: {name: {"p50", "rps", "cpu"}} for the kept totals (the
    same work as /budget) and the ledger sum, each as JSON and as HTML."""
    path = url[len("sqlite:///") :]
    port = free_port()
    cmd = [command, "serve", path, "--port", str(port), "--setting", "sql_time_limit_ms",
           "20000", "--setting", "num_sql_threads", "3"]  # fmt: skip
    proc = start(cmd, port)
    name = Path(path).stem
    result = {}
    try:
        for work, sql in (("kept totals", BUDGET_KEPT_SQL), ("ledger sum", BUDGET_LEDGER_SQL)):
            query = quote(sql.format(year=year_id))
            for shape, where in (("JSON", f"/{name}.json?sql={query}&_shape=array"),
                                 ("HTML", f"/{name}?sql={query}")):  # fmt: skip
                lat = one_connection(port, "", where, rounds, proc.pid)
                load = saturate(port, "", where, seconds, proc.pid, wrk)
                result[f"{work}, {shape}"] = {"p50": lat.p50, "rps": load.rps, "cpu": load.cpu,
                                             "size": lat.size}  # fmt: skip
    finally:
        stop(proc)
    return result
