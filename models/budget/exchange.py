"""Budget files (DATA-EXCHANGE.md "Budget files"): budget.csv in, ledger.csv and
budget-summary.csv out (ledger.csv in is models/budget/ledger_file.py). One implementation for
the `tafel` command and the app's uploads and downloads. Imports are all-or-nothing: every
problem is listed with its line number (in English, with a template the screens translate) and
nothing is stored unless the whole file is right.
"""

from __future__ import annotations

from peewee import JOIN

from models.accounts import audit
from models.budget.plan import apply_planned
from models.budget.summary import summary
from models.budget.tables import (
    BudgetYear,
    LedgerEntry,
    Post,
    SubBudget,
)
from models.db import database, is_sqlite
from models.organisation import Project
from models.person import Person
from models.rules.csvfile import (
    CsvError,
    Problem,
    read_csv,
    write_csv,
)
from models.rules.errors import RuleError
from models.rules.money import format_excel, format_plain, parse_amount
from models.words import Text

BUDGET_COLUMNS = {
    "year": True,
    "post": True,
    "sub_budget": False,
    "manager": False,
    "project": False,
    "planned": True,
}
LEDGER_HEADER = ["id", "date", "post", "sub_budget", "description", "amount", "kind", "reverses"]
SUMMARY_HEADER = ["year", "post", "sub_budget", "planned", "spent", "received", "remaining"]

NAME_LENGTH = 120  # Post.name and SubBudget.name
NAME_TOO_LONG = Text("Use at most {length} characters.")
BAD_YEAR = Text("Write the year as four digits, for example 2026.")
NEGATIVE_PLAN = Text("A planned amount cannot be below zero.")
NO_PERSON = Text("There is no person named {name}.")
NO_PROJECT = Text("There is no project named {name}.")
NO_POST = Text("There is no post {name} in {year}; import the plan first.")
NO_SUB = Text("Post {post} has no sub-budget {name}; import the plan first.")
DOUBLE_ROW = Text("This row repeats post {post}, sub-budget {sub} of an earlier line.")
PLANNED_ALREADY = Text(
    "{amount} is planned here already. Change a planned amount on its page, with a decision"
    " from the register."
)


# Two budget or ledger file imports never run at once on PostgreSQL: this advisory lock.
IMPORT_LOCK = 7_301_204


def problem_at(line: int, error: ValueError, column: str | None = None) -> Problem:
    return Problem.from_error(line, error, column)


# --- budget.csv -------------------------------------------------------------------------


def import_budget(
    raw: bytes, actor_account: int | None, actor_person: int | None, language: str | None = None
) -> dict:
    """Create or update years, posts and sub-budgets from budget.csv; raises CsvError."""
    rows = read_csv(raw, BUDGET_COLUMNS, names=("post", "sub_budget"))
    with database.atomic():
        one_file_import_at_a_time()
        plan = _checked_plan(rows, rows.convention(language))
        return _write_plan(plan, actor_account, actor_person)


def one_file_import_at_a_time() -> None:
    """Wait until no other budget or ledger file import is running (inside the import's
    transaction): on PostgreSQL an advisory lock held until the commit; SQLite's write lock,
    taken when every transaction begins, already orders them."""
    if not is_sqlite():
        database.execute_sql("SELECT pg_advisory_xact_lock(%s)", (IMPORT_LOCK,))


def _checked_plan(rows, convention: str | None) -> list[tuple]:
    """The plan's rows (year, post name, sub-budget name, manager id, project id, planned
    cents), checked against the stored plan; CsvError with every problem."""
    problems: list[Problem] = []
    people = {p.display_name: p.id for p in Person.select(Person.id, Person.display_name)}
    projects = {p.name: p.id for p in Project.select(Project.id, Project.name)}
    plan, lines, seen = [], [], set()
    for row in rows:
        try:
            year = int(row["year"] or "")
            if not 1900 <= year <= 2200:
                raise ValueError
        except ValueError:
            problems.append(Problem.of(row.line, BAD_YEAR, "year"))
            continue
        try:
            planned = parse_amount(row["planned"] or "", convention=convention)
            if planned < 0:
                raise RuleError(NEGATIVE_PLAN)
        except RuleError as err:
            problems.append(problem_at(row.line, err, "planned"))
            continue
        for column in ("post", "sub_budget"):
            if len(row.get(column) or "") > NAME_LENGTH:
                problems.append(Problem.of(row.line, NAME_TOO_LONG, column, length=NAME_LENGTH))
        manager = row.get("manager")
        if manager and manager not in people:
            problems.append(Problem.of(row.line, NO_PERSON, "manager", name=f'"{manager}"'))
        project = row.get("project")
        if project and project not in projects:
            problems.append(Problem.of(row.line, NO_PROJECT, "project", name=f'"{project}"'))
        key = (year, row["post"], row.get("sub_budget"))
        if key in seen:
            problems.append(
                Problem.of(row.line, DOUBLE_ROW, post=row["post"], sub=row.get("sub_budget", ""))
            )
        seen.add(key)
        plan.append((year, row["post"], row.get("sub_budget"), people.get(manager),
                     projects.get(project), planned))  # fmt: skip
        lines.append(row.line)
    problems += _changed_amounts(plan, lines)
    if problems:
        raise CsvError(problems)
    return plan


def _write_plan(plan: list[tuple], actor_account: int | None, actor_person: int | None) -> dict:
    """Create or update the years, posts and sub-budgets of a checked plan, with audit lines
    (call inside the import's transaction). Returns how many posts and sub-budgets it made or
    changed: a plan that is already as the file says counts none (issue 22.4: "imported 2
    post(s)" when nothing changed)."""
    counts = {"posts": 0, "sub_budgets": 0}
    years = {y.year: y for y in BudgetYear.select()}
    # Post rows first, so a post's own planned amount is set before its sub-budgets.
    for year, post_name, sub_name, manager, project, planned in sorted(
        plan, key=lambda p: p[2] is not None
    ):
        if year not in years:
            years[year] = BudgetYear.create(year=year)
        changed = False
        post = Post.get_or_none((Post.year == years[year]) & (Post.name == post_name))
        if post is None:
            post = Post.create(year=years[year], name=post_name, planned_cents=0)
            audit.record(actor_account, "budget.post.create", post, after={"name": post_name})
            if sub_name is None:
                changed = True
            else:  # a post the file names only through its sub-budgets
                counts["posts"] += 1
        if sub_name is None:
            changed |= apply_planned(post, None, planned, "budget.csv", proposed_by=actor_person,
                                     account_id=actor_account) is not None  # fmt: skip
            counts["posts"] += int(changed)
            continue
        sub = SubBudget.get_or_none((SubBudget.post == post) & (SubBudget.name == sub_name))
        if sub is None:
            sub = SubBudget.create(post=post, name=sub_name, planned_cents=0)
            audit.record(actor_account, "budget.sub_budget.create", sub, after={"name": sub_name})
            changed = True
        before = {"manager": sub.manager_id, "project": sub.project_id}
        if manager:
            sub.manager = manager
        if project:
            sub.project = project
        if before != {"manager": sub.manager_id, "project": sub.project_id}:
            sub.save()
            audit.record(
                actor_account, "budget.sub_budget.update", sub, before=before,
                after={"manager": sub.manager_id, "project": sub.project_id},
            )  # fmt: skip
            changed = True
        changed |= apply_planned(post, sub, planned, "budget.csv", proposed_by=actor_person,
                                 account_id=actor_account) is not None  # fmt: skip
        counts["sub_budgets"] += int(changed)
    return counts


def _changed_amounts(plan: list[tuple], lines: list[int]) -> list[Problem]:
    """A budget file sets the plan: the amounts of new posts and sub-budgets, and of those
    still at zero. It never changes an amount already planned: such a change needs a decision
    from the register (co-decide, PRODUCT.md), so it is made on the post's or sub-budget's
    page. Re-importing the same plan changes nothing and is fine. Two queries."""
    years = {year for year, *_ in plan}
    if not years:
        return []
    posts = {
        (p.year.year, p.name): p
        for p in Post.select(Post, BudgetYear).join(BudgetYear).where(BudgetYear.year.in_(years))
    }
    subs = {
        (s.post_id, s.name): s.planned_cents
        for s in SubBudget.select(SubBudget.post, SubBudget.name, SubBudget.planned_cents).where(
            SubBudget.post.in_([p.id for p in posts.values()] or [0])
        )
    }
    problems = []
    for line, (year, post_name, sub_name, _manager, _project, planned) in zip(
        lines, plan, strict=True
    ):
        post = posts.get((year, post_name))
        if post is None:
            continue
        now_planned = post.planned_cents if sub_name is None else subs.get((post.id, sub_name))
        if now_planned and now_planned != planned:
            problems.append(
                Problem.of(line, PLANNED_ALREADY, "planned", amount=format_plain(now_planned))
            )
    return problems


# --- ledger.csv -------------------------------------------------------------------------


# --- exports ----------------------------------------------------------------------------


def year_or_latest(number: int | None) -> BudgetYear | None:
    """The year asked for, or the latest year with a plan."""
    return BudgetYear.latest() if number is None else BudgetYear.numbered(number)


def export_ledger(year_number: int | None = None, excel: bool = False) -> str:
    """ledger.csv: every entry (of one year, when given), by date then id. No names: the
    description of a reimbursement is left empty."""
    money = format_excel if excel else format_plain
    e = LedgerEntry
    query = (
        e.select(
            e.id,
            e.date,
            Post.name,
            SubBudget.name,
            e.description,
            e.amount_cents,
            e.kind,
            e.reverses,
        )  # fmt: skip
        .join(Post, on=(e.post == Post.id))
        .join(BudgetYear, on=(Post.year == BudgetYear.id))
        .switch(e)
        .join(SubBudget, join_type=JOIN.LEFT_OUTER, on=(e.sub_budget == SubBudget.id))
        .order_by(e.date, e.id)
        .tuples()
    )
    if year_number is not None:
        query = query.where(BudgetYear.year == year_number)

    # Who was reimbursed is not for funders or members: a reimbursement's own description
    # (the claimant's words) is left out; the kind column says what it is.
    def rows():
        for entry_id, date, post, sub, description, cents, kind, reverses in query.iterator():
            yield [
                entry_id, date.isoformat(), post, sub or "",
                "" if kind == "reimbursement" else description,
                money(cents), kind, reverses or "",
            ]  # fmt: skip

    return write_csv(LEDGER_HEADER, rows(), excel=excel)


def summary_rows(year: BudgetYear | None) -> list[list]:
    """budget-summary.csv rows in cents: the same numbers as the budget page."""
    if year is None:
        return []
    data = summary(year)
    rows = []
    for line in data.posts:
        for sub in line.subs:
            t = sub.totals
            rows.append([year.year, line.post.name, sub.sub.name, t.planned, t.spent, t.received,
                         t.remaining])  # fmt: skip
        t = line.totals
        rows.append([year.year, line.post.name, "", t.planned, t.spent, t.received, t.remaining])
    t = data.total
    rows.append([year.year, "total", "", t.planned, t.spent, t.received, t.remaining])
    return rows


def plan_rows(year_number: int | None = None) -> list[list]:
    """budget.csv rows in cents: every year's plan (one year's, when given), by year; in a
    year each post by name, its own row (sub_budget empty) before its sub-budgets by name,
    with the manager's and the project's names. Imported again, they change nothing. Two
    queries."""
    query = (
        Post.select(Post.id, Post.name, Post.planned_cents, BudgetYear.year)
        .join(BudgetYear)
        .order_by(BudgetYear.year, Post.name, Post.id)
    )
    if year_number is not None:
        query = query.where(BudgetYear.year == year_number)
    posts = list(query)
    subs: dict[int, list] = {}
    query = (
        SubBudget.select(
            SubBudget.post,
            SubBudget.name,
            Person.display_name,
            Project.name,
            SubBudget.planned_cents,
        )  # fmt: skip
        .join(Person, JOIN.LEFT_OUTER, on=(SubBudget.manager == Person.id))
        .switch(SubBudget)
        .join(Project, JOIN.LEFT_OUTER, on=(SubBudget.project == Project.id))
        .where(SubBudget.post.in_([post.id for post in posts] or [0]))
        .order_by(SubBudget.name, SubBudget.id)
        .tuples()
    )
    for post_id, name, manager, project, cents in query:
        subs.setdefault(post_id, []).append((name, manager, project, cents))
    rows = []
    for post in posts:
        rows.append([post.year.year, post.name, None, None, None, post.planned_cents])
        for name, manager, project, cents in subs.get(post.id, []):
            rows.append([post.year.year, post.name, name, manager, project, cents])
    return rows


def export_plan(year_number: int | None = None, excel: bool = False) -> str:
    """budget.csv, the plan (`plan_rows`), as the budget.csv import reads it."""
    money = format_excel if excel else format_plain
    rows = [[*row[:5], money(row[5])] for row in plan_rows(year_number)]
    return write_csv(list(BUDGET_COLUMNS), rows, excel=excel)


def export_summary(year: BudgetYear | None, excel: bool = False) -> str:
    """budget-summary.csv for a year."""
    money = format_excel if excel else format_plain
    rows = [[*row[:3], *(money(c) for c in row[3:])] for row in summary_rows(year)]
    return write_csv(SUMMARY_HEADER, rows, excel=excel)
