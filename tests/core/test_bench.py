"""The federation benchmark's builder, its self-check and the page runner still work (a tiny
scale, not a timing: the figures are in bench/README.md and no test depends on them)."""

import datetime as dt
import os
import sqlite3
import subprocess
import sys

from models import clock
from models.budget import Claim, SubBudget
from models.person import Person
from tests.conftest import login
from webapp.settings import ROOT


def run(*args, env=None, timeout=90):
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=timeout, check=False,
    )  # fmt: skip


def execute(url: str, sql: str) -> None:
    """One statement on the raw driver, outside the app."""
    if url.startswith("sqlite:///"):
        with sqlite3.connect(url[len("sqlite:///") :]) as raw:
            raw.execute(sql)
        return
    import psycopg2

    with psycopg2.connect(url) as raw, raw.cursor() as cur:
        cur.execute(sql)
    raw.close()


def test_the_builder_checks_itself_and_the_page_benchmark_runs_at_a_tiny_scale(databases, data_dir):
    """On the backend under test: on PostgreSQL the check's writes are what fails when the
    builder leaves the id sequences behind the ids it wrote."""
    url = databases.fresh()
    env = {**os.environ, "TAFEL_DATA_DIR": str(data_dir)}
    built = run("bench/build.py", "--scale", "0.002", "--url", url, env=env)
    assert built.returncode == 0, built.stdout + built.stderr
    out = built.stdout
    assert "2,000 ledger" in out, out
    # The self-check at the end of the build: kept numbers, pages, one write of each kind.
    assert "check: recount: 0 ledger lines and 0 counts of the 51% report kept wrong" in out, out
    assert "all equal to their meetings" in out, out
    assert "check: paid claims: every one has its paid_at" in out, out
    assert "answered 200" in out, out
    assert "an agenda item, a membership, a ledger entry and a claim, each 303" in out, out
    assert "check: recount after the writes: 0 ledger lines and 0 51% counts kept wrong" in out, out

    # The check is not a formality: a kept total off by one cent fails it, and says so.
    execute(url, "UPDATE ledger_total SET spent_cents = spent_cents + 1 WHERE id = "
                 "(SELECT MAX(id) FROM ledger_total)")  # fmt: skip
    broken = run("bench/check.py", "--url", url, env=env)
    assert broken.returncode == 1, broken.stdout + broken.stderr
    assert "the recount found 1 ledger line(s) kept wrong" in broken.stderr, broken.stderr
    # … and so does a count of the 51% report (the recount above repaired the total).
    execute(url, "UPDATE report_count SET n = n + 1 WHERE id = (SELECT MAX(id) FROM report_count)")
    broken = run("bench/check.py", "--url", url, env=env)
    assert broken.returncode == 1, broken.stdout + broken.stderr
    assert "found 1 count(s) of the 51% report kept wrong" in broken.stderr, broken.stderr

    pages = run(
        "bench/pages.py", "--url", url, "--rounds", "2", "--seconds", "0.2",
        "--only", "project page,/budget,sub-budget ledger", "--datasette", "", "--wrk", "",
        env=env,
    )  # fmt: skip
    assert pages.returncode == 0, pages.stdout + pages.stderr
    table = pages.stdout
    assert "| project page |" in table and "| sub-budget ledger |" in table, table
    assert "physical limit" in table and "bare Starlette + Jinja" in table, table
    assert "bare app's HTML is Tafel's (CSRF tokens aside): yes" in table, table
    databases.discard(url)


def test_the_claims_page_shows_a_paid_claim_without_its_payment_moment(client, db):
    """A claim marked paid whose paid_at is missing (data from elsewhere: an old import, a
    hand-made set) still shows in "Your claims", as paid, without the time it took."""
    anouk = Person.get(Person.display_name == "Anouk B.")
    sub = SubBudget.select().first()
    now = clock.now()
    for paid_at, text in ((None, "Zonder betaaldatum"), (now, "Met betaaldatum")):
        Claim.create(
            claimant=anouk, sub_budget=sub, kind="other", amount_cents=1234,
            spent_on=now.date() - dt.timedelta(days=3), description=text, status="paid",
            created_at=now - dt.timedelta(days=2), paid_at=paid_at,
        )  # fmt: skip
    login(client, "anouk")
    page = client.get("/budget/claims")
    assert page.status_code == 200
    html = page.text
    assert "Zonder betaaldatum" in html and "Met betaaldatum" in html
    # One "paid after": the claim with its payment moment; the other shows its status only.
    assert html.count("paid after") + html.count("betaald na") == 1, html
