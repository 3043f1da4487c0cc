"""Benchmark: Tafel's main pages at federation scale, served by one real `tafel serve` worker.

Per page: queries (counted in-process through the app, as the query-count tests do), bytes
(uncompressed HTML), p50/p95 at one connection, req/s at eight connections, and the worker's
memory (RSS) after the page. Beside it, in the same run: a bare Starlette + Jinja app serving
the project page's exact HTML from a template, and Datasette (when installed; see
--datasette) serving the budget aggregate from the same SQLite file, as ratios.

Build the data first (bench/build.py), then:
    .venv/bin/python bench/pages.py --url sqlite:////tmp/tafel-federation.db
Options: --rounds (requests per page at one connection), --seconds (time per page at eight
connections), --datasette PATH (the `datasette` command, from a venv of its own).
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from pathlib import Path
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

USER, PASSWORD = "coordinator", "coordinator-tafel-2026"
BUDGET_SQL = (
    "SELECT e.post_id, e.sub_budget_id,"
    " COALESCE(SUM(CASE WHEN e.kind IN ('spending', 'reimbursement')"
    " OR (e.kind = 'reversal' AND e.amount_cents > 0) THEN e.amount_cents ELSE 0 END), 0) AS out,"
    " COALESCE(SUM(CASE WHEN e.kind = 'income'"
    " OR (e.kind = 'reversal' AND e.amount_cents < 0) THEN e.amount_cents ELSE 0 END), 0) AS inn"
    " FROM ledger_entry e JOIN post p ON e.post_id = p.id WHERE p.year_id = {year}"
    " GROUP BY e.post_id, e.sub_budget_id"
)
BARE_APP = textwrap.dedent(
    """
    import sys
    import jinja2
    from starlette.applications import Starlette
    from starlette.responses import HTMLResponse
    from starlette.routing import Route
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(sys.argv[1]), autoescape=True)
    async def page(request):
        return HTMLResponse(env.get_template("page.html").render(title="Project"))
    app = Starlette(routes=[Route("/", page)])
    """
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(port: int, proc: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server on port {port} stopped (exit {proc.returncode})")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"nothing answered on port {port}")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


class Client:
    """One keep-alive HTTP/1.1 connection with a cookie."""

    def __init__(self, port: int, cookie: str = ""):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        self.cookie = cookie

    def request(self, method: str, path: str, body: str | None = None):
        headers = {"Cookie": self.cookie} if self.cookie else {}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        data = response.read()
        cookie = response.getheader("Set-Cookie")
        if cookie:
            self.cookie = cookie.split(";", 1)[0]
        return response.status, data

    def get(self, path: str) -> bytes:
        status, data = self.request("GET", path)
        if status != 200:
            raise SystemExit(f"GET {path} answered {status}")
        return data


def login(port: int) -> str:
    client = Client(port)
    page = client.get("/login").decode()
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    form = urlencode({"username": USER, "password": PASSWORD, "csrf_token": token})
    status, _ = client.request("POST", "/login", form)
    if status != 303:
        raise SystemExit(f"logging in as {USER} answered {status}")
    return client.cookie


def one_connection(
    port: int, cookie: str, path: str, rounds: int, pid: int | None = None
) -> tuple[float, float, int, float]:
    """(p50 ms, p95 ms, bytes, server CPU ms per request) over `rounds` requests after two
    warm-ups. The CPU time of the server process (`pid`) hardly depends on what else the
    machine is running, unlike the wall-clock times."""
    client = Client(port, cookie)
    size = len(client.get(path))
    client.get(path)
    cpu = cpu_seconds(pid) if pid else 0.0
    times = []
    give_up = time.perf_counter() + 20  # slow pages: at least 5 requests, about 20 s
    for _ in range(rounds):
        if len(times) >= 5 and time.perf_counter() > give_up:
            break
        start = time.perf_counter()
        client.get(path)
        times.append((time.perf_counter() - start) * 1000)
    cpu_ms = (cpu_seconds(pid) - cpu) * 1000 / len(times) if pid else 0.0
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return statistics.median(times), p95, size, cpu_ms


def eight_connections(port: int, cookie: str, path: str, seconds: float) -> float:
    """Requests per second with eight connections asking at once for `seconds`."""
    done = [0] * 8
    stop = time.perf_counter() + seconds

    def run(i):
        client = Client(port, cookie)
        while time.perf_counter() < stop:
            client.get(path)
            done[i] += 1

    threads = [threading.Thread(target=run, args=(i,)) for i in range(8)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(done) / (time.perf_counter() - start)


def targets(url: str) -> tuple[dict[str, str], int]:
    """The pages to measure (the busiest project, sub-budget and post of the latest year)
    and that year's id, read from the database."""
    from peewee import fn

    from models.budget import BudgetYear, LedgerEntry, SubBudget
    from models.db import database, open_database
    from models.people import Membership

    open_database(url)
    with database.connection_context():
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
    database.close()
    pages = {
        "project page": f"/projects/{project}",
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


def query_counts(url: str, pages: dict[str, str]) -> dict[str, int]:
    """Queries per page, counted in-process by the same app (tests/conftest.py's way)."""
    from starlette.testclient import TestClient

    from models.db import database, queries
    from webapp.app import create_app

    app = create_app(url)
    result = {}
    with TestClient(app) as client:
        page = client.get("/login").text
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        client.post(
            "/login", data={"username": USER, "password": PASSWORD, "csrf_token": token},
            follow_redirects=False,
        )  # fmt: skip
        for name, path in pages.items():
            client.get(path)
            queries.count = 0
            client.get(path)
            result[name] = queries.count
    database.close()
    return result


def start(cmd, port, env=None, cwd=None) -> subprocess.Popen:
    proc = subprocess.Popen(
        cmd, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    wait_for(port, proc)
    return proc


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


def bare_app(html: bytes, rounds: int, seconds: float) -> tuple[float, float]:
    """(p50 ms, req/s at eight) of a bare Starlette + Jinja app serving `html`."""
    folder = Path(tempfile.mkdtemp(prefix="tafel-bare-"))
    (folder / "page.html").write_text("{% raw %}" + html.decode() + "{% endraw %}")
    (folder / "bare_app.py").write_text(BARE_APP)
    port = free_port()
    cmd = [sys.executable, "-c",
           "import sys, uvicorn; sys.path.insert(0, sys.argv[1]); "
           "uvicorn.run('bare_app:app', port=int(sys.argv[2]), log_level='warning', "
           "access_log=False)", str(folder), str(port)]  # fmt: skip
    proc = start(cmd, port, cwd=folder)
    try:
        p50, _, _, _ = one_connection(port, "", "/", rounds)
        rps = eight_connections(port, "", "/", seconds)
    finally:
        stop(proc)
        shutil.rmtree(folder, ignore_errors=True)
    return p50, rps


def datasette(command: str, url: str, year_id: int, rounds: int, seconds: float):
    """(json req/s, html req/s, p50 ms as JSON) of Datasette answering the budget aggregate."""
    path = url[len("sqlite:///") :]
    port = free_port()
    cmd = [command, "serve", path, "--port", str(port), "--setting", "sql_time_limit_ms",
           "20000", "--setting", "num_sql_threads", "3"]  # fmt: skip
    proc = start(cmd, port)
    name = Path(path).stem
    sql = quote(BUDGET_SQL.format(year=year_id))
    try:
        json_path = f"/{name}.json?sql={sql}&_shape=array"
        html_path = f"/{name}?sql={sql}"
        p50, _, _, _ = one_connection(port, "", json_path, rounds)
        json_rps = eight_connections(port, "", json_path, seconds)
        html_rps = eight_connections(port, "", html_path, seconds)
    finally:
        stop(proc)
    return json_rps, html_rps, p50


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="sqlite:////tmp/tafel-federation.db")
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--datasette", default=shutil.which("datasette") or "")
    parser.add_argument("--only", default="", help="comma-separated page names")
    args = parser.parse_args(argv)

    pages, year_id = targets(args.url)
    if args.only:
        pages = {k: v for k, v in pages.items() if k in args.only.split(",")}
    counted = query_counts(args.url, pages)
    port = free_port()
    env = {**os.environ, "DATABASE_URL": args.url}
    tafel = str(Path(sys.executable).parent / "tafel")
    server = start([tafel, "serve", "--port", str(port)], port, env=env, cwd=ROOT)
    rows, html = [], {}
    try:
        cookie = login(port)
        print(f"worker pid {server.pid}, RSS at start {rss_mb(server.pid):.0f} MB", flush=True)
        for name, path in pages.items():
            p50, p95, size, cpu = one_connection(port, cookie, path, args.rounds, server.pid)
            rps = eight_connections(port, cookie, path, args.seconds)
            html[name] = Client(port, cookie).get(path)
            rows.append((name, counted[name], size, p50, p95, cpu, rps, rss_mb(server.pid)))
            print(f"  {name}: {p50:.1f} ms", flush=True)
    finally:
        stop(server)

    print(f"\nload average at the end: {os.getloadavg()[0]:.1f}")
    print("| page | queries | KB | p50 ms | p95 ms | CPU ms | req/s (8 conn.) | RSS after, MB |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for name, count, size, p50, p95, cpu, rps, rss in rows:
        print(f"| {name} | {count} | {size / 1024:,.0f} | {p50:.1f} | {p95:.1f} | {cpu:.1f} "
              f"| {rps:,.1f} | {rss:.0f} |")  # fmt: skip
    by_name = {r[0]: r for r in rows}
    if "project page" in html:
        bare_p50, bare_rps = bare_app(html["project page"], args.rounds, args.seconds)
        own = by_name["project page"][6]
        print(f"\nbare Starlette + Jinja, the project page's HTML: {bare_rps:,.0f} req/s "
              f"(p50 {bare_p50:.2f} ms); Tafel's project page: {own:,.1f} req/s = "
              f"{100 * own / bare_rps:.1f}% of it")  # fmt: skip
    if "/budget" in by_name and args.datasette and args.url.startswith("sqlite:///"):
        json_rps, html_rps, ds_p50 = datasette(
            args.datasette, args.url, year_id, args.rounds, args.seconds
        )
        own = by_name["/budget"][6]
        print(f"Datasette, the budget aggregate: {json_rps:,.1f} req/s as JSON (p50 "
              f"{ds_p50:.1f} ms), {html_rps:,.1f} as HTML; Tafel's /budget: {own:,.1f} req/s "
              f"= {own / json_rps:.2f}x JSON, {own / html_rps:.2f}x HTML")  # fmt: skip
    elif "/budget" in by_name:
        print("Datasette: not run (no --datasette command, or not a SQLite file)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
