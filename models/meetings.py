"""Meetings and consensus: series, meetings, agenda, proposals, stances, minutes, actions,
signals and successes (PRODUCT.md "Meetings and consensus")."""

from peewee import (
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
    TimeField,
)

from models.clock import now, today
from models.db import BaseModel
from models.organisation import Project
from models.person import Person

MEETING_STATES = ("planned", "started", "closed")
ATTENDANCE = ("present", "apologies", "absent")
AGENDA_SOURCES = ("member", "action", "provisional", "signal")
PROPOSAL_STATES = ("open", "closed")
STANCE_KINDS = ("agree", "concern", "stand_aside", "block", "more_time")
MINUTES_STATES = ("draft", "shared", "approved")
NOTE_KINDS = ("comment", "correction")
ACTION_STATUSES = ("open", "doing", "done", "dropped")
SIGNAL_KINDS = ("idea", "problem")
SIGNAL_STATUSES = ("new", "on_agenda", "in_progress", "done", "not_possible")
SWAP_STATES = ("asked", "accepted", "declined")


class MeetingSeries(BaseModel):
    """A project's regular meeting: by default monthly, on a weekday, at a time and place."""

    project = ForeignKeyField(Project, backref="meeting_series", on_delete="CASCADE")
    weekday = IntegerField(default=1)  # Monday 0 … Sunday 6
    time = TimeField(null=True)
    place = CharField(max_length=200, default="")
    frequency = CharField(max_length=10, default="monthly")


class Meeting(BaseModel):
    """One meeting of a project, with its chair (optionally a duo) and minute-taker."""

    project = ForeignKeyField(Project, backref="meetings", on_delete="CASCADE")
    series = ForeignKeyField(MeetingSeries, null=True, on_delete="SET NULL")
    date = DateField(index=True)
    time = TimeField(null=True)
    place = CharField(max_length=200, default="")
    state = CharField(max_length=8, default="planned", index=True)
    chair = ForeignKeyField(Person, null=True, on_delete="SET NULL")
    minute_taker = ForeignKeyField(Person, null=True, on_delete="SET NULL")
    # The buddy of a newcomer who chairs together with them (PRODUCT.md "duo chair").
    chair_duo = ForeignKeyField(Person, null=True, on_delete="SET NULL")
    # Set by a swap or a coordinator's override: re-planning keeps this meeting's rota.
    rota_fixed = BooleanField(default=False)
    started_at = DateTimeField(null=True)
    closed_at = DateTimeField(null=True)
    created_at = DateTimeField(default=now)

    class Meta:
        indexes = ((("project", "date"), False),)


class Attendance(BaseModel):
    """Whether someone was present, sent apologies or was absent."""

    meeting = ForeignKeyField(Meeting, backref="attendance", on_delete="CASCADE")
    person = ForeignKeyField(Person, on_delete="CASCADE")
    status = CharField(max_length=10)
    updated_at = DateTimeField(default=now)

    class Meta:
        indexes = ((("meeting", "person"), True),)


class AgendaItem(BaseModel):
    """A point on a meeting's agenda; any member may add one until the meeting starts."""

    meeting = ForeignKeyField(Meeting, backref="agenda", on_delete="CASCADE")
    title = CharField(max_length=200)
    explanation = TextField(default="")
    time_box = IntegerField(null=True)  # minutes
    position = IntegerField(default=0)
    added_by = ForeignKeyField(Person, null=True, on_delete="SET NULL")
    source = CharField(max_length=12, default="member")
    created_at = DateTimeField(default=now)


class Proposal(BaseModel):
    """A proposal on an agenda item; an amendment is a new version pointing at the old one."""

    project = ForeignKeyField(Project, on_delete="CASCADE")
    agenda_item = ForeignKeyField(AgendaItem, backref="proposals", on_delete="CASCADE")
    text = TextField()
    version = IntegerField(default=1)
    previous = ForeignKeyField("self", null=True, on_delete="SET NULL")
    state = CharField(max_length=6, default="open", index=True)
    outcome = CharField(max_length=12, null=True)
    statement = TextField(default="")
    # The tally at closing, kept so the register never recounts.
    agree = IntegerField(default=0)
    concern = IntegerField(default=0)
    stand_aside = IntegerField(default=0)
    block = IntegerField(default=0)
    opened_by = ForeignKeyField(Person, null=True, on_delete="SET NULL")
    created_at = DateTimeField(default=now)
    closed_at = DateTimeField(null=True)
    decided_on = DateField(null=True)


class Stance(BaseModel):
    """One stance as given; every change is a new row, the latest per person counts."""

    proposal = ForeignKeyField(Proposal, backref="stances", on_delete="CASCADE")
    person = ForeignKeyField(Person, on_delete="CASCADE")
    kind = CharField(max_length=12)
    reason = TextField(default="")
    recorded_by = ForeignKeyField(Person, null=True, on_delete="SET NULL")
    created_at = DateTimeField(default=now)


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


class Success(BaseModel):
    """Something the project is proud of."""

    project = ForeignKeyField(Project, backref="successes", on_delete="CASCADE")
    text = CharField(max_length=300)
    date = DateField(default=today)
    added_by = ForeignKeyField(Person, null=True, on_delete="SET NULL")


class TurnSwap(BaseModel):
    """A request to swap a turn (chair or minutes) at a meeting; the other person accepts."""

    meeting = ForeignKeyField(Meeting, on_delete="CASCADE")
    role = CharField(max_length=8)  # chair | minutes
    asked_by = ForeignKeyField(Person, on_delete="CASCADE")
    asked_to = ForeignKeyField(Person, on_delete="CASCADE")
    # The meeting where asked_to has their turn, which asked_by takes over (None: a plain
    # hand-over of the turn).
    other_meeting = ForeignKeyField(Meeting, null=True, on_delete="CASCADE")
    state = CharField(max_length=8, default="asked")
    created_at = DateTimeField(default=now)


MODELS = [
    MeetingSeries,
    Meeting,
    Attendance,
    AgendaItem,
    Proposal,
    Stance,
    Minutes,
    MinutesNote,
    Action,
    Signal,
    Success,
    TurnSwap,
]
