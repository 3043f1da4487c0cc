"""The meetings area's tables that belong to a project rather than to one meeting: actions
(agreed at a meeting, done afterwards), signals (ideas and problems from members) and
successes (PRODUCT.md "Meetings and consensus"), with their queries as classmethods. What is
done with them is in models/meetings/actions.py, signals.py and planning.py."""

from peewee import (
    JOIN,
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    TextField,
    fn,
)

from models.clock import now, today
from models.db import BaseModel
from models.meetings.tables import Meeting, Proposal
from models.organisation import Project
from models.person import Person
from models.sql_once import Prepared, Shaped, Slot


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
        """Actions with their owner and duo owner (one query); of them only what is shown,
        their names (a whole person twice per action was most of the query's cost)."""
        owner, duo = Person.alias(), Person.alias()
        return (
            cls.select(cls, owner.id, owner.display_name, duo.id, duo.display_name)
            .join_from(cls, owner, JOIN.LEFT_OUTER, on=(cls.owner == owner.id), attr="owner")
            .join_from(cls, duo, JOIN.LEFT_OUTER, on=(cls.duo_owner == duo.id), attr="duo_owner")
        )

    @classmethod
    def of_meeting(cls, meeting_id: int) -> list["Action"]:
        """The actions agreed at a meeting, with their owners (its SQL built once)."""
        return _OF_MEETING.rows(meeting=meeting_id)

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
    # Raised through a trusted person (a quiet concern): no author, shown as "via a trusted
    # person" (models/meetings/concerns.py).
    via_trusted = BooleanField(default=False)

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
        """How many of a project's signals wait for an answer (its SQL built once)."""
        return _UNANSWERED.scalar(project=project_id) or 0


class Success(BaseModel):
    """Something the project is proud of."""

    project = ForeignKeyField(Project, backref="successes", on_delete="CASCADE")
    text = CharField(max_length=300)
    date = DateField(default=today)
    added_by = ForeignKeyField(Person, null=True, on_delete="SET NULL")

    @classmethod
    def recent(cls, project_id: int, limit: int = 5) -> list["Success"]:
        """A project's latest successes (its SQL built once per limit)."""
        return _RECENT_SUCCESSES(limit=limit).rows(project=project_id)


_OF_MEETING = Prepared(
    lambda: Action.with_owners().where(Action.meeting == Slot("meeting")).order_by(Action.id)
)
# The project page's queries, their SQL built once (models/sql_once.py, issue 23).
_UNANSWERED = Prepared(
    lambda: Signal.select(fn.COUNT(Signal.id)).where(
        (Signal.project == Slot("project")) & Signal.answered_at.is_null()
    )
)
_RECENT_SUCCESSES = Shaped(
    lambda limit: (
        Success.select()
        .where(Success.project == Slot("project"))
        .order_by(Success.date.desc(), Success.id.desc())
        .limit(limit)
    )
)
