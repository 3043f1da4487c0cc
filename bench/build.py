"""A federation-scale data set: the demo organisation plus bulk volume, at a scale factor.

At scale 1: 5,000 people, 200 projects, 32,000 memberships, 12,900 meetings (about five
years of monthly meetings per project, each with an agenda, a proposal, stances and
minutes), 1,000,000 ledger entries, 200,000 audit lines and 20,000 claims. Smaller factors
(0.01) make a proportionally smaller set for quick checks.

Rows are written in bulk inside one transaction, with ids chosen here so no row needs a read
back, but never past what the app keeps (issue 23, "a bench that cannot lie"):
- the ledger goes in through the app's own batch writer, `models.budget.totals.add_entries`,
  which keeps each line's total in the same transaction;
- every project's rota is stored by the app's stored-rota writer
  (`models.meetings.stored_rota.store_all_rotas`), so planned meetings have their turns;
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

from models import schema  # noqa: E402
from models.accounts import Account  # noqa: E402
from models.accounts.audit import AuditEntry  # noqa: E402
from models.budget import BudgetYear, Claim, LedgerEntry, Post, SubBudget  # noqa: E402
from models.budget.totals import add_entries  # noqa: E402
from models.clock import now, today  # noqa: E402
from models.db import database, is_sqlite, open_database  # noqa: E402
from models.meetings import (  # noqa: E402
    AgendaItem,
    Meeting,
    MeetingSeries,
    Minutes,
    Proposal,
    Stance,
)
from models.meetings.stored_rota import store_all_rotas  # noqa: E402
from models.organisation import Project  # noqa: E402
from models.people import Membership, RoleStep, Vacancy  # noqa: E402
from models.person import Person  # noqa: E402
from models.registry import MODELS  # noqa: E402

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
    """insert_many in chunks (SQLite takes at most 32,766 variables per statement) for the
    tables nothing is kept from; the ledger goes through the app's `add_entries`."""

    def __init__(self):
        self.rows = 0

    def write(self, model, fields, rows) -> None:
        size = max(1, 30_000 // len(fields))
        for start in range(0, len(rows), size):
            model.insert_many(rows[start : start + size], fields=fields).execute()
        self.rows += len(rows)

    def ledger(self, fields, rows) -> None:
        """Ledger entries through the app's batch writer, which keeps each line's total."""
        names = [f.name for f in fields]
        add_entries([dict(zip(names, row, strict=True)) for row in rows])
        self.rows += len(rows)


def advance_sequences() -> None:
    """PostgreSQL: set each table's id sequence to its highest id, so the app's next insert
    gets a free id after rows written here with ids of their own (SQLite needs nothing: its
    next rowid follows the highest)."""
    if is_sqlite():
        return
    for model in MODELS:
        table = model._meta.table_name
        if model._meta.primary_key is None or model._meta.primary_key.name != "id":
            continue
        database.execute_sql(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
            f" COALESCE(MAX(id), 1), MAX(id) IS NOT NULL) FROM {table}"
        )


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
        store_all_rotas()
        _budget(w, rng, want, projects, people)
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
    # The demo's coordinator and treasurer claim too, so their "Your claims" lists are full;
    # the treasurer pays, and nobody decides on or pays their own claim (four eyes).
    demo = dict(
        Person.select(Person.display_name, Person.id).where(
            Person.display_name.in_(("Kim (coördinatie)", "Rik (penningmeester)"))
        ).tuples()
    )  # fmt: skip
    claimants = people + list(demo.values()) * max(1, len(people) // 50)
    treasurer = demo.get("Rik (penningmeester)", people[0])

    def other_than(person):
        while True:
            chosen = rng.choice(people)
            if chosen != person:
                return chosen
    for _ in range(want["claims"]):
        number = rng.choice(numbers)
        post, sub = rng.choice(lines_of_year[number])
        cents = rng.randint(250, 20_000)
        status = rng.choice(statuses)
        spent, dates = _claim_dates(rng, number, status)
        claimant = rng.choice(claimants)
        decider = other_than(claimant) if dates["decided_at"] else None
        payer = (treasurer if claimant != treasurer else other_than(claimant)) if (
            status == "paid") else None  # fmt: skip
        claims.append(
            (claim_id, claimant, sub, "other", cents, spent, "Onkosten", status,
             dates["created_at"], decider, dates["decided_at"], payer, dates["paid_at"],
             dates["withdrawn_at"])
        )  # fmt: skip
        if status == "paid":
            paid_entries.append(
                (entry_id, spent, post, sub, "Onkosten", -cents, "reimbursement",
                 rng.choice(people), claim_id)
            )  # fmt: skip
            entry_id += 1
        claim_id += 1
    w.write(
        c, [c.id, c.claimant, c.sub_budget, c.kind, c.amount_cents, c.spent_on, c.description,
            c.status, c.created_at, c.decided_by, c.decided_at, c.paid_by, c.paid_at,
            c.withdrawn_at], claims,
    )  # fmt: skip
    w.ledger(fields, paid_entries)
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
            w.ledger(fields, batch)
            batch = []
    w.ledger(fields, batch)


def _claim_dates(rng, number: int, status: str) -> tuple[dt.date, dict]:
    """The day the costs were made (in the budget's year, at least a month ago when the year
    allows) and the moments a claim in `status` went through: submitted up to 10 days later,
    decided (approved, paid, rejected) up to 10 days after that, paid up to 10 days after
    that, withdrawn up to 10 days after submitting; never after now."""
    last = min(dt.date(number, 12, 28), today() - dt.timedelta(days=31))
    first = dt.date(number, 1, 1)
    spent = first + dt.timedelta(days=rng.randrange(max(1, (last - first).days + 1)))
    moment = dt.datetime.combine(spent, dt.time(9))

    def later(start):
        return min(now(), start + dt.timedelta(minutes=rng.randrange(60, 10 * 24 * 60)))

    created = later(moment)
    decided = later(created) if status in ("approved", "paid", "rejected") else None
    return spent, {
        "created_at": created,
        "decided_at": decided,
        "paid_at": later(decided) if status == "paid" else None,
        "withdrawn_at": later(created) if status == "withdrawn" else None,
    }


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
    parser.add_argument("--no-check", action="store_true", help="leave out bench/check.py")
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
            f"{v:,} {k}" for k, v in made.items()), flush=True)  # fmt: skip
    database.close()
    if args.no_check:
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
