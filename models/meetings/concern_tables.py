"""A quiet concern (issue 21.5, docs/rules.md "A quiet concern"): what someone who does not
dare to speak passes on to the trusted persons, through Tafel or by telling one of them.

The table holds nothing about who raised it: no author, no account, no session, no moment
finer than the day, and no column that changes with who sent it. Its capabilities are in
models/meetings/concerns.py; tests/meetings/test_concerns.py searches every table for a
trace.
"""

import hashlib

from peewee import JOIN, CharField, DateField, ForeignKeyField, TextField

from models.db import BaseModel
from models.meetings.project_tables import Signal
from models.meetings.tables import AgendaItem, Meeting
from models.organisation import Project


class Concern(BaseModel):
    """A concern for the trusted persons of one project (`project`) or of the whole
    organisation (None). `received_on` is the day only; `reading_hash` is the hash of the
    one-time reading code the sender was shown (with it, and only with it, they read what
    became of it). `agenda_item` or `signal` is what the trusted person made of it."""

    project = ForeignKeyField(Project, null=True, on_delete="CASCADE")
    text = TextField()
    received_on = DateField()
    state = CharField(max_length=10, default="waiting")  # vocabulary.CONCERN_STATES
    reading_hash = CharField(max_length=64, unique=True, null=True)
    agenda_item = ForeignKeyField(AgendaItem, null=True, on_delete="SET NULL")
    signal = ForeignKeyField(Signal, null=True, on_delete="SET NULL")
    handled_on = DateField(null=True)

    class Meta:
        indexes = ((("project", "received_on"), False),)

    @staticmethod
    def hash_code(code: str) -> str:
        return hashlib.sha256(code.encode()).hexdigest()

    @classmethod
    def with_fate(cls):
        """Concerns with their project, and what became of them: the agenda item with its
        meeting and that meeting's project, or the signal with its project (one query)."""
        meeting_project, signal_project = Project.alias(), Project.alias()
        return (
            cls.select(cls, Project, AgendaItem, Meeting, meeting_project, Signal, signal_project)
            .join_from(cls, Project, JOIN.LEFT_OUTER, on=(cls.project == Project.id), attr="to")
            .join_from(cls, AgendaItem, JOIN.LEFT_OUTER, on=(cls.agenda_item == AgendaItem.id))
            .join_from(AgendaItem, Meeting, JOIN.LEFT_OUTER, on=(AgendaItem.meeting == Meeting.id))
            .join_from(
                Meeting,
                meeting_project,
                JOIN.LEFT_OUTER,
                on=(Meeting.project == meeting_project.id),
                attr="where",
            )
            .join_from(cls, Signal, JOIN.LEFT_OUTER, on=(cls.signal == Signal.id))
            .join_from(
                Signal,
                signal_project,
                JOIN.LEFT_OUTER,
                on=(Signal.project == signal_project.id),
                attr="where",
            )
        )

    @classmethod
    def find(cls, concern_id: int) -> "Concern | None":
        """One concern with its project and fate, or None."""
        return cls.with_fate().where(cls.id == concern_id).first()

    @classmethod
    def by_code(cls, code: str) -> "Concern | None":
        """The concern whose reading code this is, with its fate, or None."""
        return cls.with_fate().where(cls.reading_hash == cls.hash_code(code)).first()
