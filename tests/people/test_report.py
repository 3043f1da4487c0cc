"""The 51% report in SQL: the pass rule at its edges and a property test against a
brute-force count (PRODUCT.md "Client background and the 51% check")."""

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models.db import database, open_database
from models.organisation import Project
from models.people import LAYERS, Membership, Person, RoleStep
from models.people.representation import representation_report
from models.rules.representation import ORGANISATION
from tests.people.reference import Seat, brute_force_report


def build_ladder():
    """An empty organisation with only the default ladder."""
    RoleStep.ensure_default()


@pytest.fixture
def empty_db(databases):
    open_database(databases.fresh(build_ladder))
    with database.connection_context():
        yield
    database.close()


def fill(rows):
    """Insert people, projects and memberships with insert_many: rows of
    (person, project, layer, step position, status, background)."""
    Membership.delete().execute()
    Person.delete().execute()
    Project.delete().execute()
    steps = {s.position: s.id for s in RoleStep.select()}
    backgrounds = {}
    for person, _project, _layer, _step, _status, background in rows:
        backgrounds.setdefault(person, background)
    projects = sorted({row[1] for row in rows})
    if backgrounds:
        Person.insert_many(
            [{"display_name": f"p{p}", "client_background": b} for p, b in backgrounds.items()]
        ).execute()
    if projects:
        Project.insert_many([{"name": name} for name in projects]).execute()
    person_ids = {p.display_name: p.id for p in Person.select()}
    project_ids = {p.name: p.id for p in Project.select()}
    seen, memberships = set(), []
    for person, project, layer, step, status, _background in rows:
        if (person, project) in seen:
            continue
        seen.add((person, project))
        memberships.append(
            {
                "person": person_ids[f"p{person}"],
                "project": project_ids[project],
                "layer": layer,
                "step": steps[step],
                "status": status,
                "since": dt.date(2026, 1, 1),
            }
        )
    if memberships:
        Membership.insert_many(memberships).execute()
    categories = {s.position: s.category for s in RoleStep.select()}
    return [
        Seat(person, project, layer, categories[step], status, backgrounds[person])
        for (person, project), (_, _, layer, step, status, _) in {
            (r[0], r[1]): r for r in reversed(rows)
        }.items()
    ]


@pytest.mark.parametrize(
    ("yes", "people", "expected"),
    [(1, 2, False), (51, 100, True), (50, 99, False), (50, 98, True), (2, 3, True)],
)
def test_the_sql_report_applies_the_pass_rule_at_its_edges(empty_db, yes, people, expected):
    fill(
        [
            (n, "Project", "execution", 1, "active", "yes" if n < yes else "no")
            for n in range(people)
        ]
    )
    report = {r.key: r for r in representation_report()}
    for scope in (ORGANISATION, "Project"):
        for key in ((scope, "layer", "execution"), (scope, "role", "participant")):
            assert (report[key].yes, report[key].people) == (yes, people)
            assert report[key].passes is expected
    assert len(report) == 4  # empty groups are left out


def test_a_person_in_two_projects_counts_once_in_the_organisation(empty_db):
    fill(
        [
            (1, "A", "management", 5, "active", "yes"),
            (1, "B", "management", 5, "active", "yes"),
            (2, "B", "management", 4, "active", "no"),
            (3, "B", "management", 4, "paused", "yes"),
        ]
    )
    report = {r.key: r for r in representation_report()}
    org = report[(ORGANISATION, "layer", "management")]
    assert (org.people, org.yes) == (2, 1)
    assert report[("B", "layer", "management")].people == 2
    assert [r.scope for r in representation_report(Project.get(Project.name == "A"))] == [
        "A",
        "A",
    ]


seat = st.tuples(
    st.integers(0, 7),
    st.sampled_from(["Alfa", "Beta", "Gamma"]),
    st.sampled_from(LAYERS),
    st.integers(1, 5),
    st.sampled_from(["active", "active", "paused", "ended"]),
    st.sampled_from(["yes", "yes", "no", "not_said"]),
)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(st.lists(seat, max_size=25))
def test_the_sql_report_matches_a_brute_force_count(empty_db, rows):
    # One background per person, as in the database.
    first = {}
    rows = [(p, pr, la, st_, s, first.setdefault(p, b)) for p, pr, la, st_, s, b in rows]
    with database.atomic():
        seats = fill(rows)
    assert representation_report() == brute_force_report(seats)
    for name in ("Alfa", "Beta"):
        project = Project.get_or_none(Project.name == name)
        if project is not None:
            expected = [r for r in brute_force_report(seats) if r.scope == name]
            assert representation_report(project) == expected
