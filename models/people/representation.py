"""The 51% report in SQL: grouped counts per layer and per role category (PRODUCT.md).

The counting happens in the database (grouped COUNTs, each person once per organisation
group), never by loading people into Python: the report takes the same two queries at any
size, and Python only adds up the grouped counts (at most projects × 3 × 3 × 3 rows).
The pure rules (pass, share, order, what-if) live in models.rules.representation; the
what-if of a change in models.people.whatif.
"""

from peewee import Value, fn

from models.organisation import Project
from models.people.tables import Membership, Person, RoleStep
from models.rules.representation import ORGANISATION, GroupResult, report_order


def _project_counts(project_id: int | None):
    """Per project, layer, role category and answer: how many active memberships (one
    grouped query; a person is in a project at most once, so no DISTINCT is needed)."""
    query = (
        Membership.select(
            Project.name.alias("scope"),
            Membership.layer.alias("layer"),
            RoleStep.category.alias("category"),
            Person.client_background.alias("background"),
            fn.COUNT(Membership.id).alias("n"),
        )
        .join(Person, on=(Membership.person == Person.id))
        .switch(Membership)
        .join(RoleStep, on=(Membership.step == RoleStep.id))
        .switch(Membership)
        .join(Project, on=(Membership.project == Project.id))
        .where(Membership.status == "active")
        .group_by(
            Membership.project,
            Project.name,
            Membership.layer,
            RoleStep.category,
            Person.client_background,
        )
    )
    if project_id is not None:
        query = query.where(Membership.project == project_id)
    return query.dicts()


def _organisation_counts():
    """Per dimension, group and answer: how many people, each person once per group (one
    query over the distinct (person, group) pairs of both dimensions)."""
    active = Membership.status == "active"
    by_layer = (
        Membership.select(
            Value("layer").alias("dimension"),
            Membership.person.alias("pid"),
            Membership.layer.alias("grp"),
        )
        .where(active)
        .distinct()
    )
    by_role = (
        Membership.select(
            Value("role").alias("dimension"),
            Membership.person.alias("pid"),
            RoleStep.category.alias("grp"),
        )
        .join(RoleStep, on=(Membership.step == RoleStep.id))
        .where(active)
        .distinct()
    )
    pairs = (by_layer + by_role).alias("pairs")  # UNION ALL: the dimensions never overlap
    return (
        Person.select(
            pairs.c.dimension,
            pairs.c.grp,
            Person.client_background.alias("background"),
            fn.COUNT(Person.id).alias("n"),
        )
        .join(pairs, on=(pairs.c.pid == Person.id))
        .group_by(pairs.c.dimension, pairs.c.grp, Person.client_background)
        .dicts()
    )


def _results(tally: dict) -> list[GroupResult]:
    results = [
        GroupResult(
            scope=scope,
            dimension=dimension,
            group=group,
            people=sum(answers.values()),
            yes=answers.get("yes", 0),
            not_said=answers.get("not_said", 0),
        )
        for (scope, dimension, group), answers in tally.items()
        if sum(answers.values())
    ]
    return sorted(results, key=lambda r: report_order(r.scope, r.dimension, r.group))


def _add(tally, key, background, n):
    answers = tally.setdefault(key, {})
    answers[background] = answers.get(background, 0) + n


def representation_report(project=None) -> list[GroupResult]:
    """The 51% check for the organisation and every project, or for one project only.

    A group holds the active memberships in its scope; at organisation level a person counts
    once per group. Empty groups do not appear. Rows come in the order of representation.csv:
    the organisation first, then projects by name; layers, then roles. Two grouped queries
    for the whole organisation, one for a project, whatever the size.
    """
    project_id = getattr(project, "id", project)
    tally: dict = {}
    if project_id is None:
        for row in _organisation_counts():
            key = (ORGANISATION, row["dimension"], row["grp"])
            _add(tally, key, row["background"], row["n"])
    for row in _project_counts(project_id):
        _add(tally, (row["scope"], "layer", row["layer"]), row["background"], row["n"])
        _add(tally, (row["scope"], "role", row["category"]), row["background"], row["n"])
    return _results(tally)


def failing_groups(project=None) -> list[GroupResult]:
    """The groups that do not pass (the organisation's and all projects', or one project's)."""
    return [r for r in representation_report(project) if not r.passes]


def visible_failures(viewer, results) -> list:
    """Failing groups a viewer may learn about: all of them for holders of the privacy right
    and coordinators of the organisation; for others only groups of 5 or more (small groups
    show "small group" instead of a result)."""
    return [
        result
        for result in results
        if not result.passes
        and (viewer.has_privacy_right or viewer.is_org_coordinator or not result.small)
    ]


def banner_failures(viewer, project_id: int) -> list:
    """The failing groups for the red banner on a project page (two queries): all of them for
    the project's coordinators, else those the viewer may learn about."""
    results = representation_report(project_id)
    if viewer.is_coordinator(project_id):
        return [r for r in results if not r.passes]
    return visible_failures(viewer, results)


def per_scope(results) -> dict[str, list]:
    """The report split per scope, keeping the report's order."""
    scopes: dict[str, list] = {}
    for result in results:
        scopes.setdefault(result.scope, []).append(result)
    return scopes


def project_links() -> dict[str, int]:
    """{project name: id}, to link each scope of the report to its project."""
    return {p.name: p.id for p in Project.select(Project.id, Project.name)}
