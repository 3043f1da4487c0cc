"""The bench's self-check (issue 23): is the built data what the app itself would have made?

Run after bench/build.py (which runs it at its end), or alone:
    .venv/bin/python bench/check.py --url sqlite:////tmp/tafel-federation.db

It checks, on the built database:
1. the kept numbers: the app's own recounts (`models.budget.totals.rebuild_totals` and
   `models.people.representation.recount_report`, what `tafel recount` runs) find 0 ledger
   lines and 0 counts of the 51% report kept wrong, and every project's stored rota
   equals its planned meetings (`models.meetings.stored_rota`);
2. no paid claim without the moment it was paid;
3. every page of bench/pages.py, and the claims page, answers 200 through the app (in
   process, logged in as the demo's coordinator; the claims page also as the treasurer);
4. a write of each kind succeeds through the app's own routes, with their forms, CSRF tokens
   and access rules: an agenda item, a ledger entry, a claim and a membership (on PostgreSQL
   these are what fails when the sequences were left behind the bulk-written ids);
5. the recount again after those writes: still 0 wrong.

The writes stay in the database (four rows in a built set of thousands). Any failure is
printed and the command exits with 1.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

TREASURER = ("penningmeester", "penning-tafel-2026")


class Failed(Exception):
    """One check that did not hold, in a sentence."""


def kept_numbers() -> list[str]:
    """The recount and the stored rotas (the database must be open)."""
    from models.budget.totals import rebuild_totals
    from models.meetings.stored_rota import computed_rota
    from models.organisation import Project
    from models.people.representation import recount_report
    from tests.meetings.stored_rota_rows import stored_turns

    wrong = rebuild_totals()
    if wrong:
        raise Failed(f"the recount found {wrong} ledger line(s) kept wrong")
    if wrong := recount_report():
        raise Failed(f"the recount found {wrong} count(s) of the 51% report kept wrong")
    projects = [p for (p,) in Project.select(Project.id).tuples()]
    off = [p for p in projects if stored_turns(p) != computed_rota(p)]
    if off:
        raise Failed(f"{len(off)} project(s) have a stored rota unlike their meetings: {off[:5]}")
    turns = sum(len(stored_turns(p)) for p in projects)
    return [
        "recount: 0 ledger lines and 0 counts of the 51% report kept wrong",
        f"stored rota: {len(projects)} projects, {turns} turns, all equal to their meetings",
    ]


def claim_dates() -> str:
    from models.budget import Claim

    missing = Claim.select().where((Claim.status == "paid") & Claim.paid_at.is_null()).count()
    if missing:
        raise Failed(f"{missing} paid claim(s) have no paid_at")
    return "paid claims: every one has its paid_at"


def _token(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    if found is None:
        raise Failed("no CSRF token on the page")
    return found.group(1)


def _login(client, user: str, password: str) -> None:
    token = _token(client.get("/login").text)
    answer = client.post(
        "/login", data={"username": user, "password": password, "csrf_token": token},
        follow_redirects=False,
    )  # fmt: skip
    if answer.status_code != 303:
        raise Failed(f"logging in as {user} answered {answer.status_code}")


def _get(client, path: str) -> str:
    try:
        answer = client.get(path)
    except Exception as error:  # the app re-raises in development: say which page
        raise Failed(f"GET {path} failed: {type(error).__name__}: {error}") from error
    if answer.status_code != 200:
        raise Failed(f"GET {path} answered {answer.status_code}")
    return answer.text


def _post(client, page: str, path: str, data: dict, what: str) -> None:
    """Post a form the way a browser would: the CSRF token from the page it is on."""
    token = _token(_get(client, page))
    try:
        answer = client.post(path, data={**data, "csrf_token": token}, follow_redirects=False)
    except Exception as error:
        raise Failed(f"{what}: POST {path} failed: {type(error).__name__}: {error}") from error
    if answer.status_code != 303:
        raise Failed(f"{what}: POST {path} answered {answer.status_code}")


def write_targets() -> dict:
    """Where the writes go: the busiest project with a planned meeting, its next one, someone
    not yet in that project, the busiest sub-budget of the latest year (the database must be
    open)."""
    from peewee import fn

    from models.budget import BudgetYear, LedgerEntry, SubBudget
    from models.clock import today
    from models.meetings import Meeting
    from models.people import Membership
    from models.person import Person

    planned = Meeting.select(Meeting.project).where(Meeting.state == "planned")
    project = (
        Membership.select(Membership.project)
        .where(Membership.project.in_(planned))
        .group_by(Membership.project)
        .order_by(fn.COUNT(Membership.id).desc(), Membership.project)
        .scalar()
    )
    meeting = (
        Meeting.select(Meeting.id)
        .where((Meeting.project == project) & (Meeting.state == "planned"))
        .order_by(Meeting.date, Meeting.id)
        .scalar()
    )
    outsider = (
        Person.select(Person.id)
        .where(Person.id.not_in(Membership.select(Membership.person).where(
            Membership.project == project)) & Person.erased_at.is_null())
        .order_by(Person.id.desc())
        .scalar()
    )  # fmt: skip
    year = BudgetYear.latest()
    sub = (
        LedgerEntry.select(LedgerEntry.sub_budget)
        .join(SubBudget, on=(LedgerEntry.sub_budget == SubBudget.id))
        .where(LedgerEntry.date.year == year.year)
        .group_by(LedgerEntry.sub_budget)
        .order_by(fn.COUNT(LedgerEntry.id).desc())
        .scalar()
    )
    day = min(today(), dt.date(year.year, 12, 31))
    return {"project": project, "meeting": meeting, "outsider": outsider, "sub": sub,
            "day": day if day.year == year.year else dt.date(year.year, 12, 31)}  # fmt: skip


def counts() -> dict[str, int]:
    from models.budget import Claim, LedgerEntry
    from models.meetings import AgendaItem
    from models.people import Membership

    return {m.__name__: m.select().count() for m in (AgendaItem, LedgerEntry, Claim, Membership)}


def pages_and_writes(url: str, pages: dict[str, str]) -> list[str]:
    """Every page answers 200; a write of each kind succeeds (through the app's routes)."""
    from pages import PASSWORD, USER
    from starlette.testclient import TestClient

    from models.db import database
    from models.people import RoleStep
    from webapp.app import create_app

    app = create_app(url)
    lines = []
    with database.connection_context():
        where = write_targets()
        before = counts()
        step = RoleStep.ladder()[0].id
    with TestClient(app) as coordinator, TestClient(app) as treasurer:
        _login(coordinator, USER, PASSWORD)
        _login(treasurer, *TREASURER)
        for path in pages.values():
            _get(coordinator, path)
        _get(treasurer, "/budget/claims")
        lines.append(f"pages: {len(pages)} answered 200 (the claims page also as the treasurer)")
        project, meeting, sub = where["project"], where["meeting"], where["sub"]
        if meeting is None:
            raise Failed(f"project {project} has no planned meeting to add an agenda item to")
        _post(coordinator, f"/meetings/{meeting}", f"/meetings/{meeting}/agenda",
              {"title": "Zelfcontrole van de bench", "explanation": ""}, "agenda item")  # fmt: skip
        _post(
            coordinator, f"/projects/{project}/memberships/new",
            f"/projects/{project}/memberships/new",
            {"person": str(where["outsider"]), "step": str(step), "layer": "execution",
             "since": where["day"].isoformat(), "confirmed": "1", "accept_below": "y"},
            "membership",
        )  # fmt: skip
        _post(
            treasurer, f"/budget/sub-budgets/{sub}", f"/budget/sub-budgets/{sub}/entries",
            {"date": where["day"].isoformat(), "description": "Zelfcontrole",
             "direction": "spending", "amount": "12,34"},
            "ledger entry",
        )  # fmt: skip
        _post(
            treasurer, "/budget/claims", "/budget/claims",
            {"kind": "other", "sub_budget": str(sub), "spent_on": where["day"].isoformat(),
             "amount": "5,00", "description": "Zelfcontrole"},
            "claim",
        )  # fmt: skip
    with database.connection_context():
        after = counts()
    grown = {k for k in before if after[k] == before[k] + 1}
    if grown != set(before):
        raise Failed(f"a write answered 303 but wrote nothing: before {before}, after {after}")
    lines.append("writes: an agenda item, a membership, a ledger entry and a claim, each 303")
    database.close()
    return lines


def check(url: str, log=print) -> None:
    """Run every check on the database at `url`; raises Failed at the first that fails."""
    from pages import targets

    from models.budget.totals import rebuild_totals
    from models.db import database, open_database
    from models.people.representation import recount_report

    pages, _ = targets(url)
    open_database(url)
    with database.connection_context():
        for line in [*kept_numbers(), claim_dates()]:
            log(f"check: {line}")
    database.close()
    for line in pages_and_writes(url, pages):
        log(f"check: {line}")
    open_database(url)
    with database.connection_context():
        if wrong := rebuild_totals():
            raise Failed(f"after the writes the recount found {wrong} line(s) kept wrong")
        if wrong := recount_report():
            raise Failed(f"after the writes the recount found {wrong} 51% count(s) kept wrong")
    database.close()
    log("check: recount after the writes: 0 ledger lines and 0 51% counts kept wrong")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="sqlite:////tmp/tafel-federation.db")
    args = parser.parse_args(argv)
    try:
        check(args.url)
    except Failed as failure:
        print(f"check failed: {failure}", file=sys.stderr)
        return 1
    print("check: all good")
    return 0


if __name__ == "__main__":
    sys.exit(main())
