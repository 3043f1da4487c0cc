"""The budget's tables: years, posts, sub-budgets, claims, the append-only ledger, planned
changes and imported ledger files, with their queries as classmethods.

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

from peewee import (
    JOIN,
    BigIntegerField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
    fn,
)

from models.budget.receipt_store import ReceiptFile
from models.clock import now, today
from models.db import BaseModel
from models.meetings.tables import AgendaItem, Meeting, Proposal
from models.organisation import Project
from models.person import Person
from models.rules.errors import RuleError
from models.sql_once import Prepared, Shaped, Slot

ENTRY_KINDS = ("income", "spending", "reimbursement", "reversal")
CLAIM_KINDS = ("travel_public", "travel_km", "printing", "phone", "childcare", "other")
CLAIM_STATUSES = ("submitted", "approved", "paid", "rejected", "withdrawn")
PLAN_STATUSES = ("proposed", "applied", "rejected", "withdrawn")
MAX_KM = 5000


class BudgetError(RuleError):
    """A booking the rules refuse; ``str()`` is one plain English sentence."""


class BudgetYear(BaseModel):
    """A calendar year with a plan."""

    year = IntegerField(unique=True)

    @classmethod
    def latest(cls) -> BudgetYear | None:
        """The latest year that has a plan."""
        return _LATEST_YEAR.first()

    @classmethod
    def numbered(cls, number: int | None) -> BudgetYear | None:
        """The year with this number, when it has a plan."""
        return None if number is None else _YEAR.first(number=number)

    @classmethod
    def asked_or_latest(cls, number: int | None) -> BudgetYear | None:
        """The year asked for when it has a plan, else the latest year (the budget page)."""
        return cls.numbered(number) or cls.latest()

    @classmethod
    def of_claims(cls) -> BudgetYear | None:
        """This calendar year (claims are for costs made now), else the latest plan."""
        return cls.numbered(today().year) or cls.latest()

    @classmethod
    def numbers(cls) -> list[int]:
        """Every year with a plan, oldest first."""
        return [y for (y,) in _YEARS.rows()]


class Post(BaseModel):
    """A budget post (begrotingspost) of a year, with its planned amount."""

    year = ForeignKeyField(BudgetYear, backref="posts", on_delete="RESTRICT")
    name = CharField(max_length=120)
    planned_cents = BigIntegerField(default=0)

    class Meta:
        indexes = ((("year", "name"), True),)

    @classmethod
    def with_year(cls, post_id: int) -> Post | None:
        """The post with its year, in one query."""
        return cls.select(cls, BudgetYear).join(BudgetYear).where(cls.id == post_id).first()

    @classmethod
    def name_taken(cls, year: BudgetYear, name: str) -> bool:
        return cls.select().where((cls.year == year) & (cls.name == name)).exists()


class SubBudget(BaseModel):
    """A part of a post (deelbudget) with its own planned amount, project and manager."""

    post = ForeignKeyField(Post, backref="sub_budgets", on_delete="RESTRICT")
    name = CharField(max_length=120)
    planned_cents = BigIntegerField(default=0)
    project = ForeignKeyField(Project, null=True, on_delete="SET NULL")
    manager = ForeignKeyField(Person, null=True, on_delete="SET NULL", index=True)

    class Meta:
        indexes = ((("post", "name"), True),)

    @classmethod
    def with_post(cls, sub_id: int) -> SubBudget | None:
        """The sub-budget with its post, year and project, in one query."""
        return (
            cls.select(cls, Post, BudgetYear, Project.id, Project.name)
            .join(Post)
            .join(BudgetYear)
            .switch(cls)
            .join(Project, JOIN.LEFT_OUTER, on=(cls.project == Project.id))
            .where(cls.id == sub_id)
            .first()
        )

    @classmethod
    def any_managed_by(cls, person_id: int | None) -> bool:
        """True when the person manages at least one sub-budget."""
        return person_id is not None and _MANAGES.scalar(person=person_id) is not None

    @classmethod
    def name_taken(cls, post: Post, name: str) -> bool:
        return cls.select().where((cls.post == post) & (cls.name == name)).exists()

    @classmethod
    def of_year(cls, year: BudgetYear) -> list[tuple[int, str, str]]:
        """(id, name, post name) of the year's sub-budgets, by post and name."""
        return _SUBS_OF_YEAR.rows(year=year.id)


# The small queries of every budget page, their SQL built once (models/sql_once.py).
_LATEST_YEAR = Prepared(lambda: BudgetYear.select().order_by(BudgetYear.year.desc()).limit(1))
_YEAR = Prepared(lambda: BudgetYear.select().where(BudgetYear.year == Slot("number")).limit(1))
_YEARS = Prepared(lambda: BudgetYear.select(BudgetYear.year).order_by(BudgetYear.year).tuples())
_MANAGES = Prepared(
    lambda: SubBudget.select(SubBudget.id).where(SubBudget.manager == Slot("person")).limit(1)
)
_SUBS_OF_YEAR = Prepared(
    lambda: (
        SubBudget.select(SubBudget.id, SubBudget.name, Post.name)
        .join(Post)
        .where(Post.year == Slot("year"))
        .order_by(Post.name, SubBudget.name)
        .tuples()
    )
)


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
    status = CharField(max_length=10, default="submitted", index=True)  # CLAIM_STATUSES
    reason = TextField(default="")
    decided_by = ForeignKeyField(Person, null=True, on_delete="SET NULL")
    created_at = DateTimeField(default=now)
    decided_at = DateTimeField(null=True)
    paid_by = ForeignKeyField(Person, null=True, on_delete="SET NULL")
    paid_at = DateTimeField(null=True)
    withdrawn_at = DateTimeField(null=True)

    class Meta:
        # The claims page's lists, each a range in its own order (migration 0014): a
        # person's claims newest first, those waiting oldest first, those to pay by decision.
        indexes = (
            (("claimant", "created_at", "id"), False),
            (("status", "created_at", "id"), False),
            (("status", "decided_at", "id"), False),
        )

    @classmethod
    def with_names(cls, claim_id: int) -> Claim | None:
        """The claim with its sub-budget (name, manager), its claimant and its decider (or
        None): everything its page and its access rules read, in one query."""
        Claimant = Person.alias()
        Decider = Person.alias()
        return (
            cls.select(
                cls,
                SubBudget.id,
                SubBudget.name,
                SubBudget.manager,
                Claimant.id,
                Claimant.display_name,
                Decider.id,
                Decider.display_name,
            )  # fmt: skip
            .join(SubBudget, on=(cls.sub_budget == SubBudget.id))
            .switch(cls)
            .join(Claimant, on=(cls.claimant == Claimant.id))
            .switch(cls)
            .join(Decider, JOIN.LEFT_OUTER, on=(cls.decided_by == Decider.id))
            .where(cls.id == claim_id)
            .first()
        )

    @classmethod
    def listed(cls):
        """Claims with their sub-budget (name, manager) and claimant, for the lists: of the
        claim what the lists show and are ordered by (a whole claim per row was most of
        reading a page of them)."""
        Claimant = Person.alias()
        return (
            cls.select(
                *(cls.id, cls.description, cls.amount_cents, cls.status, cls.created_at),
                *(cls.decided_at, cls.claimant, cls.sub_budget),
                *(SubBudget.name, SubBudget.manager, Claimant.id, Claimant.display_name),
            )
            .join(SubBudget, on=(cls.sub_budget == SubBudget.id))
            .switch(cls)
            .join(Claimant, on=(cls.claimant == Claimant.id))
        )


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
        # The ledger lines of a sub-budget and of a post itself, newest first, read in index
        # order whatever the statistics say (with ANALYZE, SQLite used to read the whole date
        # index). The second also covers the summary's grouped sums (kind and amount at its
        # end: read from the index alone). tests/budget/test_ledger_plan.py checks the plans.
        indexes = (
            (("sub_budget", "date", "id"), False),
            (("post", "sub_budget", "date", "id", "kind", "amount_cents"), False),
        )

    @classmethod
    def with_manager(cls, entry_id: int) -> LedgerEntry | None:
        """The entry with its sub-budget's manager (`manager_ref`) and its post's year
        (`year_number`): what its access rules and the correction read, one query."""
        return (
            cls.select(
                cls,
                SubBudget.manager.alias("manager_ref"),
                BudgetYear.year.alias("year_number"),
            )
            .join(Post, on=(cls.post == Post.id))
            .join(BudgetYear, on=(Post.year == BudgetYear.id))
            .switch(cls)
            .join(SubBudget, JOIN.LEFT_OUTER, on=(cls.sub_budget == SubBudget.id))
            .where(cls.id == entry_id)
            .objects()
            .first()
        )

    @classmethod
    def is_corrected(cls, entry_id: int) -> bool:
        return cls.select().where(cls.reverses == entry_id).exists()

    @classmethod
    def id_of_claim(cls, claim_id: int) -> int | None:
        """The reimbursement entry booked when the claim was paid."""
        return cls.select(cls.id).where(cls.claim == claim_id).scalar()


class LedgerTotal(BaseModel):
    """The kept money of one line of the budget: a post's own entries (`sub` 0) or one
    sub-budget's (`sub` its id). Written in the same transaction as each entry, only by
    models/budget/totals.py, so the summary reads these few rows instead of summing the
    ledger; `tafel recount` rebuilds them from the ledger. `spent_cents` and
    `received_cents` follow the signs above (spent positive, received as booked)."""

    post = ForeignKeyField(Post, on_delete="RESTRICT")
    # A sub-budget's id, or 0 for the post itself: a NOT NULL key, so (post, sub) is unique
    # and an upsert finds its row (UNIQUE treats NULLs as different).
    sub = BigIntegerField(default=0)
    spent_cents = BigIntegerField(default=0)
    received_cents = BigIntegerField(default=0)
    entries = IntegerField(default=0)

    class Meta:
        indexes = ((("post", "sub"), True),)


# Who proposed, approved and rejected a planned change (PlannedChange's fields).
PEOPLE_OF_CHANGE = ("proposed_by", "approved_by", "rejected_by")


class PlannedChange(BaseModel):
    """A change of a planned amount, backed by a decision in a meeting's register (PRODUCT.md
    "Budget", co-decide): applied at once by an organisation coordinator, or proposed by the
    treasurer and then approved or rejected (with a reason) by a coordinator."""

    post = ForeignKeyField(Post, on_delete="RESTRICT")
    sub_budget = ForeignKeyField(SubBudget, null=True, on_delete="RESTRICT")
    old_cents = BigIntegerField()
    new_cents = BigIntegerField()
    # Free text from before changes picked a decision from the register, kept for history
    # (and "budget.csv" for amounts set by importing a budget file).
    written_decision = TextField(column_name="decision", default="")
    decision = ForeignKeyField(Proposal, null=True, on_delete="SET NULL", column_name="decision_id")
    proposed_by = ForeignKeyField(Person, null=True, on_delete="SET NULL")
    approved_by = ForeignKeyField(Person, null=True, on_delete="SET NULL")
    rejected_by = ForeignKeyField(Person, null=True, on_delete="SET NULL")
    reason = TextField(default="")  # why a coordinator rejected the proposal
    status = CharField(max_length=10, default="applied")  # PLAN_STATUSES
    created_at = DateTimeField(default=now)
    applied_at = DateTimeField(null=True)
    rejected_at = DateTimeField(null=True)

    @classmethod
    def numbered(cls, change_id: int) -> PlannedChange | None:
        return cls.get_or_none(cls.id == change_id)

    @classmethod
    def with_names(cls):
        """Changes with their post and sub-budget names, who proposed, approved and rejected
        them, and the decision with its agenda item, meeting and project (one query)."""
        left = JOIN.LEFT_OUTER
        query = (
            cls.select(cls, Post.id, Post.name, SubBudget.id, SubBudget.name)
            .join_from(cls, Post, on=(cls.post == Post.id), attr="post")
            .join_from(cls, SubBudget, left, on=(cls.sub_budget == SubBudget.id),
                       attr="sub_budget")
        )  # fmt: skip
        for attr in ("proposed_by", "approved_by", "rejected_by"):
            who = Person.alias()
            query = query.select_extend(who.id, who.display_name, who.erased_at).join_from(
                cls, who, left, on=(getattr(cls, attr) == who.id), attr=attr
            )
        return cls._with_decision(query)

    @classmethod
    def _with_decision(cls, query):
        """`query` (of changes) with the decision, its agenda item, meeting and project."""
        left = JOIN.LEFT_OUTER
        return (
            query.select_extend(Proposal.id, Proposal.project, Proposal.text, Proposal.outcome,
                                Proposal.decided_on, AgendaItem.id, AgendaItem.title,
                                Meeting.id, Meeting.date, Project.id, Project.name)
            .join_from(cls, Proposal, left, on=(cls.decision == Proposal.id), attr="decision")
            .join_from(Proposal, AgendaItem, left, on=(Proposal.agenda_item == AgendaItem.id),
                       attr="agenda_item")
            .join_from(AgendaItem, Meeting, left, on=(AgendaItem.meeting == Meeting.id),
                       attr="meeting")
            .join_from(Proposal, Project, left, on=(Proposal.project == Project.id),
                       attr="project")
        )  # fmt: skip

    @classmethod
    def with_decision(cls):
        """Changes with the decision (as `with_names`) and the names of who proposed,
        approved and rejected them as subqueries in the select (`proposed_by_name` …; see
        `named_people`), without the post and sub-budget, which a post's or sub-budget's
        page has already. Ten tables joined took PostgreSQL 2 ms to plan, five 0.6 ms
        (bench/README.md, fourth round)."""
        query = cls.select(cls)
        for attr in PEOPLE_OF_CHANGE:
            who = Person.alias()
            query = query.select_extend(
                who.select(who.display_name)
                .where(who.id == getattr(cls, attr))
                .alias(f"{attr}_name")
            )
        return cls._with_decision(query)

    @staticmethod
    def named_people(changes: list) -> list:
        """The rows of `with_decision` with `proposed_by`, `approved_by` and `rejected_by`
        a Person with id and name where the change has one."""
        for change in changes:
            for attr in PEOPLE_OF_CHANGE:
                person_id = getattr(change, f"{attr}_id")
                if person_id is not None:
                    name = getattr(change, f"{attr}_name")
                    setattr(change, attr, Person(id=person_id, display_name=name))
        return changes

    @classmethod
    def waiting(cls) -> list[PlannedChange]:
        """Proposals waiting for a coordinator, oldest first, at most 30, with their names and
        decisions (one query)."""
        return _WAITING.rows()

    @classmethod
    def lately_rejected(cls) -> list[PlannedChange]:
        """The latest 5 proposals a coordinator rejected, newest first (one query)."""
        return _REJECTED.rows()

    @classmethod
    def history(cls, post_id: int, sub_id: int | None) -> list[PlannedChange]:
        """The latest 10 changes of a post's own planned amount (`sub_id` None) or of a
        sub-budget's, newest first, in every state (one query)."""
        if sub_id:
            rows = _HISTORY(sub=True).rows(post=post_id, sub=sub_id)
        else:
            rows = _HISTORY(sub=False).rows(post=post_id)
        return cls.named_people(rows)


# The planned changes' queries join eight tables: their SQL is built once (models/sql_once.py;
# building it was a quarter of /budget's CPU).
_WAITING = Prepared(
    lambda: (
        PlannedChange.with_names()
        .where(PlannedChange.status == "proposed")
        .order_by(PlannedChange.created_at, PlannedChange.id)
        .limit(30)
    )
)
_REJECTED = Prepared(
    lambda: (
        PlannedChange.with_names()
        .where(PlannedChange.status == "rejected")
        .order_by(PlannedChange.rejected_at.desc(), PlannedChange.id.desc())
        .limit(5)
    )
)


def _history(sub: bool):
    c = PlannedChange
    where = c.sub_budget == Slot("sub") if sub else c.sub_budget.is_null()
    return (
        c.with_decision()
        .where((c.post == Slot("post")) & where)
        .order_by(c.created_at.desc(), c.id.desc())
        .limit(10)
    )


_HISTORY = Shaped(_history)


class LedgerImport(BaseModel):
    """A ledger file imported once: the hash of its text and the hash of its rows as read
    (models/budget/exchange.py) refuse a second import, also of a file saved again by a
    spreadsheet. Imports from before the rows were hashed have only the first."""

    content_hash = CharField(max_length=64, unique=True)
    rows_hash = CharField(max_length=64, null=True, unique=True)
    file_name = CharField(max_length=200, default="")
    entries = IntegerField(default=0)
    imported_at = DateTimeField(default=now)

    @classmethod
    def seen(cls, digest: str) -> bool:
        return cls.select().where(cls.content_hash == digest).exists()

    @classmethod
    def last_id(cls) -> int:
        """The id of the latest import (0 before the first): ledger imports commit one after
        the other (models/budget/exchange.py `one_file_import_at_a_time`), so a higher id
        means a file was imported since."""
        return cls.select(fn.MAX(cls.id)).scalar() or 0

    @classmethod
    def rows_seen(cls, digest: str) -> bool:
        return cls.select().where(cls.rows_hash == digest).exists()

    @classmethod
    def latest(cls, limit: int = 10) -> list[LedgerImport]:
        return list(cls.select().order_by(cls.imported_at.desc()).limit(limit))


# In dependency order: what migrations build.
MODELS = [
    BudgetYear, Post, SubBudget, Claim, LedgerEntry, LedgerTotal, PlannedChange, LedgerImport,
    ReceiptFile,
]  # fmt: skip
