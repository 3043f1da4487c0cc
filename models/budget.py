"""The transparent budget: years, posts, sub-budgets, an append-only ledger and claims.

Money is integer cents everywhere (PRODUCT.md "Budget"). Ledger entries are never updated or
deleted: a correction is a reversal entry pointing at the original (at most one reversal per
entry, enforced by a UNIQUE column; a reversal itself cannot be reversed).

Signs (DATA-EXCHANGE.md "Budget files"): income is positive; spending and reimbursement are
negative; a reversal is the original's amount negated. So, without any join:
  received = SUM(amount) of income entries and of reversals with a negative amount,
  spent    = -SUM(amount) of spending/reimbursement entries and reversals with a positive amount,
  remaining = planned + SUM(amount) = planned - spent + received.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from peewee import (
    JOIN,
    BigIntegerField,
    Case,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
    fn,
)

from models.clock import now
from models.db import BaseModel
from models.organisation import Project
from models.person import Person
from models.rules.errors import RuleError

ENTRY_KINDS = ("income", "spending", "reimbursement", "reversal")
CLAIM_KINDS = ("travel_public", "travel_km", "printing", "phone", "childcare", "other")
CLAIM_STATUSES = ("submitted", "approved", "paid", "rejected", "withdrawn")
MAX_KM = 5000


class BudgetError(RuleError):
    """A booking the rules refuse; ``str()`` is one plain English sentence."""


class BudgetYear(BaseModel):
    """A calendar year with a plan."""

    year = IntegerField(unique=True)


class Post(BaseModel):
    """A budget post (begrotingspost) of a year, with its planned amount."""

    year = ForeignKeyField(BudgetYear, backref="posts", on_delete="RESTRICT")
    name = CharField(max_length=120)
    planned_cents = BigIntegerField(default=0)

    class Meta:
        indexes = ((("year", "name"), True),)


class SubBudget(BaseModel):
    """A part of a post (deelbudget) with its own planned amount, project and manager."""

    post = ForeignKeyField(Post, backref="sub_budgets", on_delete="RESTRICT")
    name = CharField(max_length=120)
    planned_cents = BigIntegerField(default=0)
    project = ForeignKeyField(Project, null=True, on_delete="SET NULL")
    manager = ForeignKeyField(Person, null=True, on_delete="SET NULL", index=True)

    class Meta:
        indexes = ((("post", "name"), True),)


class Claim(BaseModel):
    """A member asking costs back: submitted → approved → paid, or rejected / withdrawn."""

    claimant = ForeignKeyField(Person, on_delete="RESTRICT", index=True)
    sub_budget = ForeignKeyField(SubBudget, on_delete="RESTRICT")
    kind = CharField(max_length=16)
    km = IntegerField(null=True)
    amount_cents = BigIntegerField()
    spent_on = DateField()
    description = TextField(default="")
    receipt = CharField(max_length=80, null=True)
    status = CharField(max_length=10, default="submitted", index=True)
    reason = TextField(default="")
    decided_by = ForeignKeyField(Person, null=True, on_delete="SET NULL")
    created_at = DateTimeField(default=now)
    decided_at = DateTimeField(null=True)
    paid_by = ForeignKeyField(Person, null=True, on_delete="SET NULL")
    paid_at = DateTimeField(null=True)
    withdrawn_at = DateTimeField(null=True)


class LedgerEntry(BaseModel):
    """One booking. Never updated or deleted; corrected by a reversal entry."""

    date = DateField(index=True)
    post = ForeignKeyField(Post, on_delete="RESTRICT")
    sub_budget = ForeignKeyField(SubBudget, null=True, on_delete="RESTRICT")
    description = TextField(default="")
    amount_cents = BigIntegerField()
    kind = CharField(max_length=14)
    reverses = ForeignKeyField("self", null=True, unique=True, on_delete="RESTRICT")
    booked_by = ForeignKeyField(Person, null=True, on_delete="SET NULL")
    booked_at = DateTimeField(default=now)
    receipt = CharField(max_length=80, null=True)
    claim = ForeignKeyField(Claim, null=True, unique=True, on_delete="RESTRICT")

    class Meta:
        # Covers the summary's grouped sums: they are read from this index alone
        # (bench/budget.py: a year of 100,000 entries in about 60 ms on SQLite).
        indexes = ((("post", "sub_budget", "kind", "amount_cents"), False),)


class PlannedChange(BaseModel):
    """A change of a planned amount: with a meeting decision, or approved by a coordinator."""

    post = ForeignKeyField(Post, on_delete="RESTRICT")
    sub_budget = ForeignKeyField(SubBudget, null=True, on_delete="RESTRICT")
    old_cents = BigIntegerField()
    new_cents = BigIntegerField()
    decision = TextField(default="")
    proposed_by = ForeignKeyField(Person, null=True, on_delete="SET NULL")
    approved_by = ForeignKeyField(Person, null=True, on_delete="SET NULL")
    status = CharField(max_length=10, default="applied")  # proposed, applied, withdrawn
    created_at = DateTimeField(default=now)
    applied_at = DateTimeField(null=True)


class LedgerImport(BaseModel):
    """A ledger file imported once: its content hash refuses a second import."""

    content_hash = CharField(max_length=64, unique=True)
    file_name = CharField(max_length=200, default="")
    entries = IntegerField(default=0)
    imported_at = DateTimeField(default=now)


# --- the summary ------------------------------------------------------------------------


@dataclass
class Totals:
    """Planned, spent, received and remaining of a line, in cents."""

    planned: int = 0
    spent: int = 0
    received: int = 0

    @property
    def remaining(self) -> int:
        return self.planned - self.spent + self.received

    @property
    def used_percent(self) -> int:
        """How much of what is available is spent, 0..100, for the bar (integers only)."""
        available = self.planned + self.received
        if available <= 0:
            return 100 if self.spent > 0 else 0
        return max(0, min(100, self.spent * 100 // available))

    def add_money(self, other: Totals) -> None:
        self.spent += other.spent
        self.received += other.received


@dataclass
class SubLine:
    sub: SubBudget
    totals: Totals


@dataclass
class PostLine:
    post: Post
    own: Totals  # the post's own entries (booked without a sub-budget)
    totals: Totals  # the whole post: own planned amount, all its money
    subs: list[SubLine] = field(default_factory=list)

    @property
    def sub_planned(self) -> int:
        return sum(line.sub.planned_cents for line in self.subs)

    @property
    def overplanned(self) -> bool:
        return self.sub_planned > self.post.planned_cents


@dataclass
class Summary:
    year: BudgetYear | None
    posts: list[PostLine]
    total: Totals


def _received_expr():
    e = LedgerEntry
    return fn.COALESCE(
        fn.SUM(
            Case(
                None,
                [
                    (
                        (e.kind == "income") | ((e.kind == "reversal") & (e.amount_cents < 0)),
                        e.amount_cents,
                    )
                ],
                0,
            )
        ),
        0,
    )


def _spent_expr():
    e = LedgerEntry
    return fn.COALESCE(
        fn.SUM(
            Case(
                None,
                [
                    (
                        (e.kind << ["spending", "reimbursement"])
                        | ((e.kind == "reversal") & (e.amount_cents > 0)),
                        e.amount_cents,
                    )
                ],
                0,
            )
        ),
        0,
    )


def money_by_line(year: BudgetYear) -> dict[tuple[int, int | None], Totals]:
    """(post id, sub-budget id or None) → money totals of the year, in one grouped query."""
    e = LedgerEntry
    query = (
        e.select(e.post, e.sub_budget, _spent_expr().alias("out"), _received_expr().alias("inn"))
        .join(Post, on=(e.post == Post.id))
        .where(Post.year == year.id)
        .group_by(e.post, e.sub_budget)
        .tuples()
    )
    return {
        (post_id, sub_id): Totals(spent=-int(out), received=int(inn))
        for post_id, sub_id, out, inn in query
    }


def latest_year() -> BudgetYear | None:
    """The latest year that has a plan."""
    return BudgetYear.select().order_by(BudgetYear.year.desc()).first()


def summary(year: BudgetYear | None) -> Summary:
    """The whole year per post and sub-budget, in four queries whatever the size."""
    if year is None:
        return Summary(None, [], Totals())
    posts = list(Post.select().where(Post.year == year.id).order_by(Post.name))
    Manager = Person.alias()
    subs = list(
        SubBudget.select(SubBudget, Project.id, Project.name, Manager.id, Manager.display_name)
        .join(Post, on=(SubBudget.post == Post.id))
        .switch(SubBudget)
        .join(Project, join_type=JOIN.LEFT_OUTER, on=(SubBudget.project == Project.id))
        .switch(SubBudget)
        .join(Manager, join_type=JOIN.LEFT_OUTER, on=(SubBudget.manager == Manager.id))
        .where(Post.year == year.id)
        .order_by(SubBudget.name)
    )
    money = money_by_line(year)
    lines = {}
    total = Totals()
    for post in posts:
        own = Totals()
        own.add_money(money.get((post.id, None), Totals()))
        whole = Totals(planned=post.planned_cents)
        whole.add_money(own)
        lines[post.id] = PostLine(post, own, whole)
        total.planned += post.planned_cents
    for sub in subs:
        totals = Totals(planned=sub.planned_cents)
        totals.add_money(money.get((sub.post_id, sub.id), Totals()))
        line = lines[sub.post_id]
        line.subs.append(SubLine(sub, totals))
        line.totals.add_money(totals)
    for line in lines.values():
        total.add_money(line.totals)
    return Summary(year, list(lines.values()), total)


# --- booking --------------------------------------------------------------------------------


def check_sign(kind: str, amount_cents: int) -> None:
    """Income is positive, spending and reimbursement negative; never zero."""
    if isinstance(amount_cents, bool) or not isinstance(amount_cents, int):
        raise TypeError("Money is integer cents.")
    if kind not in ENTRY_KINDS:
        raise BudgetError("Choose income, spending, reimbursement or reversal.")
    if amount_cents == 0:
        raise BudgetError("An amount of zero cannot be booked.")
    if kind == "income" and amount_cents < 0:
        raise BudgetError("Income is money in: write it as a positive amount.")
    if kind in ("spending", "reimbursement") and amount_cents > 0:
        raise BudgetError("Spending is money out: write it as a negative amount.")


def book(
    *,
    date,
    post: Post,
    sub_budget: SubBudget | None,
    description: str,
    amount_cents: int,
    kind: str,
    booked_by: int | None,
    receipt: str | None = None,
    claim: Claim | None = None,
) -> LedgerEntry:
    """Add an entry (call inside a transaction). Reversals go through `reverse`."""
    if kind == "reversal":
        raise BudgetError("A correction is made from the entry it corrects.")
    check_sign(kind, amount_cents)
    if sub_budget is not None and sub_budget.post_id != post.id:
        raise BudgetError("This sub-budget belongs to another post.")
    return LedgerEntry.create(
        date=date,
        post=post,
        sub_budget=sub_budget,
        description=description,
        amount_cents=amount_cents,
        kind=kind,
        booked_by=booked_by,
        receipt=receipt,
        claim=claim,
    )


def reverse(original: LedgerEntry, *, date, description: str, booked_by: int | None):
    """A reversal of `original` (call inside a transaction): once only, never of a reversal."""
    if original.kind == "reversal":
        raise BudgetError(
            "This entry is itself a correction and cannot be corrected again; "
            "book a new entry instead."
        )
    if LedgerEntry.select().where(LedgerEntry.reverses == original.id).exists():
        raise BudgetError("This entry has already been corrected.")
    return LedgerEntry.create(
        date=date,
        post=original.post_id,
        sub_budget=original.sub_budget_id,
        description=description,
        amount_cents=-original.amount_cents,
        kind="reversal",
        reverses=original.id,
        booked_by=booked_by,
    )


def claim_amount(kind: str, km: int | None, amount_cents: int | None, rate_cents: int) -> int:
    """What a claim is worth in cents: km × the organisation's rate for travel by car or bike."""
    if kind == "travel_km":
        if km is None or km <= 0 or km > MAX_KM:
            raise BudgetError("Write the number of kilometres, a whole number above zero.")
        return km * rate_cents
    if amount_cents is None or amount_cents <= 0:
        raise BudgetError("Write the amount you paid, above zero.")
    return amount_cents
