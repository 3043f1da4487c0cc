"""The 51% report in SQL: grouped counts per layer and per role category (PRODUCT.md).

The counting happens in the database (COUNT DISTINCT per group), never by loading people
into Python, so the report takes the same four queries at any size. The pure rules (pass,
share, order, what-if) live in models.rules.representation.
"""

from peewee import Case, fn

from models.organisation import Project
from models.people import Membership, RoleStep
from models.person import Person
from models.rules.representation import ORGANISATION, GroupResult, report_order


def _counts(group_column, by_project: bool, project_id: int | None):
    """One grouped query: people, yes and not said per group (and per project)."""
    person = Membership.person
    yes = fn.COUNT(Case(None, [(Person.client_background == "yes", person)], None).distinct())
    not_said = fn.COUNT(
        Case(None, [(Person.client_background == "not_said", person)], None).distinct()
    )
    columns = [group_column.alias("grp"), fn.COUNT(person.distinct()).alias("people")]
    columns += [yes.alias("yes"), not_said.alias("not_said")]
    group_by = [group_column]
    if by_project:
        columns.insert(0, Project.name.alias("scope"))
        group_by.insert(0, Project.name)
    query = (
        Membership.select(*columns)
        .join(Person, on=(Membership.person == Person.id))
        .switch(Membership)
        .join(RoleStep, on=(Membership.step == RoleStep.id))
        .where(Membership.status == "active")
    )
    if by_project:
        query = query.switch(Membership).join(Project, on=(Membership.project == Project.id))
    if project_id is not None:
        query = query.where(Membership.project == project_id)
    return query.group_by(*group_by).dicts()


def representation_report(project=None) -> list[GroupResult]:
    """The 51% check for the organisation and every project, or for one project only.

    A group holds the active memberships in its scope; at organisation level a person counts
    once per group (COUNT DISTINCT). Empty groups do not appear. Rows come in the order of
    representation.csv: the organisation first, then projects by name; layers, then roles.
    """
    project_id = getattr(project, "id", project)
    results = []
    for dimension, column in (("layer", Membership.layer), ("role", RoleStep.category)):
        scopes = [True] if project_id is not None else [False, True]
        for by_project in scopes:
            for row in _counts(column, by_project, project_id):
                results.append(
                    GroupResult(
                        scope=row["scope"] if by_project else ORGANISATION,
                        dimension=dimension,
                        group=row["grp"],
                        people=row["people"],
                        yes=row["yes"],
                        not_said=row["not_said"],
                    )
                )
    return sorted(results, key=lambda r: report_order(r.scope, r.dimension, r.group))


def failing_groups(project=None) -> list[GroupResult]:
    """The groups that do not pass (the organisation's and all projects', or one project's)."""
    return [r for r in representation_report(project) if not r.passes]


def simulate(change) -> list:
    """What a change would do to the 51% check: `change()` runs inside a savepoint that is
    rolled back, and the report before is compared with the report after (what_if)."""
    from models.db import database
    from models.rules.representation import what_if

    before = representation_report()
    with database.atomic() as savepoint:
        change()
        after = representation_report()
        savepoint.rollback()
    return what_if(before, after)
