"""The bench's budget: years of posts and sub-budgets, the ledger (through the app's own
batch writer, which keeps the totals) and claims with the dates a real claim has."""

from __future__ import annotations

import datetime as dt

from bulk import YEARS, next_id

from models.budget import BudgetYear, Claim, LedgerEntry, Post, SubBudget
from models.clock import now, today
from models.person import Person

POSTS_PER_YEAR = 20
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


def budget(w, rng, want, projects, people) -> None:
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
