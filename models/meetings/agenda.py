"""A meeting's agenda: items any member adds until the meeting starts, their order, and what
comes back by itself from earlier meetings (open actions, provisional decisions)."""

from peewee import fn

from models.db import database, lock_for_update
from models.meetings.errors import Locked
from models.meetings.minutes_tables import Minutes
from models.meetings.project_tables import Action
from models.meetings.rota import swaps_waiting
from models.meetings.tables import (
    AgendaItem,
    Attendance,
    Meeting,
    Proposal,
    before_slots,
    bring_up_to_date,
    members_of,
)
from models.meetings.vocabulary import OPEN_ACTION_STATUSES
from models.sql_once import Prepared, Shaped, Slot


def lock_meeting(meeting_id: int) -> Meeting:
    """The meeting as it is now, locked until the transaction ends: its state and its agenda
    change one writer at a time (call inside a transaction)."""
    return lock_for_update(Meeting.select().where(Meeting.id == meeting_id)).get()


def add_agenda_item(meeting: Meeting | int, title: str, **fields) -> AgendaItem:
    """Add an item at the end of a planned meeting's agenda; Locked once the meeting started
    (and a Meeting passed in brought up to date).

    One transaction (a savepoint inside the caller's): the meeting is locked first, so items
    added at the same moment get different positions and none lands after the start.
    """
    meeting_id = meeting.id if isinstance(meeting, Meeting) else meeting
    with database.atomic():
        fresh = lock_meeting(meeting_id)
        if fresh.state != "planned":
            if isinstance(meeting, Meeting):
                bring_up_to_date(meeting, fresh)
            raise Locked("started")
        last = (
            AgendaItem.select(fn.MAX(AgendaItem.position))
            .where(AgendaItem.meeting == meeting_id)
            .scalar()
        )
        return AgendaItem.create(
            meeting=meeting_id, title=title, position=(last or 0) + 1, **fields
        )


def move_agenda_item(item: AgendaItem, direction: str) -> None:
    """Move an item one place "up" or "down"; Locked once the meeting is closed. One
    transaction: the meeting is locked, so two moves at once do not mix their orders."""
    with database.atomic():
        if lock_meeting(item.meeting_id).state == "closed":
            raise Locked("closed")
        items = AgendaItem.of_meeting(item.meeting_id)
        index = next(i for i, it in enumerate(items) if it.id == item.id)
        other = index - 1 if direction == "up" else index + 1
        if 0 <= other < len(items):
            items[index], items[other] = items[other], items[index]
        for position, it in enumerate(items, 1):
            if it.position != position:
                it.position = position
                it.save()


def carried_over(meeting: Meeting) -> dict:
    """Open actions from earlier meetings, and the previous meeting's provisional decisions
    (waiting, or confirmed at this meeting) and its minutes waiting for approval (PRODUCT.md:
    they come back on the agenda). A reopened one is an agenda item of this meeting. Its
    queries' SQL built once per shape (models/sql_once.py: building them was a fifth of a
    meeting page's CPU, issue 23)."""
    actions = _OPEN_ACTIONS.rows(**meeting.before_values())
    before = meeting.previous()
    minutes_to_approve = None
    if before is not None:
        minutes_to_approve = _MINUTES_TO_APPROVE.first(before=before.id)
    provisional = _PROVISIONAL(before=before is not None).rows(
        meeting=meeting.id, before=before.id if before is not None else None
    )
    return {
        "open_actions": actions,
        "provisional": provisional,
        "previous": before,
        "minutes_to_approve": minutes_to_approve,
    }


def _open_actions():
    earlier = Meeting.select(Meeting.id).where(before_slots())
    return (
        Action.with_owners()
        .where(
            (Action.project == Slot("project"))
            & Action.status.in_(OPEN_ACTION_STATUSES)
            & (Action.meeting.is_null() | Action.meeting.in_(earlier))
        )
        .order_by(Action.due, Action.id)
    )


def _provisional(before: bool):
    """The provisional decisions of the meeting before, and those taken between meetings
    (consent, on this meeting's agenda: models/meetings/between.py): waiting (provisional
    and not reopened yet), and those this meeting confirmed."""
    decided_for_us = (AgendaItem.meeting == Slot("meeting")) & (AgendaItem.source == "between")
    if before:
        decided_for_us = decided_for_us | (AgendaItem.meeting == Slot("before"))
    later = Proposal.alias()
    reopened = later.select(later.id).where(later.previous == Proposal.id)
    return (
        Proposal.select(Proposal)
        .join(AgendaItem, on=(Proposal.agenda_item == AgendaItem.id))
        .where(
            decided_for_us
            & (
                ((Proposal.outcome == "provisional") & ~fn.EXISTS(reopened))
                | ((Proposal.outcome == "confirmed") & (Proposal.confirmed_in == Slot("meeting")))
            )
        )
        .order_by(Proposal.id)
    )


_OPEN_ACTIONS = Prepared(_open_actions)
_PROVISIONAL = Shaped(_provisional)
_MINUTES_TO_APPROVE = Prepared(
    lambda: (
        Minutes.select(Minutes.id, Minutes.state)
        .where((Minutes.meeting == Slot("before")) & (Minutes.state == "shared"))
        .limit(1)
    )
)
_MINUTES_STATE = Prepared(
    lambda: Minutes.select(Minutes.state).where(Minutes.meeting == Slot("meeting")).limit(1)
)


def meeting_overview(meeting: Meeting, person_id: int | None) -> dict:
    """Everything a meeting's page shows: the agenda with its proposals, attendance, the
    members, the actions, the minutes' state, what carried over and the swaps the person is
    asked to answer."""
    return {
        "items": AgendaItem.of_meeting(meeting.id, with_adders=True),
        "proposals": Proposal.by_item(meeting.id),
        "attendance": Attendance.of_meeting(meeting.id),
        "members": members_of(meeting.project_id, names_only=True),
        "actions": Action.of_meeting(meeting.id),
        "minutes": _MINUTES_STATE.first(meeting=meeting.id),
        "carried": carried_over(meeting),
        "swaps": swaps_waiting(person_id, [meeting.id]),
    }
