"""The year's summary: planned, spent, received and remaining per post and sub-budget, in four
queries whatever the size of the ledger (the signs are explained in models/budget/tables.py).
The money comes from the kept totals (models/budget/totals.py), not from summing the ledger."""

from __future__ import annotations

from dataclasses import dataclass, field

from peewee import JOIN, fn

from models.accounts import Account, Grant
from models.budget.tables import BudgetYear, LedgerTotal, Post, SubBudget
from models.budget.totals import kept_by_line
from models.organisation import Project
from models.paging import KeysetOnce, Page
from models.person import Person
from models.sql_once import Prepared, Shaped, Slot, in_size, in_slots, in_values


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


def money_by_line(year: BudgetYear, post_id: int | None = None) -> dict:
    """(post id, sub-budget id or None) → money totals of the year (or of one post): the
    kept totals (models/budget/totals.py), one query over the lines whatever the ledger's
    size."""
    return {
        line: Totals(spent=spent, received=received)
        for line, (spent, received, _entries) in kept_by_line(year.id, post_id).items()
    }


def latest_year() -> BudgetYear | None:
    """The latest year that has a plan."""
    return BudgetYear.latest()


def summary(year: BudgetYear | None, post_id: int | None = None) -> Summary:
    """The whole year per post and sub-budget, in three queries whatever the size of the
    ledger (budget-summary.csv); `post_id`: that post only (its page and its sub-budgets'
    pages: their cost does not grow with the year's other posts)."""
    if year is None:
        return Summary(None, [], Totals())
    one = post_id is not None
    posts = _POSTS(one=one).rows(year=year.id, post=post_id)
    subs = _SUBS(one=one).rows(year=year.id, post=post_id)
    money = money_by_line(year, post_id)
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


def _posts(one: bool):
    """The year's posts by name (`one`: only the post in the slot "post")."""
    posts = Post.select().where(Post.year == Slot("year")).order_by(Post.name)
    return posts.where(Post.id == Slot("post")) if one else posts


def _subs(one: bool):
    """The year's sub-budgets (`one`: of the post in the slot "post") by name, with their
    project's and manager's names."""
    Manager = Person.alias()
    of_year = Post.year == Slot("year")
    if one:
        of_year &= Post.id == Slot("post")
    return (
        SubBudget.select(SubBudget, Project.id, Project.name, Manager.id, Manager.display_name)
        .join(Post, on=(SubBudget.post == Post.id))
        .switch(SubBudget)
        .join(Project, join_type=JOIN.LEFT_OUTER, on=(SubBudget.project == Project.id))
        .switch(SubBudget)
        .join(Manager, join_type=JOIN.LEFT_OUTER, on=(SubBudget.manager == Manager.id))
        .where(of_year)
        .order_by(SubBudget.name)
    )


# The summary's SQL built once per shape (models/sql_once.py): the post's and sub-budget's
# pages read it on every request.
_POSTS, _SUBS = Shaped(_posts), Shaped(_subs)


# /budget (issue 23 point 6): the year's total, one page of posts with their totals and the
# viewer's own sub-budgets, each one query whatever the year holds; a post's sub-budgets are
# on the post's own page.
POSTS_PER_PAGE = 20
MINE_LIMIT = 20


@dataclass
class PostRow:
    """A post on /budget: its whole totals (own planned amount, the money of all its lines),
    what its sub-budgets plan together and how many it has."""

    post: Post
    totals: Totals
    sub_planned: int
    sub_count: int

    @property
    def overplanned(self) -> bool:
        return self.sub_planned > self.post.planned_cents


def _sum(column):
    return fn.COALESCE(fn.SUM(column), 0)


def year_total(year: BudgetYear) -> Totals:
    """The whole year: its posts' planned amounts and the money of all its lines (one query
    over the year's kept totals)."""
    spent, received, planned_cents = _YEAR_TOTAL.rows(year=year.id)[0]
    return Totals(planned=int(planned_cents), spent=int(spent), received=int(received))


def _year_total():
    t, planned_post = LedgerTotal, Post.alias()
    planned = planned_post.select(_sum(planned_post.planned_cents)).where(
        planned_post.year == Slot("year")
    )
    return (
        t.select(_sum(t.spent_cents), _sum(t.received_cents), planned)
        .join(Post, on=(t.post == Post.id))
        .where(Post.year == Slot("year"))
        .tuples()
    )


def _posts_with_money():
    t, s = LedgerTotal, SubBudget
    return Post.select(
        Post,
        t.select(_sum(t.spent_cents)).where(t.post == Post.id).alias("spent"),
        t.select(_sum(t.received_cents)).where(t.post == Post.id).alias("received"),
        s.select(_sum(s.planned_cents)).where(s.post == Post.id).alias("sub_planned"),
        s.select(fn.COUNT(s.id)).where(s.post == Post.id).alias("sub_count"),
    ).where(Post.year == Slot("year"))


# /budget's SQL built once (models/sql_once.py): building it was a third of the page's CPU.
_YEAR_TOTAL = Prepared(_year_total)
_POSTS_PAGE = KeysetOnce(_posts_with_money, lambda p: [p.name, p.id], Post, descending=False)


def posts_page(year: BudgetYear, *, after=None, before=None, size=POSTS_PER_PAGE) -> Page:
    """One page of the year's posts by name (keyset, models/paging.py), each a PostRow (one
    query: the money and the sub-budgets' sums per post as subqueries along their indexes)."""
    page = _POSTS_PAGE.page(year=year.id, after=after, before=before, size=size)
    page.rows = [
        PostRow(
            post,
            Totals(planned=post.planned_cents, spent=int(post.spent), received=int(post.received)),
            int(post.sub_planned),
            int(post.sub_count),
        )
        for post in page.rows
    ]
    return page


def _my_subs(projects: int, manager: bool):
    """The year's sub-budgets of `projects` projects (slots "project0", …) or managed by the
    person in the slot "person" (`manager`), with their totals."""
    mine = SubBudget.project.in_(in_slots("project", projects) if projects else [])
    if manager:
        mine |= SubBudget.manager == Slot("person")
    Manager, t = Person.alias(), LedgerTotal
    return (
        SubBudget.select(
            SubBudget, Project.id, Project.name, Manager.id, Manager.display_name,
            fn.COALESCE(t.spent_cents, 0).alias("spent"),
            fn.COALESCE(t.received_cents, 0).alias("received"),
        )
        .join(Post, on=(SubBudget.post == Post.id))
        .switch(SubBudget)
        .join(Project, join_type=JOIN.LEFT_OUTER, on=(SubBudget.project == Project.id))
        .switch(SubBudget)
        .join(Manager, join_type=JOIN.LEFT_OUTER, on=(SubBudget.manager == Manager.id))
        .switch(SubBudget)
        .join(t, join_type=JOIN.LEFT_OUTER,
              on=((t.post == SubBudget.post) & (t.sub == SubBudget.id)))
        .where((Post.year == Slot("year")) & mine)
        .order_by(SubBudget.name, SubBudget.id)
        .limit(MINE_LIMIT + 1)
    )  # fmt: skip


_MY_SUBS = Shaped(_my_subs)


def my_sub_lines(year: BudgetYear, project_ids: set, person_id: int | None) -> tuple:
    """The year's sub-budgets of these projects or managed by this person ("your
    sub-budgets"), by name, with their totals: (the first MINE_LIMIT, whether there are
    more), one query."""
    projects = sorted(project_ids)
    size = in_size(len(projects)) if projects else 0
    values = in_values("project", projects, size) if projects else {}
    query = _MY_SUBS(projects=size, manager=person_id is not None)
    rows = query.rows(year=year.id, person=person_id, **values)
    lines = [
        SubLine(sub, Totals(planned=sub.planned_cents, spent=int(sub.spent),
                            received=int(sub.received)))
        for sub in rows[:MINE_LIMIT]
    ]  # fmt: skip
    return lines, len(rows) > MINE_LIMIT


def treasurer_names() -> list[str]:
    """Display names of the treasurers, for the "Who may do what?" panel."""
    return [name for (name,) in _TREASURERS.rows() if name]


_TREASURERS = Prepared(
    lambda: (
        Person.select(Person.display_name)
        .join(Account)
        .join(Grant, on=(Grant.account == Account.id))
        .where(Grant.right == "treasurer")
        .tuples()
    )
)
