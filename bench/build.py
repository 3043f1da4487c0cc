"""A federation-scale data set: the demo organisation plus bulk volume, at a scale factor.

At scale 1: 5,000 people, 200 projects, 32,000 memberships, 12,900 meetings (about five
years of monthly meetings per project, each with an agenda, a proposal, stances and
minutes), 1,000,000 ledger entries, 200,000 audit lines and 20,000 claims. Smaller factors
(0.01) make a proportionally smaller set for quick checks.

Rows are written in bulk inside one transaction, with ids chosen here so no row needs a read
back, but never past what the app keeps (issue 23, "a bench that cannot lie"):
- the ledger goes in through the app's own batch writer, `models.budget.totals.add_entries`,
  which keeps each line's total in the same transaction;
- every project's rota is stored by the app's stored-rota writer (`store_rota`, project by
  project), so planned meetings have their turns;
- claims get the dates a real claim has (created, decided, paid, withdrawn) and who did it;
- the 51% report's version token is moved by the database's own triggers, whatever writes;
- on PostgreSQL every id sequence is set to the highest id written (`setval`), so the app's
  next insert does not collide with a bulk-written id.
At the end `bench/check.py` checks the result: the app's recount finds 0 ledger lines kept
wrong, every stored rota equals the meetings, every page of bench/pages.py answers 200 and
a write of each kind succeeds through the app (`--no-check` leaves the check out).

The demo (`seeds.demo.load_demo`) is loaded first, so the demo accounts (coordinator,
penningmeester, ...) can log in and see it all.

Run: `.venv/bin/python bench/build.py --scale 1 --url sqlite:////tmp/tafel-fed.db`
(the file is made anew; a postgresql:// URL must name an empty database).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from build_budget import budget  # noqa: E402
from bulk import YEARS, Writer, advance_sequences, next_id  # noqa: E402

from models import schema  # noqa: E402
from models.accounts import Account  # noqa: E402
from models.accounts.audit import AuditEntry  # noqa: E402
from models.budget import Claim, LedgerEntry  # noqa: E402
from models.clock import today  # noqa: E402
from models.db import database, is_sqlite, open_database, role_of  # noqa: E402
from models.meetings import (  # noqa: E402
    AgendaItem,
    Meeting,
    MeetingSeries,
    Minutes,
    Proposal,
    Stance,
)
from models.meetings.stored_rota import store_rota  # noqa: E402
from models.organisation import Project  # noqa: E402
from models.people import Membership, RoleStep, Vacancy  # noqa: E402
from models.person import Person  # noqa: E402

# Volume at scale 1 (the federation of issue 13).
FULL = {
    "people": 5_000,
    "projects": 200,
    "memberships": 32_000,
    "meetings": 12_900,
    "ledger": 1_000_000,
    "audit": 200_000,
    "claims": 20_000,
}
LAYERS = ("execution", "execution", "execution", "management", "coordination")
STATUSES = ("active",) * 8 + ("paused", "ended")
BACKGROUNDS = ("yes", "yes", "yes", "no", "not_said")
AUDIT_ACTIONS = (
    "budget.entry.book",
    "budget.claim.submit",
    "budget.claim.approve",
    "meeting.close",
    "proposal.open",
    "notice.create",
    "person.create",
    "project.update",
)
OUTCOMES = ("consensus", "consensus", "consensus", "provisional", "no_consensus", "blocked")


def counts(scale: float) -> dict[str, int]:
    """How many rows of each kind at this scale factor (at least a handful of each)."""
    low = {"people": 60, "projects": 8, "memberships": 80, "meetings": 8}
    return {k: max(low.get(k, 10), round(v * scale)) for k, v in FULL.items()}


def build(scale: float, seed: int = 13, log=print) -> dict[str, int]:
    """Load the demo, then add the volume for `scale`; returns the row counts made."""
    from seeds.demo import load_demo

    rng = random.Random(seed)
    want = counts(scale)
    w = Writer()
    day = today()
    with database.atomic():
        load_demo(scale=1)
        steps = [s.id for s in RoleStep.ladder()]
        # People.
        first_person = next_id(Person)
        n_people = max(0, want["people"] - Person.select().count())
        w.write(
            Person,
            [Person.id, Person.display_name, Person.client_background, Person.contact],
            [
                (first_person + i, f"Persoon {first_person + i:05d}", rng.choice(BACKGROUNDS), "")
                for i in range(n_people)
            ],
        )
        people = [p for (p,) in Person.select(Person.id).tuples()]
        # Projects.
        first_project = next_id(Project)
        n_projects = max(0, want["projects"] - Project.select().count())
        w.write(
            Project,
            [Project.id, Project.name, Project.description, Project.ladder_level],
            [
                (first_project + i, f"Project {first_project + i:03d}", "Een project.", 4)
                for i in range(n_projects)
            ],
        )
        new_projects = list(range(first_project, first_project + n_projects))
        projects = [p for (p,) in Project.select(Project.id).tuples()]
        # Memberships: each person in a few distinct new projects until the total is reached.
        taken = set(Membership.select(Membership.person, Membership.project).tuples())
        # At most half of the new projects' possible pairs, so the draw below always ends.
        n_members = min(
            max(0, want["memberships"] - len(taken)), len(people) * len(new_projects) // 2
        )
        rows = []
        members_of: dict[int, list[int]] = {p: [] for p in projects}
        for person, project in taken:
            members_of[project].append(person)
        start = day - dt.timedelta(days=365 * YEARS)
        while len(rows) < n_members and new_projects:
            person, project = rng.choice(people), rng.choice(new_projects)
            if (person, project) in taken:
                continue
            taken.add((person, project))
            members_of[project].append(person)
            since = start + dt.timedelta(days=rng.randrange(365 * YEARS))
            opted = rng.random() < 0.4
            rows.append(
                (person, project, rng.choice(LAYERS), rng.choice(steps), rng.choice(STATUSES),
                 since, since if opted else None, since if rng.random() < 0.3 else None)
            )  # fmt: skip
        m = Membership
        w.write(
            m,
            [m.person, m.project, m.layer, m.step, m.status, m.since, m.chair_since,
             m.minutes_since],
            rows,
        )  # fmt: skip
        # Vacancies: one open per new project.
        w.write(
            Vacancy,
            [Vacancy.project, Vacancy.step, Vacancy.layer, Vacancy.title, Vacancy.text],
            [(p, rng.choice(steps), "execution", "Notulist gezocht", "") for p in new_projects],
        )
        # At the smallest scales the demo alone has the meetings asked for: every new
        # project still gets at least its two coming ones.
        n_meetings = max(want["meetings"] - Meeting.select().count(), 2 * len(new_projects))
        _meetings(w, rng, n_meetings, new_projects, members_of)
        for (project_id,) in Project.select(Project.id).tuples():
            store_rota(project_id)
        budget(w, rng, want, projects, people)
        _audit(w, rng, want["audit"], projects, people)
        advance_sequences()
    log(f"wrote {w.rows:,} rows")
    if is_sqlite():
        database.execute_sql("ANALYZE")
    else:
        database.execute_sql("VACUUM ANALYZE")
    return {
        "people": Person.select().count(),
        "projects": Project.select().count(),
        "memberships": Membership.select().count(),
        "meetings": Meeting.select().count(),
        "ledger": LedgerEntry.select().count(),
        "audit": AuditEntry.select().count(),
        "claims": Claim.select().count(),
    }


def _meetings(w, rng, n_meetings, projects, members_of) -> None:
    """Monthly meetings per project up to a month from today, the last two (today's and the
    next) still planned; each closed one with two agenda items, a decided proposal with
    stances, and approved minutes."""
    if n_meetings <= 0 or not projects:
        return
    day = today()
    # As evenly as they go, each project's ending with the next two months (still planned):
    # every project has its coming meetings, so its rota and its pages are like a real one's.
    share, extra = divmod(n_meetings, len(projects))
    meeting_id, item_id, proposal_id = next_id(Meeting), next_id(AgendaItem), next_id(Proposal)
    series_id = next_id(MeetingSeries)
    series, meetings, items, proposals, stances, minutes = [], [], [], [], [], []
    for number, project in enumerate(projects):
        series.append((series_id, project, 1, dt.time(19, 30), "Zaal", "monthly"))
        members = members_of[project] or [None]
        per_project = share + (1 if number < extra else 0)
        for k in range(per_project):
            date = day + dt.timedelta(days=30 * (k - per_project + 2))
            closed = date < day
            chair, taker = rng.choice(members), rng.choice(members)
            meetings.append(
                (meeting_id, project, series_id, date, dt.time(19, 30), "Zaal",
                 "closed" if closed else "planned", chair, taker)
            )  # fmt: skip
            items.append((item_id, meeting_id, "Opening", "", 10, 0))
            items.append((item_id + 1, meeting_id, "Voorstel", "Wat vinden we ervan?", 20, 1))
            if closed:
                outcome = rng.choice(OUTCOMES)
                voters = rng.sample(members, min(len(members), 6)) if members[0] else []
                kinds = [rng.choice(("agree", "agree", "agree", "concern")) for _ in voters]
                proposals.append(
                    (proposal_id, project, item_id + 1, f"We doen voorstel {proposal_id}.",
                     "closed", outcome, "Besloten.", kinds.count("agree"),
                     kinds.count("concern"), date)
                )  # fmt: skip
                for person, kind in zip(voters, kinds, strict=True):
                    stances.append((proposal_id, person, kind, ""))
                minutes.append((meeting_id, "Notulen van de vergadering.", 1, "approved"))
                proposal_id += 1
            meeting_id += 1
            item_id += 2
        series_id += 1
    s, m, a, p, st, mi = MeetingSeries, Meeting, AgendaItem, Proposal, Stance, Minutes
    w.write(s, [s.id, s.project, s.weekday, s.time, s.place, s.frequency], series)
    w.write(
        m, [m.id, m.project, m.series, m.date, m.time, m.place, m.state, m.chair, m.minute_taker],
        meetings,
    )  # fmt: skip
    w.write(a, [a.id, a.meeting, a.title, a.explanation, a.time_box, a.position], items)
    w.write(
        p,
        [p.id, p.project, p.agenda_item, p.text, p.state, p.outcome, p.statement, p.agree,
         p.concern, p.decided_on],
        proposals,
    )  # fmt: skip
    w.write(st, [st.proposal, st.person, st.kind, st.reason], stances)
    w.write(mi, [mi.meeting, mi.text, mi.version, mi.state], minutes)


def _audit(w, rng, n, projects, people) -> None:
    """Audit lines over the last YEARS years by the demo's accounts."""
    actors = [a for (a,) in Account.select(Account.id).tuples()]
    start = dt.datetime.combine(today(), dt.time(9)) - dt.timedelta(days=365 * YEARS)
    span = 365 * YEARS * 86_400
    a = AuditEntry
    fields = [a.at, a.actor, a.action, a.object_type, a.object_id, a.project, a.person,
              a.before, a.after]  # fmt: skip
    after = json.dumps({"amount_cents": -1250, "kind": "spending"})
    batch = []
    for _ in range(max(0, n - AuditEntry.select().count())):
        action = rng.choice(AUDIT_ACTIONS)
        batch.append(
            (start + dt.timedelta(seconds=rng.randrange(span)), rng.choice(actors), action,
             action.split(".")[-2], rng.randrange(1, 100_000), rng.choice(projects),
             rng.choice(people), "{}", after)
        )  # fmt: skip
        if len(batch) == 50_000:
            w.write(a, fields, batch)
            batch = []
    w.write(a, fields, batch)


def others(count: int) -> None:
    """The big organisation answers on bench.example; `count - 1` small ones, each the demo,
    are added beside it (bench/pages.py --host bench.example measures the big one)."""
    from models import tenancy
    from models.records import organisations
    from seeds.demo import load_demo

    organisations.set_host("bench.example")
    for n in range(2, count + 1):
        organisation, _link, _token = organisations.add_organisation(
            f"Organisatie {n}", f"org{n}.bench.example", "Beheer"
        )
        with tenancy.working_for(organisation), database.connection_context():
            load_demo(scale=1)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1 = federation (default)")
    parser.add_argument("--url", default="sqlite:////tmp/tafel-federation.db")
    parser.add_argument("--no-check", action="store_true", help="leave out bench/check.py")
    parser.add_argument(
        "--organisations",
        type=int,
        default=1,
        help="1 (default), or this many in all: the big one on bench.example and the rest "
        "each the demo, on org2.bench.example, … (issue 24)",
    )
    parser.add_argument(
        "--app-url",
        default="",
        help="PostgreSQL: the same database as the app's role (no superuser): granted the "
        "tables, and the other organisations are added through it (row-level security)",
    )
    args = parser.parse_args(argv)
    if not 0 < args.scale <= 4:
        parser.error("Choose a scale above 0 and at most 4.")
    if args.url.startswith("sqlite:///"):
        path = Path(args.url[len("sqlite:///") :])
        for file in (path, *path.parent.glob(f"{path.stem}.org*.db")):  # organisations
            for suffix in ("", "-wal", "-shm"):
                Path(f"{file}{suffix}").unlink(missing_ok=True)
    open_database(args.url)
    with database.connection_context():
        schema.migrate()
        begin = time.perf_counter()
        made = build(args.scale)
        print(f"built in {time.perf_counter() - begin:.1f} s: " + ", ".join(
            f"{v:,} {k}" for k, v in made.items()), flush=True)  # fmt: skip
        if args.app_url:
            schema.grant_to(database.home, role_of(args.app_url))
    database.close()
    if args.organisations > 1:
        open_database(args.app_url or args.url)
        begin = time.perf_counter()
        with database.connection_context():
            others(args.organisations)
        print(f"{args.organisations - 1} more organisations in "
              f"{time.perf_counter() - begin:.1f} s", flush=True)  # fmt: skip
        database.close()
    if args.no_check or args.organisations > 1:  # the check asks for the only organisation
        return 0
    from check import Failed, check

    begin = time.perf_counter()
    try:
        check(args.url)
    except Failed as failure:
        print(f"check failed: {failure}", file=sys.stderr)
        return 1
    print(f"checked in {time.perf_counter() - begin:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
