"""Minutes: the minute-taker's notes (general, and per agenda item) written live on top of a
version (a stale save never overwrites), beside the facts read from the meeting's records
(models/meetings/minutes_facts.py); shared with the members, approved at a later meeting,
and after that only corrected by dated notes (PRODUCT.md "Minutes")."""

from peewee import JOIN, IntegrityError, Value, fn

from models.accounts import audit
from models.actor import Actor
from models.clock import now
from models.db import database
from models.meetings.agenda import lock_meeting
from models.meetings.errors import Conflict, Locked, NotApproving, account_of
from models.meetings.minutes_facts import MAX_ROWS, snapshot
from models.meetings.minutes_tables import Minutes, MinutesItem, MinutesNote
from models.meetings.tables import AgendaItem, Meeting, Proposal
from models.organisation import Project
from models.person import Person
from models.sql_once import Shaped, Slot, in_size, in_slots, in_values


def agenda_item_ids(meeting_id: int) -> list[int]:
    """The ids of the meeting's agenda items, in order (as many as the minutes show)."""
    return [
        item.id
        for item in AgendaItem.select(AgendaItem.id)
        .where(AgendaItem.meeting == meeting_id)
        .order_by(AgendaItem.position, AgendaItem.id)
        .limit(MAX_ROWS)
    ]


def save_minutes(
    meeting_id: int,
    text: str,
    version: int,
    person_id=None,
    item_notes: dict[int, str] | None = None,
) -> Minutes:
    """Save minutes written on top of `version` (by `person_id`): the general notes (`text`)
    and the notes per agenda item (`item_notes`, agenda item id → text; items of other
    meetings are left out), in one transaction; a stale version raises Conflict, approved
    minutes Locked("approved"), a cancelled meeting (it has no minutes) Locked("cancelled").

    The update is one conditional statement (WHERE version = the writer's version), so two
    saves on the same version can never both win, on SQLite and PostgreSQL alike; the notes
    per item are written only by the save that won.
    """
    with database.atomic():
        # Locked against a cancellation at this moment: one of the two comes first.
        if lock_meeting(meeting_id).state == "cancelled":
            raise Locked("cancelled")
        return _save(meeting_id, text, version, person_id, item_notes)


def _save(meeting_id, text, version, person_id, item_notes) -> Minutes:
    minutes = Minutes.get_or_none(Minutes.meeting == meeting_id)
    if minutes is None:
        try:
            with database.atomic():  # a savepoint: two first saves may race here
                minutes = Minutes.create(meeting=meeting_id)
        except IntegrityError:
            minutes = Minutes.get(Minutes.meeting == meeting_id)
    if minutes.state == "approved":
        raise Locked("approved")
    updated = (
        Minutes.update(
            text=text, version=Minutes.version + 1, updated_by=person_id, updated_at=now()
        )
        .where(
            (Minutes.id == minutes.id)
            & (Minutes.version == version)
            & (Minutes.state != "approved")
        )
        .execute()
    )
    fresh = Minutes.get_by_id(minutes.id)
    if not updated:
        if fresh.state == "approved":
            raise Locked("approved")
        raise Conflict(fresh)
    if item_notes:
        _save_item_notes(fresh, meeting_id, item_notes)
    return fresh


def _save_item_notes(minutes: Minutes, meeting_id: int, item_notes: dict[int, str]) -> None:
    """Replace the notes of the posted agenda items of this meeting (three statements)."""
    ours = [
        i.id
        for i in AgendaItem.select(AgendaItem.id).where(
            (AgendaItem.meeting == meeting_id) & AgendaItem.id.in_(list(item_notes))
        )
    ]
    if not ours:
        return
    MinutesItem.delete().where(
        (MinutesItem.minutes == minutes.id) & MinutesItem.agenda_item.in_(ours)
    ).execute()
    rows = [
        {"minutes": minutes.id, "agenda_item": i, "text": item_notes[i]}
        for i in ours
        if item_notes[i].strip()
    ]
    if rows:
        MinutesItem.insert_many(rows).execute()


def share_minutes(meeting_id: int) -> None:
    """Share draft minutes with the members so they can comment (one statement that only a
    draft passes); Locked when there is no draft."""
    with database.atomic():
        shared = (
            Minutes.update(state="shared", shared_at=now())
            .where((Minutes.meeting == meeting_id) & (Minutes.state == "draft"))
            .execute()
        )
        if not shared:
            raise Locked("not a draft")


# The outcomes that decide: consensus, and a provisional decision the next meeting confirmed.
DECIDED = ("consensus", "confirmed")


def approving_proposals(meeting: Meeting, proposal_id: int | None = None):
    """Decided proposals of the project's later meetings (consensus, or confirmed): those
    that may approve this meeting's minutes (a query; `proposal_id` narrows it to one)."""
    query = (
        Proposal.select(Proposal, AgendaItem, Meeting)
        .join(AgendaItem, on=(Proposal.agenda_item == AgendaItem.id))
        .join(Meeting, on=(AgendaItem.meeting == Meeting.id))
        .where(
            (Proposal.project == meeting.project_id)
            & Proposal.outcome.in_(DECIDED)
            & (Meeting.date > meeting.date)
        )
    )
    if proposal_id is not None:
        query = query.where(Proposal.id == proposal_id)
    return query.order_by(Meeting.date, Proposal.id)


def approve_minutes(
    meeting: Meeting, actor: Actor | None = None, by_proposal: int | None = None
) -> Minutes:
    """Approve shared minutes, with "no objections" or by a decided proposal of a later
    meeting (`by_proposal`, NotApproving when it is none); they never change after this: the
    facts and the notes per agenda item are stored as they stand now
    (models/meetings/minutes_facts.py). Locked when they are not shared. One transaction,
    with the audit line."""
    with database.atomic():
        how = "no_objections"
        if by_proposal is not None:
            approving = approving_proposals(meeting, by_proposal).first()
            if approving is None:
                raise NotApproving()
            how = f"proposal:{approving.id}"
        minutes = Minutes.of_meeting(meeting.id)
        if minutes is None or minutes.state != "shared":
            raise Locked("not shared")
        updated = (
            Minutes.update(
                state="approved",
                approved_at=now(),
                approved_how=how,
                approved_facts=snapshot(meeting.id, minutes.id),
            )
            .where((Minutes.id == minutes.id) & (Minutes.state == "shared"))
            .execute()
        )
        if not updated:  # approved by someone else meanwhile
            raise Locked("not shared")
        audit.record(
            account_of(actor),
            "minutes.approve",
            minutes,
            project=meeting.project_id,
            after={"version": minutes.version, "how": how},
        )
    return minutes


def add_note(meeting_id: int, text: str, actor: Actor | None = None) -> MinutesNote:
    """The actor's comment on shared minutes, or a dated correction to approved ones (the
    state read in the note's own transaction); Locked while there are no shared minutes."""
    with database.atomic():
        minutes = Minutes.of_meeting(meeting_id)
        if minutes is None or minutes.state == "draft":
            raise Locked("draft")
        return MinutesNote.create(
            minutes=minutes.id,
            kind="correction" if minutes.state == "approved" else "comment",
            text=text,
            author=actor.person_id if actor else None,
        )


def notes_on(minutes: Minutes | None, with_authors: bool = True) -> list[MinutesNote]:
    """The notes on minutes, oldest first (none when there are no minutes)."""
    if minutes is None:
        return []
    if not with_authors:
        return list(MinutesNote.select().where(MinutesNote.minutes == minutes.id))
    return list(
        MinutesNote.select(MinutesNote, Person)
        .join(Person, JOIN.LEFT_OUTER, on=(MinutesNote.author == Person.id), attr="author")
        .where(MinutesNote.minutes == minutes.id)
        .order_by(MinutesNote.id)
    )


def needing(actor: Actor) -> list[Meeting]:
    """The meetings whose minutes need the actor, oldest first, in one query: to share
    (closed meetings where they took the minutes and the minutes are not shared yet) or
    to approve (shared minutes of a project they coordinate, of any project for an
    organisation coordinator, or whose next meeting they chair). Each meeting has
    `minutes_state` ("draft" or "shared") and its project."""
    person_id = actor.person_id
    if not person_id:
        return []
    # Its SQL built once per shape (models/sql_once.py): how many projects the actor is a
    # member of and coordinates (or all, None); building it was the costliest piece of
    # "Voor jou" on the start page (issue 23).
    members = sorted(actor.member_of)
    coordinates = None if actor.is_org_coordinator else sorted(actor.coordinates)
    member_slots = in_size(len(members)) if members else 0
    coordinate_slots = None
    if coordinates is not None:
        coordinate_slots = in_size(len(coordinates)) if coordinates else 0
    values = {"person": person_id}
    if members:
        values.update(in_values("m", members, member_slots))
    if coordinates:
        values.update(in_values("c", coordinates, coordinate_slots))
    return _NEEDING(members=member_slots, coordinates=coordinate_slots).rows(**values)


def _needing(members: int, coordinates: int | None):
    """The query of `needing`: `members` slots for the projects the person is a member of,
    `coordinates` for those they coordinate (None: every project)."""
    person_id = Slot("person")
    following = Meeting.alias()
    next_id = (
        following.select(following.id)
        .where(
            (following.project == Meeting.project)
            & (
                (following.date > Meeting.date)
                | ((following.date == Meeting.date) & (following.id > Meeting.id))
            )
        )
        .order_by(following.date, following.id)
        .limit(1)
    )
    chaired = Meeting.alias()
    chaired_ids = chaired.select(chaired.id).where(
        (chaired.chair == person_id) | (chaired.chair_duo == person_id)
    )
    member_projects = in_slots("m", members)
    approves = Meeting.project.in_(member_projects) & fn.COALESCE(next_id, 0).in_(chaired_ids)
    if coordinates is None:
        approves = Value(True)
    elif coordinates:
        approves = approves | Meeting.project.in_(in_slots("c", coordinates))
    to_share = (
        (Meeting.state == "closed")
        & (Meeting.minute_taker == person_id)
        & Meeting.project.in_(member_projects)
        & (Minutes.id.is_null() | (Minutes.state == "draft"))
    )
    to_approve = (Minutes.state == "shared") & approves
    # The same rows, said so that an index finds them (issue 23.4): without it the planner
    # read every meeting in date order and tested the OR on each (13 ms at federation
    # scale); with it, the meetings this person takes the minutes of (meeting.minute_taker)
    # and those whose minutes are shared (minutes (state, meeting)), a few rows sorted.
    shared = Minutes.alias()
    findable = ((Meeting.minute_taker == person_id) & (Meeting.state == "closed")) | (
        Meeting.id.in_(shared.select(shared.meeting).where(shared.state == "shared"))
    )
    return (
        Meeting.select(Meeting, Project, fn.COALESCE(Minutes.state, "draft").alias("minutes_state"))
        .join(Project, on=(Meeting.project == Project.id))
        .join_from(Meeting, Minutes, JOIN.LEFT_OUTER, on=(Minutes.meeting == Meeting.id))
        .where(findable & (to_share | to_approve))
        .order_by(Meeting.date, Meeting.id)
        .limit(20)
    )


_NEEDING = Shaped(_needing)
