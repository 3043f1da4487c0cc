"""A federation-scale data set: the demo organisation plus bulk volume, at a scale factor.

At scale 1: 5,000 people, 200 projects, 32,000 memberships, 12,900 meetings (about five
years of monthly meetings per project, each with an agenda, a proposal, stances and
minutes), 1,000,000 ledger entries, 200,000 audit lines and 20,000 claims. Smaller factors
(0.01) make a proportionally smaller set for quick checks.

Everything is written with `insert_many` in chunks inside one transaction, with ids chosen
here so no row needs a read back. The demo (`seeds.demo.load_demo`) is loaded first, so the
demo accounts (coordinator, penningmeester, ...) can log in and see it all.

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

from models import schema  # noqa: E402
from models.accounts import Account  # noqa: E402
from models.accounts.audit import AuditEntry  # noqa: E402
from models.budget import BudgetYear, Claim, LedgerEntry, Post, SubBudget  # noqa: E402
from models.clock import today  # noqa: E402
from models.db import database, is_sqlite, open_database  # noqa: E402
from models.meetings import (  # noqa: E402
    AgendaItem,
    Meeting,
    MeetingSeries,
    Minutes,
    Proposal,
    Stance,
)
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
YEARS = 6
POSTS_PER_YEAR = 20
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
WORDS = (
    "Koffie",
    "Printpapier",
    "Reiskosten",
    "Huur zaal",
    "Cursus",
    "Gereedschap",
    "Drukwerk",
    "Lunch",
    "Fietsonderdelen",
    "Laptop",
)


def counts(scale: float) -> dict[str, int]:
    """How many rows of each kind at this scale factor (at least a handful of each)."""
    low = {"people": 60, "projects": 8, "memberships": 80, "meetings": 8}
    return {k: max(low.get(k, 10), round(v * scale)) for k, v in FULL.items()}


class Writer:
    """insert_many in chunks: SQLite takes at most 32,766 variables per statement."""

    def __init__(self):
        self.rows = 0

    def write(self, model, fields, rows) -> None:
        size = max(1, 30_000 // len(fields))
        for start in range(0, len(rows), size):
            model.insert_many(rows[start : start + size], fields=fields).execute()
        self.rows += len(rows)


def next_id(model) -> int:
    return (model.select(model.id).order_by(model.id.desc()).scalar() or 0) + 1


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
        _meetings(w, rng, want["meetings"] - Meeting.select().count(), new_projects, members_of)
        _budget(w, rng, want, projects, people)
        _audit(w, rng, want["audit"], projects, people)
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
    """Monthly meetings back from today per project, the last one still coming; each closed
    one with two agenda items, a decided proposal with stances, and approved minutes."""
    if n_meetings <= 0 or not projects:
        return
    day = today()
    per_project = -(-n_meetings // len(projects))
    meeting_id, item_id, proposal_id = next_id(Meeting), next_id(AgendaItem), next_id(Proposal)
    series_id = next_id(MeetingSeries)
    series, meetings, items, proposals, stances, minutes = [], [], [], [], [], []
    made = 0
    for project in projects:
        series.append((series_id, project, 1, dt.time(19, 30), "Zaal", "monthly"))
        members = members_of[project] or [None]
        for k in range(per_project):
            if made == n_meetings:
                break
            made += 1
            date = day - dt.timedelta(days=30 * (per_project - 2 - k))
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


def _budget(w, rng, want, projects, people) -> None:
    """YEARS years of posts and sub-budgets; the ledger spread over them; claims, the paid
    ones with their reimbursement entry."""
    this_year = today().year
    subs_per_post = max(1, round(10 * min(1.0, want["projects"] / 200)))
    year_id, post_id, sub_id = next_id(BudgetYear), next_id(Post), next_id(SubBudget)
    have = set(BudgetYear.select(BudgetYear.year).tuples())
    years, posts, subs, lines_of_year = [], [], [], {}
    for number in range(this_year - YEARS + 1, this_year + 1):
        if (number,) in have:
            year = BudgetYear.get(BudgetYear.year == number).id
        else:
            year = year_id
            years.append((year_id, number))
            year_id += 1
        lines_of_year[number] = []
        for p in range(POSTS_PER_YEAR):
            posts.append((post_id, year, f"Post {p + 1:02d}", 5_000_000))
            for s in range(subs_per_post):
                manager = rng.choice(people)
                subs.append(
                    (sub_id, post_id, f"Deel {s + 1:02d}", 400_000, rng.choice(projects), manager)
                )
                lines_of_year[number].append((post_id, sub_id))
                sub_id += 1
            post_id += 1
    y, p, s = BudgetYear, Post, SubBudget
    w.write(y, [y.id, y.year], years)
    w.write(p, [p.id, p.year, p.name, p.planned_cents], posts)
    w.write(s, [s.id, s.post, s.name, s.planned_cents, s.project, s.manager], subs)

    e = LedgerEntry
    fields = [e.id, e.date, e.post, e.sub_budget, e.description, e.amount_cents, e.kind,
              e.booked_by, e.claim]  # fmt: skip
    entry_id = next_id(LedgerEntry)
    # Claims: 20,000 over the years; about a third paid, each with its reimbursement.
    c = Claim
    claim_id = next_id(Claim)
    claims, paid_entries = [], []
    statuses = ("submitted", "approved", "paid", "paid", "rejected", "withdrawn")
    numbers = sorted(lines_of_year)
    for _ in range(want["claims"]):
        number = rng.choice(numbers)
        post, sub = rng.choice(lines_of_year[number])
        spent = dt.date(number, rng.randint(1, 12), rng.randint(1, 28))
        cents = rng.randint(250, 20_000)
        status = rng.choice(statuses)
        claims.append(
            (claim_id, rng.choice(people), sub, "other", cents, spent, "Onkosten", status)
        )
        if status == "paid":
            paid_entries.append(
                (entry_id, spent, post, sub, "Onkosten", -cents, "reimbursement",
                 rng.choice(people), claim_id)
            )  # fmt: skip
            entry_id += 1
        claim_id += 1
    w.write(
        c, [c.id, c.claimant, c.sub_budget, c.kind, c.amount_cents, c.spent_on, c.description,
            c.status], claims,
    )  # fmt: skip
    w.write(e, fields, paid_entries)
    remaining = max(0, want["ledger"] - LedgerEntry.select().count())
    batch = []
    for i in range(remaining):
        number = numbers[i % len(numbers)]
        post, sub = rng.choice(lines_of_year[number])
        if rng.random() < 0.05:
            sub = None  # booked on the post itself
        kind = rng.choices(("spending", "income"), (88, 12))[0]
        cents = rng.randint(100, 500_000)
        batch.append(
            (entry_id, dt.date(number, rng.randint(1, 12), rng.randint(1, 28)), post, sub,
             rng.choice(WORDS), cents if kind == "income" else -cents, kind,
             rng.choice(people), None)
        )  # fmt: skip
        entry_id += 1
        if len(batch) == 50_000:
            w.write(e, fields, batch)
            batch = []
    w.write(e, fields, batch)


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


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1 = federation (default)")
    parser.add_argument("--url", default="sqlite:////tmp/tafel-federation.db")
    args = parser.parse_args(argv)
    if not 0 < args.scale <= 4:
        parser.error("Choose a scale above 0 and at most 4.")
    if args.url.startswith("sqlite:///"):
        path = Path(args.url[len("sqlite:///") :])
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    open_database(args.url)
    with database.connection_context():
        schema.migrate()
        begin = time.perf_counter()
        made = build(args.scale)
        print(f"built in {time.perf_counter() - begin:.1f} s: " + ", ".join(
            f"{v:,} {k}" for k, v in made.items()))  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
