"""A realistic budget year for the demo organisation: posts, sub-budgets run by volunteers,
a ledger with a few corrections, and claims in every state.

Idempotent: years, posts and sub-budgets are found by name; a sub-budget (or post) that
already has entries or claims gets none added. With scale N, copy N of the projects gets its
own sub-budgets ("Papier en inkt 3"), all under the same posts.
"""

import datetime as dt

from models.budget import BudgetYear, Claim, LedgerEntry, PlannedChange, Post, SubBudget
from models.budget.totals import add_entries, add_entry
from models.clock import now, today
from models.meetings.register import decisions_for_budget
from models.organisation import Organisation, Project
from models.person import Person
from seeds.common import PROJECTS, copy_name

# post name, planned cents per copy of the organisation
POSTS = [
    ("Materialen", 600_000),
    ("Huur", 1_200_000),
    ("Reiskosten en onkosten", 300_000),
    ("Cursussen", 400_000),
]

# post, sub-budget, planned cents, project index or None, manager
SUB_BUDGETS = [
    ("Materialen", "Papier en inkt", 50_000, 0, "Anouk B."),
    ("Materialen", "Gereedschap", 150_000, 2, "Roos"),
    ("Materialen", "Computers en printers", 250_000, 1, "Mo"),
    ("Reiskosten en onkosten", "Reiskosten vrijwilligers", 200_000, None, "Anouk B."),
    ("Cursussen", "Cursus redactie", 120_000, 0, "Carla V."),
    ("Cursussen", "Cursus fietstechniek", 150_000, 2, "Quinten"),
]

# sub-budget (None: the post itself), post, day of the year, description, cents, kind
ENTRIES = [
    ("Papier en inkt", "Materialen", 12, "Printpapier A4, 10 pakken", -4_590, "spending"),
    ("Papier en inkt", "Materialen", 40, "Inktpatronen voor de printer", -8_995, "spending"),
    ("Papier en inkt", "Materialen", 75, "Drukwerk krant, eerste nummer", -21_000, "spending"),
    ("Papier en inkt", "Materialen", 130, "Verkoop boekjes op de markt", 6_500, "income"),
    ("Papier en inkt", "Materialen", 160, "Nietjes en enveloppen", -1_249, "spending"),
    ("Gereedschap", "Materialen", 20, "Sleutelset en bandenlichters", -12_450, "spending"),
    ("Gereedschap", "Materialen", 55, "Verkoop opgeknapte fietsen", 45_000, "income"),
    ("Gereedschap", "Materialen", 90, "Binnenbanden en remblokjes", -7_830, "spending"),
    ("Gereedschap", "Materialen", 140, "Montagestandaard", -18_900, "spending"),
    ("Computers en printers", "Materialen", 25, "Twee tweedehands laptops", -60_000, "spending"),
    ("Computers en printers", "Materialen", 100, "Printer voor het leslokaal", -24_999, "spending"),
    ("Cursus redactie", "Cursussen", 45, "Bijdrage fonds voor cursussen", 50_000, "income"),
    ("Cursus redactie", "Cursussen", 60, "Docent schrijfcursus, 4 lessen", -48_000, "spending"),
    ("Cursus fietstechniek", "Cursussen", 80, "Cursus fietstechniek, deel 1", -65_000, "spending"),
]
RENT_MONTHS = 6
RENT_CENTS = -95_000
# entries that get a correction: (sub-budget, description of the original)
REVERSED = [
    ("Papier en inkt", "Dubbel geboekt: inktpatronen", -8_995, 41),
    ("Gereedschap", "Verkeerd bedrag: kettingolie", -3_500, 95),
]

# claimant, sub-budget, kind, km, cents, days ago, description, status, reason
CLAIMS = [
    ("Bram", "Papier en inkt", "printing", None, 1_250, 3, "Kopieën voor de schrijfgroep",
     "submitted", ""),
    ("Priya", "Reiskosten vrijwilligers", "travel_km", 18, None, 2,
     "Fietsen ophalen bij de kringloop", "submitted", ""),
    ("Dewi", "Reiskosten vrijwilligers", "travel_public", None, 860, 6,
     "Bus naar de drukker", "approved", ""),
    ("Lina", "Reiskosten vrijwilligers", "travel_km", 42, None, 20,
     "Boeken wegbrengen naar de bibliotheek", "paid", ""),
    ("Yara", "Papier en inkt", "other", None, 3_500, 15, "Lunch bij de vergadering",
     "rejected", "Eten bij vergaderingen betalen we uit de koffiepot, niet uit dit budget."),
    ("Erik de M.", "Reiskosten vrijwilligers", "phone", None, 1_000, 10, "Beltegoed",
     "withdrawn", ""),
]  # fmt: skip


def _year(number: int) -> BudgetYear:
    year = BudgetYear.get_or_none(BudgetYear.year == number)
    return year or BudgetYear.create(year=number)


def seed_budget(scale: int) -> None:
    """The demo budget of this year, for every copy of the organisation."""
    org = Organisation.current()
    year = _year(today().year)
    start = dt.date(year.year, 1, 1)
    elapsed = max(0, (today() - start).days)

    def day(n: int) -> dt.date:
        return start + dt.timedelta(days=min(n, elapsed))

    posts = {}
    for name, planned in POSTS:
        post = Post.get_or_none((Post.year == year) & (Post.name == name))
        if post is None:
            post = Post.create(year=year, name=name, planned_cents=planned * scale)
        posts[name] = post
    projects = {p.name: p for p in Project.select()}
    people = {p.display_name: p for p in Person.select().where(Person.display_name.is_null(False))}
    treasurer = people.get("Rik (penningmeester)")
    existing = {(s.post_id, s.name): s for s in SubBudget.select()}
    used = {row[0] for row in LedgerEntry.select(LedgerEntry.sub_budget).distinct().tuples()}
    claimed = {row[0] for row in Claim.select(Claim.sub_budget).distinct().tuples()}

    rent = posts["Huur"]
    if not LedgerEntry.select().where(LedgerEntry.post == rent).exists():
        add_entries(
            [
                {
                    "date": day(31 * month + 1),
                    "post": rent,
                    "description": f"Huur ruimte, maand {month + 1}",
                    "amount_cents": RENT_CENTS * scale,
                    "kind": "spending",
                    "booked_by": treasurer,
                }
                for month in range(RENT_MONTHS)
            ]
        )

    for copy in range(1, scale + 1):
        subs = {}
        for post_name, name, planned, project_index, manager in SUB_BUDGETS:
            post = posts[post_name]
            sub_name = copy_name(name, copy)
            sub = existing.get((post.id, sub_name))
            if sub is None:
                project = (
                    projects.get(copy_name(PROJECTS[project_index][0], copy))
                    if project_index is not None
                    else None
                )
                sub = SubBudget.create(
                    post=post,
                    name=sub_name,
                    planned_cents=planned,
                    project=project,
                    manager=people.get(copy_name(manager, copy)),
                )
            subs[name] = sub
        rows = []
        for sub_name, post_name, n, description, cents, kind in ENTRIES:
            sub = subs[sub_name]
            if sub.id in used:
                continue
            rows.append(
                {
                    "date": day(n),
                    "post": posts[post_name],
                    "sub_budget": sub,
                    "description": description,
                    "amount_cents": cents,
                    "kind": kind,
                    "booked_by": sub.manager_id or treasurer,
                }
            )
        if rows:
            add_entries(rows)
        for sub_name, description, cents, n in REVERSED:
            sub = subs[sub_name]
            if sub.id in used:
                continue
            original = add_entry(
                date=day(n),
                post=sub.post_id,
                sub_budget=sub,
                description=description,
                amount_cents=cents,
                kind="spending",
                booked_by=sub.manager_id,
            )
            add_entry(
                date=day(n + 1),
                post=sub.post_id,
                sub_budget=sub,
                description=f"Correctie: {description.lower()}",
                amount_cents=-cents,
                kind="reversal",
                reverses=original,
                booked_by=sub.manager_id,
            )
        _seed_claims(copy, subs, people, claimed, org.km_rate_cents, treasurer)
        tools = subs["Gereedschap"]
        if (
            copy == 1
            and not PlannedChange.select().where(PlannedChange.sub_budget == tools).exists()
        ):
            # The treasurer proposes more for tools, backed by a decision of the project's
            # meeting; a coordinator still has to approve it.
            backing = decisions_for_budget(tools.project_id, limit=1)
            PlannedChange.create(
                decision=backing[0].id if backing else None,
                post=tools.post_id,
                sub_budget=tools,
                old_cents=tools.planned_cents,
                new_cents=tools.planned_cents + 30_000,
                proposed_by=treasurer,
                status="proposed",
            )


def _seed_claims(copy, subs, people, claimed, rate, treasurer) -> None:
    for name, sub_name, kind, km, cents, days_ago, description, status, reason in CLAIMS:
        sub = subs[sub_name]
        claimant = people.get(copy_name(name, copy))
        if sub.id in claimed or claimant is None:
            continue
        created = now() - dt.timedelta(days=days_ago)
        amount = km * rate if kind == "travel_km" else cents
        decided = created + dt.timedelta(hours=5) if status != "submitted" else None
        claim = Claim.create(
            claimant=claimant,
            sub_budget=sub,
            kind=kind,
            km=km,
            amount_cents=amount,
            spent_on=(created - dt.timedelta(days=1)).date(),
            description=description,
            status=status,
            reason=reason,
            created_at=created,
            decided_by=sub.manager_id if status in ("approved", "paid", "rejected") else None,
            decided_at=decided if status in ("approved", "paid", "rejected") else None,
            withdrawn_at=decided if status == "withdrawn" else None,
            paid_by=treasurer if status == "paid" else None,
            paid_at=created + dt.timedelta(hours=7) if status == "paid" else None,
        )
        if status == "paid":
            add_entry(
                date=claim.paid_at.date(),
                post=sub.post_id,
                sub_budget=sub,
                description=description,
                amount_cents=-amount,
                kind="reimbursement",
                booked_by=treasurer,
                claim=claim,
            )
