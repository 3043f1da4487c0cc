"""The people area's tables: the ladder of role steps, memberships, their changes over time,
development conversations and the 51% report's version, with the queries on them (PRODUCT.md
"Organisation, projects, people" and "Role growth"). Vacancies and their committees are in
models/people/vacancy_tables.py.

`Person` itself lives in models/person.py: every area points to it, core's `Announcement`
too, and core's `Project` is pointed to from here, so a Person defined in this module would
make models.organisation and models.people import each other.
"""

import datetime as dt

from peewee import (
    JOIN,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
    fn,
)

from models.clock import now, today
from models.db import BaseModel
from models.organisation import Project
from models.person import BACKGROUND_ANSWERS, Person
from models.rules.representation import LAYERS, ROLE_CATEGORIES
from models.sql_once import Prepared, Slot
from models.words import Text

STATUSES = ("active", "paused", "ended")
# up, back: a step on the ladder; pause, return, end: the status; layer: another layer;
# start: a new membership. Stepping back is a normal event (PRODUCT.md "Role growth").
CHANGE_KINDS = ("start", "up", "back", "pause", "return", "end", "layer")
VACANCY_STATES = ("open", "filled", "closed")
# Published figures (docs/rules.md "Published figures that cannot be steered"): a change of
# who is in a group counts for everyone without the privacy right only once it has settled,
# this many days after it (at the turn of a day); until then the prior state counts, and a
# new membership (prior status NEW) not at all.
SETTLE_DAYS = 14
NEW = "new"

# PRODUCT.md "Organisation, projects, people": the default ladder.
DEFAULT_LADDER = (
    ("Deelnemer", "participant", "Je doet mee aan de activiteiten."),
    ("Vrijwilliger", "volunteer", "Je helpt mee en hebt vaste taken."),
    (
        "Vrijwilliger met extra taken",
        "volunteer",
        "Je hebt meer taken, bijvoorbeeld nieuwe mensen wegwijs maken.",
    ),
    ("Werkbegeleider", "paid_staff", "Je bent betaald en begeleidt het werk van de groep."),
    ("Projectleider", "paid_staff", "Je bent betaald en leidt het project."),
)
# The default ladder's names and descriptions in English, so a step that still has its default
# name or description is shown in the viewer's language (webapp/people/words.py names them for
# the catalogs). A name or description the organisation wrote itself is shown as written.
DEFAULT_LADDER_ENGLISH = (
    ("Participant", "You take part in the activities."),
    ("Volunteer", "You help and have regular tasks."),
    ("Volunteer with extra tasks", "You have more tasks, for example showing new people around."),
    ("Work supervisor", "You are paid and guide the work of the group."),
    ("Project lead", "You are paid and lead the project."),
)
_DEFAULT_WORDS = {
    dutch: Text(english)
    for (name, _, description), english_pair in zip(
        DEFAULT_LADDER, DEFAULT_LADDER_ENGLISH, strict=True
    )
    for dutch, english in zip((name, description), english_pair, strict=True)
}

__all__ = [
    "BACKGROUND_ANSWERS",
    "CHANGE_KINDS",
    "DEFAULT_LADDER",
    "LAYERS",
    "ROLE_CATEGORIES",
    "STATUSES",
    "VACANCY_STATES",
    "Conversation",
    "Membership",
    "Person",
    "RoleStep",
    "StepChange",
]


class RoleStep(BaseModel):
    """A step on the organisation's ladder, in one role category."""

    position = IntegerField(index=True)
    name = CharField(max_length=80, unique=True)
    category = CharField(max_length=12)
    description = TextField(default="")

    @property
    def shown_name(self) -> str:
        """The name on the screen: a default name in the viewer's language (a Text), an
        organisation's own name as written."""
        return _DEFAULT_WORDS.get(self.name, self.name)

    @property
    def shown_description(self) -> str:
        """The description on the screen, like `shown_name`."""
        return _DEFAULT_WORDS.get(self.description, self.description)

    @classmethod
    def ladder(cls):
        """The steps in order."""
        return cls.select().order_by(cls.position, cls.id)

    @classmethod
    def lowest_participant_step(cls):
        """The first step of the category participant (None when the ladder has none)."""
        return cls.ladder().where(cls.category == "participant").first()

    @classmethod
    def name_taken(cls, name: str, except_id: int | None = None) -> bool:
        """True when another step already has this name."""
        taken = cls.select().where(cls.name == name)
        if except_id:
            taken = taken.where(cls.id != except_id)
        return taken.exists()

    @classmethod
    def ensure_default(cls):
        """Create the default ladder when the organisation has none yet."""
        if not cls.select().exists():
            for position, (name, category, description) in enumerate(DEFAULT_LADDER, 1):
                cls.create(position=position, name=name, category=category, description=description)


class Membership(BaseModel):
    """A person in a project: layer, step, status, opt-ins, tasks and an optional duo partner."""

    person = ForeignKeyField(Person, backref="memberships", on_delete="CASCADE")
    project = ForeignKeyField(Project, backref="memberships", on_delete="CASCADE")
    layer = CharField(max_length=12, default="execution")
    step = ForeignKeyField(RoleStep, on_delete="RESTRICT")
    status = CharField(max_length=8, default="active", index=True)
    since = DateField(default=today)
    # The date someone opted in decides rotation order (PRODUCT.md "Rotation"); NULL = not.
    chair_since = DateField(null=True)
    minutes_since = DateField(null=True)
    tasks = TextField(default="")
    duo_partner = ForeignKeyField(Person, null=True, on_delete="SET NULL")
    # The published figures (models/people/representation.py): until `settles_on` the
    # membership counts as it was before its last changes (prior layer, step and status; a
    # prior status NEW: not at all). NULL: settled, it counts as it is.
    prior_layer = CharField(max_length=12, null=True)
    prior_step = IntegerField(null=True)
    prior_status = CharField(max_length=8, null=True)
    settles_on = DateField(null=True, index=True)
    # The order of /people's "who is at which step" (issue 23.4): the step's position and the
    # person's name (COALESCE(display_name, '')), kept by the database's triggers whatever
    # writes (migration 0014_speed_people_order), so the list reads an index in order.
    sort_position = IntegerField(default=0)
    sort_name = CharField(max_length=80, default="")

    class Meta:
        indexes = (
            (("person", "project"), True),
            (("sort_position", "sort_name", "id"), False),
            # A project's list in the same order (migration 0017_perfb_project_people_order).
            (("project", "sort_position", "sort_name", "id"), False),
        )

    def unsettle(self, *, new: bool = False) -> None:
        """Before a change that moves who is in a group: keep the state the published figures
        count (the one before the first change not settled yet) and settle SETTLE_DAYS from
        today. Sets the fields; the caller saves."""
        if new:
            self.prior_layer, self.prior_step, self.prior_status = None, None, NEW
        elif self.settles_on is None or self.settles_on <= today():
            self.prior_layer, self.prior_step = self.layer, self.step_id
            self.prior_status = self.status
        self.settles_on = today() + dt.timedelta(days=SETTLE_DAYS)

    @classmethod
    def projects_of(cls, person_id: int) -> set:
        """Ids of the projects the person is an active or paused member of (one query; the
        viewer of every request, webapp/access.py)."""
        return {project for (project,) in _PROJECTS_OF.rows(person=person_id)}

    @classmethod
    def of(cls, person, project):
        """The membership of a person in a project, or None."""
        return cls.get_or_none((cls.person == person) & (cls.project == project))

    @classmethod
    def exists_for(cls, person, project) -> bool:
        """True when the person is (or was) in the project."""
        return cls.select().where((cls.person == person) & (cls.project == project)).exists()

    @classmethod
    def people_in(cls, project):
        """The ids of everyone who is or was in the project (a subquery)."""
        return cls.select(cls.person).where(cls.project == project)

    @classmethod
    def of_person(cls, person_id: int) -> list:
        """A person's memberships with project, step and duo partner (one query, its SQL
        built once: building it was a third of a person page's data work, issue 23)."""
        return _OF_PERSON.rows(person=person_id)

    @classmethod
    def at_steps(cls, project_id: int | None, person_is=None):
        """Who is where: memberships not ended, with person, project and step (a query, for
        the caller to order and page); `person_is` a condition on the person. Of the person,
        project and step their names (whole rows were a fifth of /people's CPU), and of the
        membership what the list shows and orders by (its four days, each parsed per row,
        and its tasks were a third of the rest)."""
        shown = (cls.id, cls.person, cls.project, cls.step, cls.layer, cls.status)
        query = (
            cls.select(
                *(*shown, cls.sort_position, cls.sort_name),
                *(Person.id, Person.display_name, Project.id, Project.name),
                *(RoleStep.id, RoleStep.name),
            )
            .join(Person, on=(cls.person == Person.id))
            .switch(cls)
            .join(Project)
            .switch(cls)
            .join(RoleStep)
            .where(cls.not_ended_in(project_id))
        )
        return query if person_is is None else query.where(person_is)

    @classmethod
    def in_scope(cls, project_id: int | None):
        """The condition on Person "has a membership that has not ended, in one project or
        (None) in any", as a correlated EXISTS along the (person, project) index, so a list of
        people by name stops after its first rows instead of collecting everyone first."""
        m = cls.alias()
        condition = (m.person == Person.id) & (m.status != "ended")
        if project_id is not None:
            condition &= m.project == project_id
        return fn.EXISTS(m.select(m.id).where(condition))

    @classmethod
    def not_ended_in(cls, project_id: int | None):
        """The condition "not ended", in one project or (None) in all of them."""
        condition = cls.status != "ended"
        if project_id is not None:
            condition &= cls.project == project_id
        return condition


# Every signed-in request's query (webapp/access.py), its SQL built once (models/sql_once.py).
_PROJECTS_OF = Prepared(
    lambda: (
        Membership.select(Membership.project)
        .where((Membership.person == Slot("person")) & (Membership.status != "ended"))
        .tuples()
    )
)


def _of_person():
    Partner = Person.alias()
    return (
        Membership.select(Membership, Project, RoleStep, Partner)
        .join(Project)
        .switch(Membership)
        .join(RoleStep)
        .switch(Membership)
        .join(Partner, JOIN.LEFT_OUTER, on=(Membership.duo_partner == Partner.id))
        .where(Membership.person == Slot("person"))
        .order_by(Membership.status, Project.name)
    )


_OF_PERSON = Prepared(_of_person)


class StepChange(BaseModel):
    """One change of a membership's step, layer or status, with who recorded it and why."""

    membership = ForeignKeyField(Membership, backref="changes", on_delete="CASCADE")
    kind = CharField(max_length=8)
    on = DateField(default=today, index=True)
    from_step = ForeignKeyField(RoleStep, null=True, on_delete="SET NULL", backref="+")
    to_step = ForeignKeyField(RoleStep, null=True, on_delete="SET NULL", backref="+")
    from_layer = CharField(max_length=12, default="")
    to_layer = CharField(max_length=12, default="")
    from_status = CharField(max_length=8, default="")
    to_status = CharField(max_length=8, default="")
    recorded_by = ForeignKeyField(Person, null=True, on_delete="SET NULL", backref="+")
    note = TextField(default="")
    created_at = DateTimeField(default=now)

    @classmethod
    def path_of(cls, person_id: int) -> list:
        """A person's changes over time with project, steps and who recorded them (one
        query, its SQL built once: six tables joined, the person page's costliest to build
        even when it finds nothing, issue 23)."""
        return _PATH_OF.rows(person=person_id)

    @classmethod
    def recent(cls, project_id: int | None, since: dt.date, person_is=None, limit=None) -> list:
        """The changes since a day, in one project or all, with person, project, steps and who
        recorded them; `person_is` narrows them to a condition on the person, `limit` to the
        newest few. Of the membership, people, project and steps what a change shows: their
        names."""
        return cls.with_step_names(list(cls.recent_query(project_id, since, person_is, limit)))

    @classmethod
    def recent_query(cls, project_id, since, person_is=None, limit=None):
        """The query of `recent` (its values may be slots: models/people/overview.py); its
        rows go through `with_step_names`.

        The steps' names and the recorder's name are subqueries in the select, read for the
        rows kept only, not joins: PostgreSQL plans a join of seven tables in 4 ms, of four
        in 0.6 ms (bench/README.md, fourth round); the change is chosen the same way."""
        FromStep, ToStep, Recorder = RoleStep.alias(), RoleStep.alias(), Person.alias()
        query = (
            cls.select(
                *(cls, Membership.id, Membership.person, Membership.project),
                *(Person.id, Person.display_name, Project.id, Project.name),
                FromStep.select(FromStep.name)
                .where(FromStep.id == cls.from_step)
                .alias("from_step_name"),
                ToStep.select(ToStep.name).where(ToStep.id == cls.to_step).alias("to_step_name"),
                Recorder.select(Recorder.display_name)
                .where(Recorder.id == cls.recorded_by)
                .alias("recorder_name"),
            )
            .join(Membership)
            .join(Person, on=(Membership.person == Person.id))
            .switch(Membership)
            .join(Project)
            .where(cls.on >= since)
            .order_by(cls.on.desc(), cls.id.desc())
        )
        if project_id is not None:
            query = query.where(Membership.project == project_id)
        if person_is is not None:
            query = query.where(person_is)
        return query.limit(limit)

    @staticmethod
    def with_step_names(changes: list) -> list:
        """The rows of `recent_query` with `from_step`, `to_step` (a RoleStep with its id and
        name) and `recorder` (a Person with id and name), each None where the change has
        none: what a joined row had."""
        for change in changes:
            change.from_step = (
                RoleStep(id=change.from_step_id, name=change.from_step_name)
                if change.from_step_id is not None
                else None
            )
            change.to_step = (
                RoleStep(id=change.to_step_id, name=change.to_step_name)
                if change.to_step_id is not None
                else None
            )
            change.recorder = (
                Person(id=change.recorded_by_id, display_name=change.recorder_name)
                if change.recorded_by_id is not None
                else None
            )
        return changes


def _path_of():
    FromStep = RoleStep.alias()
    ToStep = RoleStep.alias()
    Recorder = Person.alias()
    return (
        StepChange.select(StepChange, Membership, Project, FromStep, ToStep, Recorder)
        .join(Membership)
        .join(Project)
        .switch(StepChange)
        .join(FromStep, JOIN.LEFT_OUTER, on=(StepChange.from_step == FromStep.id))
        .switch(StepChange)
        .join(ToStep, JOIN.LEFT_OUTER, on=(StepChange.to_step == ToStep.id))
        .switch(StepChange)
        .join(
            Recorder, JOIN.LEFT_OUTER, on=(StepChange.recorded_by == Recorder.id), attr="recorder"
        )
        .where(Membership.person == Slot("person"))
        .order_by(StepChange.on.desc(), StepChange.id.desc())
    )


_PATH_OF = Prepared(_path_of)


class Conversation(BaseModel):
    """A development conversation ("ontwikkelgesprek"); the person can read every note."""

    person = ForeignKeyField(Person, backref="conversations", on_delete="CASCADE")
    on = DateField(default=today, index=True)
    participants = TextField(default="")
    notes = TextField(default="")
    recorded_by = ForeignKeyField(Person, null=True, on_delete="SET NULL", backref="+")
    created_at = DateTimeField(default=now)

    @classmethod
    def with_person(cls, person) -> list:
        """A person's conversations, newest first (its SQL built once)."""
        return _CONVERSATIONS.rows(person=person)

    @classmethod
    def stale_among(cls, in_scope, before: dt.date, limit=None) -> list:
        """The people (a condition on Person, such as Membership.in_scope) whose last
        conversation is before a day, or who never had one, with `last_talk`; `limit`: the
        first few by name. Read along the names in order and stopped after `limit` (at
        federation scale a GROUP BY over everyone's conversations took 15 ms)."""
        return cls.with_last_talk(list(cls.stale_query(in_scope, before, limit)))

    @classmethod
    def stale_query(cls, in_scope, before, limit=None):
        """The query of `stale_among` (its values may be slots: models/people/overview.py)."""
        talked = cls.alias()
        last_talk = talked.select(fn.MAX(talked.on)).where(talked.person == Person.id)
        lately = cls.select(cls.id).where((cls.person == Person.id) & (cls.on >= before))
        return (
            Person.select(Person.id, Person.display_name, last_talk.alias("last_talk"))
            .where(in_scope & ~fn.EXISTS(lately))
            .order_by(Person.display_name, Person.id)
            .limit(limit)
        )

    @staticmethod
    def with_last_talk(people: list) -> list:
        """The people of `stale_query` with `last_talk` a day (a subquery's value comes as text
        on SQLite)."""
        for person in people:
            if isinstance(person.last_talk, str):
                person.last_talk = dt.date.fromisoformat(person.last_talk[:10])
        return people


class ReportVersion(BaseModel):
    """Which state of the counted data a kept report belongs to: `token` is changed, by
    database triggers (migrations/0010_kept_totals.py), in the same transaction as every
    change the 51% report counts (a membership's person, project, layer, step or status; a
    person's answer; a step's category; a project's name), to a new random value, so a
    report kept for one token is never taken for another state (also not after a rolled
    back what-if, nor in another copy of the database). Only a real change of those columns
    does (saving a row with them as they were does not). On PostgreSQL the token is written at
    the commit, once per transaction (so inside a transaction it may not yet tell the
    transaction's own changes: representation.py keeps nothing counted inside one);
    `changes` counts the new tokens (SQLite: one per row changed, PostgreSQL: one per
    transaction)."""

    name = CharField(max_length=40, unique=True)
    token = CharField(max_length=40)
    changes = IntegerField(default=0)

    @classmethod
    def current(cls, name: str) -> str | None:
        """The token of the data now (one query, its SQL built once: every page with the 51%
        banner asks it)."""
        return _TOKEN.scalar(name=name)


_TOKEN = Prepared(
    lambda: ReportVersion.select(ReportVersion.token).where(ReportVersion.name == Slot("name"))
)


_CONVERSATIONS = Prepared(
    lambda: (
        Conversation.select()
        .where(Conversation.person == Slot("person"))
        .order_by(Conversation.on.desc(), Conversation.id.desc())
    )
)
