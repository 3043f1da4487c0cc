"""The year's summary: planned, spent, received and remaining per post and sub-budget, in four
queries whatever the size of the ledger (the signs are explained in models/budget/tables.py).
The money comes from the kept totals (models/budget/totals.py), not from summing the ledger."""

from __future__ import annotations

from dataclasses import dataclass, field

from peewee import JOIN

from models.accounts import Account, Grant
from models.budget.tables import BudgetYear, Post, SubBudget
from models.budget.totals import kept_by_line
from models.organisation import Project
from models.person import Person


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

    def post_line(self, post_id: int) -> PostLine:
        """The line of one post of this year."""
        return next(line for line in self.posts if line.post.id == post_id)

    def sub_line(self, sub_id: int) -> SubLine:
        """The line of one sub-budget of this year."""
        return next(s for line in self.posts for s in line.subs if s.sub.id == sub_id)

    def sub_lines_of(self, project_ids: set, person_id: int | None) -> list[SubLine]:
        """The sub-budgets of these projects or managed by this person ("your sub-budgets")."""
        return [
            sub
            for line in self.posts
            for sub in line.subs
            if sub.sub.project_id in project_ids or sub.sub.manager_id == person_id
        ]


def money_by_line(year: BudgetYear) -> dict[tuple[int, int | None], Totals]:
    """(post id, sub-budget id or None) → money totals of the year: the kept totals
    (models/budget/totals.py), one query over the year's lines whatever the ledger's size."""
    return {
        line: Totals(spent=spent, received=received)
        for line, (spent, received, _entries) in kept_by_line(year.id).items()
    }


def latest_year() -> BudgetYear | None:
    """The latest year that has a plan."""
    return BudgetYear.latest()


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


def treasurer_names() -> list[str]:
    """Display names of the treasurers, for the "Who may do what?" panel."""
    return [
        name
        for (name,) in Person.select(Person.display_name)
        .join(Account)
        .join(Grant, on=(Grant.account == Account.id))
        .where(Grant.right == "treasurer")
        .tuples()
        if name
    ]
