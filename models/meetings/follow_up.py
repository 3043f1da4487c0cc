"""The meetings area's tables for what follows from a meeting: the minutes (with the notes per
agenda item and the comments), actions, signals and successes (PRODUCT.md "Meetings and
consensus"), with their queries as classmethods. The meeting itself, its agenda, proposals
and stances are in models/meetings/tables.py."""

from peewee import (
    JOIN,
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from models.clock import now, today
from models.db import BaseModel
from models.meetings.tables import AgendaItem, Meeting, Proposal
from models.organisation import Project
from models.person import Person


class Minutes(BaseModel):
    """A meeting's minutes; `version` goes up with every save so no save overwrites another."""

    meeting = ForeignKeyField(Meeting, unique=True, backref="minutes", on_delete="CASCADE")
    text = TextField(default="")
    version = IntegerField(default=0)
    state = CharField(max_length=8, default="draft")
    updated_by = ForeignKeyField(Person, null=True, on_delete="SET NULL")
    updated_at = DateTimeField(default=now)
    shared_at = DateTimeField(null=True)
    approved_at = DateTimeField(null=True)
    approved_how = CharField(max_length=20, default="")
    # The facts as approved (JSON, models/meetings/minutes_facts.py): empty until approval.
    approved_facts = TextField(default="")

    @classmethod
    def of_meeting(cls, meeting_id: int) -> "Minutes | None":
        """A meeting's minutes, or None before the first save."""
        return cls.get_or_none(cls.meeting == meeting_id)


class MinutesItem(BaseModel):
    """The minute-taker's notes on one agenda item; saved with the minutes' version."""

    minutes = ForeignKeyField(Minutes, backref="items", on_delete="CASCADE")
    agenda_item = ForeignKeyField(AgendaItem, on_delete="CASCADE")
    text = TextField(default="")

    class Meta:
        indexes = ((("minutes", "agenda_item"), True),)


class MinutesNote(BaseModel):
    """A comment on shared minutes, or a dated correction to approved minutes."""

    minutes = ForeignKeyField(Minutes, backref="notes", on_delete="CASCADE")
    kind = CharField(max_length=10, default="comment")
    text = TextField()
    author = ForeignKeyField(Person, null=True, on_delete="SET NULL")
    created_at = DateTimeField(default=now)


class Action(BaseModel):
    """Something someone will do, with an owner (or duo), a due date and a status."""

    project = ForeignKeyField(Project, backref="actions", on_delete="CASCADE")
    meeting = ForeignKeyField(Meeting, null=True, on_delete="SET NULL")
    proposal = ForeignKeyField(Proposal, null=True, on_delete="SET NULL")
    description = TextField()
    owner = ForeignKeyField(Person, null=True, on_delete="SET NULL")
    duo_owner = ForeignKeyField(Person, null=True, on_delete="SET NULL")
    due = DateField(null=True)
    status = CharField(max_length=8, default="open", index=True)
    reason = TextField(default="")
    created_at = DateTimeField(default=now)
    updated_at = DateTimeField(default=now)

    @classmethod
    def find(cls, action_id: int) -> "Action | None":
        """One action, or None."""
        return cls.get_or_none(cls.id == action_id)

    @classmethod
    def with_owners(cls):
        """Actions with their owner and duo owner (one query)."""
        owner, duo = Person.alias(), Person.alias()
        return (
            cls.select(cls, owner, duo)
            .join_from(cls, owner, JOIN.LEFT_OUTER, on=(cls.owner == owner.id), attr="owner")
            .join_from(cls, duo, JOIN.LEFT_OUTER, on=(cls.duo_owner == duo.id), attr="duo_owner")
        )

    @classmethod
    def of_meeting(cls, meeting_id: int) -> list["Action"]:
        """The actions agreed at a meeting, with their owners."""
        return list(cls.with_owners().where(cls.meeting == meeting_id).order_by(cls.id))

    def owned_by(self, person_id: int | None) -> bool:
        """True for the action's owner and duo owner."""
        return bool(person_id) and person_id in (self.owner_id, self.duo_owner_id)


class Signal(BaseModel):
    """An idea or a problem from a member; every signal gets a visible answer."""

    project = ForeignKeyField(Project, backref="signals", on_delete="CASCADE")
    kind = CharField(max_length=8, default="idea")
    text = TextField()
    author = ForeignKeyField(Person, null=True, on_delete="SET NULL")
    anonymous = BooleanField(default=False)
    status = CharField(max_length=12, default="new")
    answer = TextField(default="")
    answered_at = DateTimeField(null=True)
    answered_by = ForeignKeyField(Person, null=True, on_delete="SET NULL")
    created_at = DateTimeField(default=now)

    @classmethod
    def find(cls, signal_id: int) -> "Signal | None":
        """One signal with its project, or None."""
        return (
            cls.select(cls, Project)
            .join(Project, on=(cls.project == Project.id))
            .where(cls.id == signal_id)
            .first()
        )

    @classmethod
    def unanswered_count(cls, project_id: int) -> int:
        """How many of a project's signals wait for an answer."""
        return cls.select().where((cls.project == project_id) & cls.answered_at.is_null()).count()


class Success(BaseModel):
    """Something the project is proud of."""

    project = ForeignKeyField(Project, backref="successes", on_delete="CASCADE")
    text = CharField(max_length=300)
    date = DateField(default=today)
    added_by = ForeignKeyField(Person, null=True, on_delete="SET NULL")

    @classmethod
    def recent(cls, project_id: int, limit: int = 5) -> list["Success"]:
        """A project's latest successes."""
        return list(
            cls.select()
            .where(cls.project == project_id)
            .order_by(cls.date.desc(), cls.id.desc())
            .limit(limit)
        )
