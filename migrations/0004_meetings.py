"""Meetings and consensus: series, meetings, attendance, agenda, proposals, stances, minutes,
notes, actions, signals, successes and turn swaps.

Models here are frozen copies of the models as they were when this migration was written.
"""

import datetime

from peewee import (
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
    TimeField,
)


def up(migrator, db):
    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    def now():
        return datetime.datetime.now(datetime.UTC).replace(tzinfo=None, microsecond=0)

    today = datetime.date.today

    class Person(Base):
        pass

    class Project(Base):
        pass

    class MeetingSeries(Base):
        project = ForeignKeyField(Project, on_delete="CASCADE")
        weekday = IntegerField(default=1)  # Monday 0 … Sunday 6
        time = TimeField(null=True)
        place = CharField(max_length=200, default="")
        frequency = CharField(max_length=10, default="monthly")

    class Meeting(Base):
        project = ForeignKeyField(Project, on_delete="CASCADE")
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

    class Attendance(Base):
        meeting = ForeignKeyField(Meeting, on_delete="CASCADE")
        person = ForeignKeyField(Person, on_delete="CASCADE")
        status = CharField(max_length=10)
        updated_at = DateTimeField(default=now)

        class Meta:
            indexes = ((("meeting", "person"), True),)

    class AgendaItem(Base):
        meeting = ForeignKeyField(Meeting, on_delete="CASCADE")
        title = CharField(max_length=200)
        explanation = TextField(default="")
        time_box = IntegerField(null=True)  # minutes
        position = IntegerField(default=0)
        added_by = ForeignKeyField(Person, null=True, on_delete="SET NULL")
        source = CharField(max_length=12, default="member")
        created_at = DateTimeField(default=now)

    class Proposal(Base):
        project = ForeignKeyField(Project, on_delete="CASCADE")
        agenda_item = ForeignKeyField(AgendaItem, on_delete="CASCADE")
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

    class Stance(Base):
        proposal = ForeignKeyField(Proposal, on_delete="CASCADE")
        person = ForeignKeyField(Person, on_delete="CASCADE")
        kind = CharField(max_length=12)
        reason = TextField(default="")
        recorded_by = ForeignKeyField(Person, null=True, on_delete="SET NULL")
        created_at = DateTimeField(default=now)

    class Minutes(Base):
        meeting = ForeignKeyField(Meeting, unique=True, on_delete="CASCADE")
        text = TextField(default="")
        version = IntegerField(default=0)
        state = CharField(max_length=8, default="draft")
        updated_by = ForeignKeyField(Person, null=True, on_delete="SET NULL")
        updated_at = DateTimeField(default=now)
        shared_at = DateTimeField(null=True)
        approved_at = DateTimeField(null=True)
        approved_how = CharField(max_length=20, default="")

    class MinutesNote(Base):
        minutes = ForeignKeyField(Minutes, on_delete="CASCADE")
        kind = CharField(max_length=10, default="comment")
        text = TextField()
        author = ForeignKeyField(Person, null=True, on_delete="SET NULL")
        created_at = DateTimeField(default=now)

    class Action(Base):
        project = ForeignKeyField(Project, on_delete="CASCADE")
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

    class Signal(Base):
        project = ForeignKeyField(Project, on_delete="CASCADE")
        kind = CharField(max_length=8, default="idea")
        text = TextField()
        author = ForeignKeyField(Person, null=True, on_delete="SET NULL")
        anonymous = BooleanField(default=False)
        status = CharField(max_length=12, default="new")
        answer = TextField(default="")
        answered_at = DateTimeField(null=True)
        answered_by = ForeignKeyField(Person, null=True, on_delete="SET NULL")
        created_at = DateTimeField(default=now)

    class Success(Base):
        project = ForeignKeyField(Project, on_delete="CASCADE")
        text = CharField(max_length=300)
        date = DateField(default=today)
        added_by = ForeignKeyField(Person, null=True, on_delete="SET NULL")

    class TurnSwap(Base):
        meeting = ForeignKeyField(Meeting, on_delete="CASCADE")
        role = CharField(max_length=8)  # chair | minutes
        asked_by = ForeignKeyField(Person, on_delete="CASCADE")
        asked_to = ForeignKeyField(Person, on_delete="CASCADE")
        # The meeting where asked_to has their turn, which asked_by takes over (None: a plain
        # hand-over of the turn).
        other_meeting = ForeignKeyField(Meeting, null=True, on_delete="CASCADE")
        state = CharField(max_length=8, default="asked")
        created_at = DateTimeField(default=now)

    db.create_tables(
        [
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
    )
