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
    bring_up_to_date,
    members_of,
)
from models.meetings.vocabulary import OPEN_ACTION_STATUSES


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
    they come back on the agenda). A reopened one is an agenda item of this meeting."""
    actions = list(
        Action.with_owners()
        .where(
            (Action.project == meeting.project_id)
            & Action.status.in_(OPEN_ACTION_STATUSES)
            & (Action.meeting.is_null() | Action.meeting.in_(meeting.earlier()))
        )
        .order_by(Action.due, Action.id)
    )
    before = meeting.previous()
    minutes_to_approve = None
    # The provisional decisions of the meeting before, and those taken between meetings
    # (consent, on this meeting's agenda: models/meetings/between.py).
    decided_for_us = (AgendaItem.meeting == meeting.id) & (AgendaItem.source == "between")
    if before is not None:
        minutes_to_approve = (
            Minutes.select(Minutes.id, Minutes.state)
            .where((Minutes.meeting == before.id) & (Minutes.state == "shared"))
            .first()
        )
        decided_for_us = decided_for_us | (AgendaItem.meeting == before.id)
    # Waiting: provisional and not reopened yet; and those this meeting confirmed.
    later = Proposal.alias()
    reopened = later.select(later.id).where(later.previous == Proposal.id)
    provisional = list(
        Proposal.select(Proposal)
        .join(AgendaItem, on=(Proposal.agenda_item == AgendaItem.id))
        .where(
            decided_for_us
            & (
                ((Proposal.outcome == "provisional") & ~fn.EXISTS(reopened))
                | ((Proposal.outcome == "confirmed") & (Proposal.confirmed_in == meeting.id))
            )
        )
        .order_by(Proposal.id)
    )
    return {
        "open_actions": actions,
        "provisional": provisional,
        "previous": before,
        "minutes_to_approve": minutes_to_approve,
    }


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
        "minutes": Minutes.select(Minutes.state).where(Minutes.meeting == meeting.id).first(),
        "carried": carried_over(meeting),
        "swaps": swaps_waiting(person_id, [meeting.id]),
    }
