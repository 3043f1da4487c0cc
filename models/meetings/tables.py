"""The meetings area's tables of the meeting itself: series, meetings, attendance, agenda,
proposals, stances and turn swaps (PRODUCT.md "Meetings and consensus"), with the queries on
them as classmethods that read as English (`Meeting.coming(project)`,
`Proposal.decisions(project)`). What follows from a meeting (minutes, actions, signals,
successes) is in models/meetings/minutes_tables.py and project_tables.py."""

from typing import NamedTuple

from peewee import (
    JOIN,
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
from models.db import BaseModel, lowered
from models.organisation import Project
from models.paging import Page, keyset_page
from models.people import Membership
from models.person import Person
from models.sql_once import Prepared, Shaped, Slot
from models.words import FORMER_MEMBER


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
    state = CharField(max_length=10, default="planned", index=True)
    chair = ForeignKeyField(Person, null=True, on_delete="SET NULL")
    minute_taker = ForeignKeyField(Person, null=True, on_delete="SET NULL")
    # The buddy of a newcomer who chairs together with them (PRODUCT.md "duo chair").
    chair_duo = ForeignKeyField(Person, null=True, on_delete="SET NULL")
    # Set by a swap or a coordinator's override: re-planning keeps this meeting's rota.
    rota_fixed = BooleanField(default=False)
    started_at = DateTimeField(null=True)
    closed_at = DateTimeField(null=True)
    created_at = DateTimeField(default=now)
    # Moving a meeting (models/meetings/changes.py) raises its calendar SEQUENCE and keeps the
    # date it had; cancelling keeps the reason (docs/rules.md "Moving, cancelling and adding
    # meetings"). A meeting started early keeps its planned date here too.
    sequence = IntegerField(default=0)
    moved_from = DateField(null=True)
    cancel_reason = TextField(default="")

    class Meta:
        indexes = ((("project", "date"), False),)

    @classmethod
    def join_people(cls, query):
        """The query (which selects meetings) with each meeting's chair, minute-taker and duo
        joined: their id and name, all that is shown of them (three whole people per meeting
        were most of the meetings page's CPU, issue 23)."""
        chair, taker, duo = Person.alias(), Person.alias(), Person.alias()
        names = [column for p in (chair, taker, duo) for column in (p.id, p.display_name)]
        return (
            query.select_extend(*names)
            .join_from(cls, chair, JOIN.LEFT_OUTER, on=(cls.chair == chair.id), attr="chair")
            .join_from(
                cls, taker, JOIN.LEFT_OUTER, on=(cls.minute_taker == taker.id), attr="minute_taker"
            )
            .join_from(cls, duo, JOIN.LEFT_OUTER, on=(cls.chair_duo == duo.id), attr="chair_duo")
        )

    @classmethod
    def with_people(cls):
        """Meetings with their project, chair, minute-taker and duo (one query)."""
        return cls.join_people(
            cls.select(cls, Project).join(Project, on=(cls.project == Project.id))
        )

    @classmethod
    def find(cls, meeting_id: int) -> "Meeting | None":
        """One meeting with its project and people, or None (its SQL built once: every
        meeting route's rule loads it, issue 23)."""
        return _MEETING_BY_ID.first(id=meeting_id)

    @classmethod
    def coming(cls, project_id: int, limit: int = 6) -> list["Meeting"]:
        """The next planned meetings with their chair and minute-taker."""
        return list(
            cls.with_people()
            .where((cls.project == project_id) & (cls.state == "planned"))
            .order_by(cls.date, cls.id)
            .limit(limit)
        )

    @classmethod
    def not_closed(cls, project_id: int) -> list["Meeting"]:
        """A project's meetings still to come or running, with their people, by date (as
        many as were planned: planning adds at most a year at a time); a cancelled one while
        its date has not passed."""
        return list(
            cls.with_people()
            .where(
                (cls.project == project_id)
                & (cls.state != "closed")
                & ((cls.state != "cancelled") | (cls.date >= today()))
            )
            .order_by(cls.date, cls.id)
        )

    @classmethod
    def past_page(cls, project_id: int, **where_on) -> Page:
        """A page of a project's closed meetings with their people, newest first (they grow
        by one a month; `where_on`: after, before; models/paging.py)."""
        query = cls.with_people().where((cls.project == project_id) & (cls.state == "closed"))
        return keyset_page(query, lambda m: [m.date, m.id], cls, **where_on)

    def _before(self):
        """The condition for the project's meetings before this one (by date, then id)."""
        return (Meeting.project == self.project_id) & (
            (Meeting.date < self.date) | ((Meeting.date == self.date) & (Meeting.id < self.id))
        )

    def earlier(self):
        """The ids of the project's meetings before this one (a subquery)."""
        return Meeting.select(Meeting.id).where(self._before())

    def before_values(self) -> dict:
        """The values of the slots of `before_slots()` for this meeting."""
        return {"project": self.project_id, "date": self.date, "id": self.id}

    def previous(self) -> "Meeting | None":
        """The project's meeting just before this one (its SQL built once)."""
        return _PREVIOUS.first(**self.before_values())

    def following(self) -> "Meeting | None":
        """The project's meeting just after this one, with its chair and duo (whose chair
        approves these minutes, PRODUCT.md "Minutes")."""
        return (
            Meeting.select(Meeting.id, Meeting.project, Meeting.chair, Meeting.chair_duo)
            .where(
                (Meeting.project == self.project_id)
                & (
                    (Meeting.date > self.date)
                    | ((Meeting.date == self.date) & (Meeting.id > self.id))
                )
            )
            .order_by(Meeting.date, Meeting.id)
            .first()
        )

    def chaired_by(self, person_id: int | None) -> bool:
        """True when the person chairs this meeting (alone or as the duo)."""
        return bool(person_id) and person_id in (self.chair_id, self.chair_duo_id)


class Attendance(BaseModel):
    """Whether someone was present, sent apologies or was absent."""

    meeting = ForeignKeyField(Meeting, backref="attendance", on_delete="CASCADE")
    person = ForeignKeyField(Person, on_delete="CASCADE")
    status = CharField(max_length=10)
    updated_at = DateTimeField(default=now)

    class Meta:
        indexes = ((("meeting", "person"), True),)

    @classmethod
    def of_meeting(cls, meeting_id: int) -> dict[int, str]:
        """Each person's attendance status at a meeting (its SQL built once)."""
        return dict(_ATTENDANCE.rows(meeting=meeting_id))


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

    @classmethod
    def find(cls, item_id: int) -> "AgendaItem | None":
        """One agenda item with its meeting (and the meeting's project and people), or None."""
        query = (
            cls.select(cls, Meeting, Project)
            .join(Meeting, on=(cls.meeting == Meeting.id))
            .join(Project, on=(Meeting.project == Project.id))
        )
        return Meeting.join_people(query).where(cls.id == item_id).first()

    @classmethod
    def of_meeting(cls, meeting_id: int, with_adders: bool = False) -> list["AgendaItem"]:
        """A meeting's agenda in its order (with who added each item, when asked; its SQL
        built once per shape)."""
        return _AGENDA(with_adders=with_adders).rows(meeting=meeting_id)


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
    # The id of the first version: every later version (an amendment on the same item, or a
    # new round reopened at the next meeting) points at it, so the history stays together.
    first_version = IntegerField(null=True, index=True)
    # A provisional decision confirmed at a later meeting (outcome becomes "confirmed");
    # decided_on stays the date of the provisional decision.
    confirmed_on = DateField(null=True)
    confirmed_in = ForeignKeyField(
        Meeting, null=True, on_delete="SET NULL", backref="confirmed_decisions"
    )
    # A proposal between meetings (models/meetings/between.py): the moment it closes by
    # itself (naive UTC), and the smallest reminder told so far (24 or 2 hours before it).
    closes_at = DateTimeField(null=True, index=True)
    reminded_hours = IntegerField(null=True)

    class Meta:
        # The newest decisions first (the budget's decision picker over every project):
        # read along this index instead of sorting every proposal (migration 0011).
        indexes = ((("decided_on", "id"), False),)

    @classmethod
    def find(cls, proposal_id: int) -> "Proposal | None":
        """One proposal with its agenda item, meeting and project, or None."""
        return (
            cls.select(cls, AgendaItem, Meeting, Project)
            .join(AgendaItem, on=(cls.agenda_item == AgendaItem.id))
            .join(Meeting, on=(AgendaItem.meeting == Meeting.id))
            .join(Project, on=(Meeting.project == Project.id))
            .where(cls.id == proposal_id)
            .first()
        )

    @classmethod
    def decisions(cls, project_id: int | None = None, search: str = ""):
        """The decision register: closed proposals with their meeting and project, and the
        meeting that confirmed a provisional one (a query, for the caller to order),
        optionally of one project and matching a search."""
        confirmed_in = Meeting.alias()
        query = (
            cls.select(cls, AgendaItem, Meeting, Project, confirmed_in)
            .join(AgendaItem, on=(cls.agenda_item == AgendaItem.id))
            .join(Meeting, on=(AgendaItem.meeting == Meeting.id))
            .join(Project, on=(Meeting.project == Project.id))
            .join_from(
                cls,
                confirmed_in,
                JOIN.LEFT_OUTER,
                on=(cls.confirmed_in == confirmed_in.id),
                attr="confirmed_in",
            )
            .where(cls.state == "closed")
        )
        if project_id is not None:
            query = query.where(cls.project == project_id)
        return query.where(_matching(search)) if search else query

    @classmethod
    def by_item(cls, meeting_id: int, closed_only: bool = False) -> dict[int, list]:
        """A meeting's proposals, grouped by agenda item (oldest first; its SQL built once
        per shape)."""
        grouped: dict[int, list] = {}
        for proposal in _BY_ITEM(closed_only=closed_only).rows(meeting=meeting_id):
            grouped.setdefault(proposal.agenda_item_id, []).append(proposal)
        return grouped

    def versions(self) -> list["Proposal"]:
        """Every version of the proposal: on this agenda item, and the rounds before or after
        it at other meetings (one query)."""
        first = self.first_version or self.id
        return list(
            Proposal.select()
            .where(
                (Proposal.agenda_item == self.agenda_item_id)
                | (Proposal.first_version == first)
                | (Proposal.id == first)
            )
            .order_by(Proposal.version, Proposal.id)
        )


class Stance(BaseModel):
    """One stance as given; every change is a new row, the latest per person counts."""

    proposal = ForeignKeyField(Proposal, backref="stances", on_delete="CASCADE")
    person = ForeignKeyField(Person, on_delete="CASCADE")
    kind = CharField(max_length=12)
    reason = TextField(default="")
    recorded_by = ForeignKeyField(Person, null=True, on_delete="SET NULL")
    created_at = DateTimeField(default=now)


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

    @classmethod
    def find(cls, swap_id: int) -> "TurnSwap | None":
        """One swap with its meeting (and the meeting's project and people), or None."""
        query = (
            cls.select(cls, Meeting, Project)
            .join(Meeting, on=(cls.meeting == Meeting.id))
            .join(Project, on=(Meeting.project == Project.id))
        )
        return Meeting.join_people(query).where(cls.id == swap_id).first()


class MemberName(NamedTuple):
    """A member as a choice shows them: the id and the name (Person.shown_name's rule)."""

    id: int
    shown_name: str


def members_of(project_id: int, statuses=("active",), names_only=False) -> list[Person]:
    """The people with a membership of the project in these statuses, by name (one query);
    `names_only` gives each as a MemberName (a meeting's page: every member, seven times a
    choice; a whole Person per member was most of the page's query time)."""
    rows = _MEMBERS(statuses=tuple(statuses), names_only=names_only).rows(project=project_id)
    if names_only:
        return [MemberName(i, name or FORMER_MEMBER) for i, name in rows]
    return rows


def _members(statuses: tuple, names_only: bool):
    query = (
        Person.select(*((Person.id, Person.display_name) if names_only else (Person,)))
        .join(Membership, on=(Membership.person == Person.id))
        .where((Membership.project == Slot("project")) & Membership.status.in_(list(statuses)))
        .order_by(Person.display_name)
    )
    return query.tuples() if names_only else query


# A meeting's page's queries, their SQL built once per shape (models/sql_once.py): building
# them was a third of the page's CPU (issue 23).
_MEMBERS = Shaped(_members)
_MEETING_BY_ID = Prepared(lambda: Meeting.with_people().where(Meeting.id == Slot("id")).limit(1))


def before_slots():
    """Meeting._before() with the meeting's project, date and id in slots."""
    date, meeting_id = Slot("date"), Slot("id")
    return (Meeting.project == Slot("project")) & (
        (Meeting.date < date) | ((Meeting.date == date) & (Meeting.id < meeting_id))
    )


_PREVIOUS = Prepared(
    lambda: (
        Meeting.select(Meeting.id, Meeting.date)
        .where(before_slots())
        .order_by(Meeting.date.desc(), Meeting.id.desc())
        .limit(1)
    )
)
_ATTENDANCE = Prepared(
    lambda: (
        Attendance.select(Attendance.person, Attendance.status)
        .where(Attendance.meeting == Slot("meeting"))
        .tuples()
    )
)


def _agenda(with_adders: bool):
    if with_adders:
        adder = Person.alias()
        query = AgendaItem.select(AgendaItem, adder).join_from(
            AgendaItem, adder, JOIN.LEFT_OUTER, on=(AgendaItem.added_by == adder.id),
            attr="added_by",
        )  # fmt: skip
    else:
        query = AgendaItem.select()
    return query.where(AgendaItem.meeting == Slot("meeting")).order_by(
        AgendaItem.position, AgendaItem.id
    )


_AGENDA = Shaped(_agenda)


def _by_item(closed_only: bool):
    query = (
        Proposal.select()
        .join(AgendaItem, on=(Proposal.agenda_item == AgendaItem.id))
        .where(AgendaItem.meeting == Slot("meeting"))
    )
    if closed_only:
        query = query.where(Proposal.state == "closed")
    return query.order_by(Proposal.id)


_BY_ITEM = Shaped(_by_item)


def bring_up_to_date(row, fresh) -> None:
    """Copy the columns of a row just read under its lock into the object the caller holds,
    so what is shown next (after a refusal) tells the state as it is now."""
    row.__data__.update(fresh.__data__)


def _matching(search: str):
    """The decisions whose text, statement or agenda item's title holds the search."""
    return (
        lowered(Proposal.text).contains(search.lower())
        | lowered(Proposal.statement).contains(search.lower())
        | lowered(AgendaItem.title).contains(search.lower())
    )
