"""The 51% report's kept counts (issue 23 point 3): how many people of each group gave which
answer, kept by the database in the same transaction as every change that moves them, so the
report reads a few dozen rows instead of counting every membership (135-229 ms at federation
scale on the first call after a change).

Two tables, both written only by database triggers (migrations/0015_bench_kept_report.py),
whatever code writes the data: the app's capabilities, an import, the erasure, the demo, the
bench or a hand-written UPDATE.

- `ReportCount`: (scope, dimension, group, answer) → how many, for the live state. `scope` is
  a project's id (a membership counts in its project's layer and role groups), or 0 for the
  organisation, where a person counts once per group.
- `ReportPerson`: (person, dimension, group) → how many of the person's active memberships
  put them in that group. The organisation's count of a group moves only when a person's
  number there goes from 0 to 1 or back (a trigger on this table), so nothing has to count
  distinct people again.

Both hold group-level numbers and, per person, which groups they are in (what their
memberships already say): no answer of any single person is stored here, nor shown by
anything that reads them (the report's rules for small groups and private answers apply
to what is built from them, as before).

What moves them: a membership inserted, deleted (also by a project's deletion) or changed in
person, project, layer, step or status; a person's answer; a step's role category; a person
deleted (their memberships go first, while the answer can still be read). The published
figures (answers and memberships settling, docs/rules.md) are not kept: they are the live
counts with the few people whose change has not settled by the day counted as published
instead (models/people/representation.py `_counted`).

`rebuild_report_counts` counts everything again (`tafel recount`) and says how many groups
were kept wrong.
"""

from __future__ import annotations

from peewee import JOIN, CharField, IntegerField

from models.db import BaseModel, database, is_sqlite
from models.organisation import Project
from models.rules.representation import ORGANISATION

# The scope of the organisation's groups (a project id is never 0).
ORGANISATION_SCOPE = 0


class ReportCount(BaseModel):
    """How many people of a group gave an answer, live (written by triggers only)."""

    scope = IntegerField()  # a project's id; 0: the organisation
    dimension = CharField(max_length=8)
    grp = CharField(max_length=12)
    answer = CharField(max_length=8)
    n = IntegerField(default=0)

    class Meta:
        indexes = ((("scope", "dimension", "grp", "answer"), True),)


class ReportPerson(BaseModel):
    """How many active memberships put a person in a group (written by triggers only). No
    foreign key: a deleted person's rows are removed by the person's own trigger."""

    person_id = IntegerField()
    dimension = CharField(max_length=8)
    grp = CharField(max_length=12)
    n = IntegerField(default=0)

    class Meta:
        indexes = ((("person_id", "dimension", "grp"), True),)


def kept_tally(project_id: int | None = None) -> dict:
    """(scope, dimension, group) → {answer: how many}, live, as kept (one query over at most
    (projects + 1) × 6 × 3 rows); `project_id`: that project's groups only, else every
    project's and the organisation's. The scope is the project's name, or ORGANISATION."""
    c = ReportCount
    query = (
        c.select(c.scope, Project.name, c.dimension, c.grp, c.answer, c.n)
        .join(Project, JOIN.LEFT_OUTER, on=(c.scope == Project.id))
        .where(c.n != 0)
    )
    if project_id is not None:
        query = query.where(c.scope == project_id)
    tally: dict = {}
    # The driver's rows as they come (ints and texts): peewee's conversion of each value
    # was three quarters of the time for the organisation's 3,600 rows.
    for scope, name, dimension, grp, answer, n in database.execute(query).fetchall():
        key = (ORGANISATION if scope == ORGANISATION_SCOPE else name, dimension, grp)
        answers = tally.setdefault(key, {})
        answers[answer] = answers.get(answer, 0) + n
    return tally


# The counts of the data as it is, in SQL (the migration fills the tables the same way).
FILL_PERSON = (
    "INSERT INTO report_person (person_id, dimension, grp, n)"
    " SELECT person_id, 'layer', layer, COUNT(*) FROM membership WHERE status = 'active'"
    " GROUP BY person_id, layer"
    " UNION ALL"
    " SELECT m.person_id, 'role', s.category, COUNT(*) FROM membership m"
    " JOIN role_step s ON s.id = m.step_id WHERE m.status = 'active'"
    " GROUP BY m.person_id, s.category"
)
FILL_PROJECTS = (
    "INSERT INTO report_count (scope, dimension, grp, answer, n)"
    " SELECT m.project_id, 'layer', m.layer, p.client_background, COUNT(*) FROM membership m"
    " JOIN person p ON p.id = m.person_id WHERE m.status = 'active'"
    " GROUP BY m.project_id, m.layer, p.client_background"
    " UNION ALL"
    " SELECT m.project_id, 'role', s.category, p.client_background, COUNT(*) FROM membership m"
    " JOIN person p ON p.id = m.person_id JOIN role_step s ON s.id = m.step_id"
    " WHERE m.status = 'active' GROUP BY m.project_id, s.category, p.client_background"
)
FILL_ORGANISATION = (
    "INSERT INTO report_count (scope, dimension, grp, answer, n)"
    " SELECT 0, r.dimension, r.grp, p.client_background, COUNT(*) FROM report_person r"
    " JOIN person p ON p.id = r.person_id WHERE r.n > 0"
    " GROUP BY r.dimension, r.grp, p.client_background"
)


def rebuild_report_counts(recount) -> int:
    """Keep the counts of the data as it is (`recount()`: the live tally counted from the
    memberships, representation.py `_tally`, asked once no counted write can come between);
    returns how many (scope, dimension, group,
    answer) counts were kept wrong. Call inside a transaction. (The person rows' insert
    trigger adds each person to the organisation's groups; those counts are then made again
    from the person rows, so the rebuild does not depend on that trigger.)"""
    if not is_sqlite():
        database.execute_sql("SELECT pg_advisory_xact_lock(5151)")  # as every counted write
    kept = kept_tally()
    truth = {
        (key, answer): n for key, answers in recount().items() for answer, n in answers.items() if n
    }
    mine = {(key, answer): n for key, answers in kept.items() for answer, n in answers.items()}
    wrong = sum(1 for k in truth.keys() | mine.keys() if truth.get(k) != mine.get(k))
    ReportCount.delete().execute()
    ReportPerson.delete().execute()
    database.execute_sql(FILL_PERSON)
    ReportCount.delete().where(ReportCount.scope == ORGANISATION_SCOPE).execute()
    database.execute_sql(FILL_ORGANISATION)
    database.execute_sql(FILL_PROJECTS)
    return wrong
