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

from peewee import JOIN, BigIntegerField, CharField, IntegerField

from models.db import BaseModel, database, is_sqlite
from models.organisation import Project
from models.people.tables import Membership, Person, RoleStep
from models.rules.representation import ORGANISATION
from models.sql_once import Prepared, Shaped, Slot

# The scope of the organisation's groups (a project id is never 0).
ORGANISATION_SCOPE = 0


class ReportCount(BaseModel):
    """How many people of a group gave an answer, live (written by triggers only)."""

    scope = IntegerField()  # a project's id; 0: the organisation
    dimension = CharField(max_length=8)
    grp = CharField(max_length=12)
    answer = CharField(max_length=8)
    n = IntegerField(default=0)
    # The number of the row's last change, set by the database (migrations/0018): what a
    # process keeping the report has not read yet (models/people/live_report.py).
    stamp = BigIntegerField(default=0, index=True)

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
    query = _KEPT(one_project=project_id is not None)
    sql, params = query.sql(**({} if project_id is None else {"project": project_id}))
    tally: dict = {}
    # The driver's rows as they come (ints and texts): peewee's conversion of each value
    # was three quarters of the time for the organisation's 3,600 rows.
    for scope, name, dimension, grp, answer, n in database.execute_sql(sql, params).fetchall():
        key = (ORGANISATION if scope == ORGANISATION_SCOPE else name, dimension, grp)
        answers = tally.get(key)
        if answers is None:
            tally[key] = {answer: n}
        else:
            answers[answer] = answers.get(answer, 0) + n
    return tally


def _kept(one_project: bool):
    c = ReportCount
    query = (
        c.select(c.scope, Project.name, c.dimension, c.grp, c.answer, c.n)
        .join(Project, JOIN.LEFT_OUTER, on=(c.scope == Project.id))
        .where(c.n != 0)
    )
    return query.where(c.scope == Slot("project")) if one_project else query


# The report's two queries on its first call after a change, their SQL built once
# (models/sql_once.py; issue 23: "within 10 ms on every call").
_KEPT = Shaped(_kept)


def unsettled(on):
    """A query of the ids of the people whose published state of day `on` may differ from
    the live one: an answer recorded by someone else, or a membership changed, that has not
    settled by then (both read along an index on the day they settle)."""
    answers = Person.select(Person.id).where(Person.background_settles_on > on)
    seats = Membership.select(Membership.person).where(Membership.settles_on > on)
    return answers | seats


def counted(project_id: int | None, on=None) -> dict:
    """The full tally of the 51% report ((scope, dimension, group) → {answer: how many}) from
    the kept counts. Live (`on` None): as kept. Published: the kept
    live counts, with the people not settled by `on` taken out as they count live and put
    back as they count published (`unsettled_delta`); everyone else counts the same either
    way."""
    tally = kept_tally(project_id)
    if on is None:
        return tally
    for key, answers in unsettled_delta(project_id, on).items():
        kept = tally.get(key)
        if kept is None:
            tally[key] = dict(answers)
            continue
        for answer, n in answers.items():
            kept[answer] = kept.get(answer, 0) + n
    return {key: answers for key, answers in tally.items() if any(answers.values())}


def unsettled_delta(project_id: int | None, on) -> dict:
    """What the people not settled by `on` change in the tally between live and published:
    every membership of theirs, read once (one query, a few rows: the people changed in the
    last SETTLE_DAYS), counted live (-1) and as published (+1) with the same rules as the
    grouped queries of models/people/representation.py (`_seat`, `_answer`; an
    organisation's group counts a person once; a published step no longer on the ladder
    leaves the membership out of its project's groups and the organisation's role groups,
    as their inner joins do)."""
    sql, params = _DELTA.sql(on=on)
    # The driver's rows as they come (peewee's conversion of every value was most of the
    # time); days come as text from SQLite, compared as text with the day's ISO form.
    day = on.isoformat()
    rows = database.execute_sql(sql, params).fetchall()
    if not rows:
        return {}
    categories = dict(_CATEGORIES.rows())  # the ladder's few steps

    def settled(value) -> bool:
        if value is None:
            return True
        return (value[:10] if isinstance(value, str) else value.isoformat()) <= day

    delta: dict = {}
    groups: dict = {}  # (person, sign) -> the organisation's groups they are in
    answer_of: dict = {}  # (person, sign) -> their answer
    for (person, project, name, layer, step, status, prior_layer, prior_step,
         prior_status, settles_on, answer, prior_answer, answer_settles_on) in rows:  # fmt: skip
        category = categories.get(step)
        if category is None:  # (a membership's step is always on the ladder)
            continue
        prior_category = categories.get(prior_step)
        answer_of[person, -1] = answer
        answer_settled = settled(answer_settles_on)
        answer_of[person, 1] = answer if answer_settled else prior_answer
        if settled(settles_on):
            published = (layer, category, status, True)
        else:
            published = (prior_layer, prior_category, prior_status, prior_category is not None)
        for sign, (seat_layer, seat_category, seat_status, on_ladder) in (
            (-1, (layer, category, status, True)),
            (1, published),
        ):
            if seat_status != "active":
                continue
            mine = groups.setdefault((person, sign), set())
            mine.add(("layer", seat_layer))
            if not on_ladder:
                continue
            mine.add(("role", seat_category))
            if project_id is None or project == project_id:
                who = answer_of[person, sign]
                _add(delta, (name, "layer", seat_layer), who, sign)
                _add(delta, (name, "role", seat_category), who, sign)
    if project_id is None:
        for (person, sign), mine in groups.items():
            for dimension, group in mine:
                _add(delta, (ORGANISATION, dimension, group), answer_of[person, sign], sign)
    return delta


def _delta():
    """The memberships of the people not settled by the day, with their project's name and
    their person's answers. Three tables only (the steps' categories are looked up apart):
    PostgreSQL took longer to plan the seven-table join than to run it."""
    people = unsettled(Slot("on")).alias("unsettled")
    return (
        Membership.select(
            Membership.person, Membership.project, Project.name, Membership.layer,
            Membership.step, Membership.status, Membership.prior_layer, Membership.prior_step,
            Membership.prior_status, Membership.settles_on, Person.client_background,
            Person.prior_background, Person.background_settles_on,
        )
        .join(people, on=(people.c.id == Membership.person))
        .switch(Membership)
        .join(Person, on=(Membership.person == Person.id))
        .switch(Membership)
        .join(Project, on=(Membership.project == Project.id))
    )  # fmt: skip


_DELTA = Prepared(_delta)
_CATEGORIES = Prepared(lambda: RoleStep.select(RoleStep.id, RoleStep.category).tuples())


def _add(tally, key, answer, n):
    answers = tally.setdefault(key, {})
    answers[answer] = answers.get(answer, 0) + n


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
