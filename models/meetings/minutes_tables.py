"""The meetings area's tables of the minutes: a meeting's minutes, the minute-taker's notes
per agenda item and the members' comments and corrections (PRODUCT.md "Minutes"). What is
done with them is in models/meetings/minutes.py (writing, sharing, approving) and
minutes_facts.py (the facts beside them)."""

from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField, TextField

from models.clock import now
from models.db import BaseModel
from models.meetings.tables import AgendaItem, Meeting
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

    class Meta:
        # "Voor jou" finds the shared minutes along it (models/meetings/minutes.py `needing`).
        indexes = ((("state", "meeting"), False),)

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
