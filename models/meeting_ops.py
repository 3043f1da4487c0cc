"""What meetings do to the database: planning dates, the rota, stances, closing proposals and
saving minutes. Pure rules live in models.rules (rotation, consensus); this wires them to rows.
"""

import calendar
import datetime as dt

from peewee import IntegrityError, fn

from models import audit
from models.clock import now, today
from models.db import database, lock_for_update
from models.meetings import (
    AgendaItem,
    Attendance,
    Meeting,
    MeetingSeries,
    Minutes,
    Proposal,
    Stance,
)
from models.people import Membership
from models.person import Person
from models.rules import consensus
from models.rules.rotation import Candidate, plan_rota


class Conflict(Exception):
    """Someone else saved first: the caller shows both texts so nothing is lost."""

    def __init__(self, minutes: "Minutes"):
        super().__init__("stale version")
        self.minutes = minutes


class Locked(Exception):
    """The thing can no longer be changed (approved minutes, a closed proposal)."""


# --- dates ------------------------------------------------------------------------------


def nth_weekday(year: int, month: int, weekday: int, nth: int) -> dt.date:
    """The nth (1..5) given weekday of a month; the last one when the month has fewer."""
    first = dt.date(year, month, 1)
    offset = (weekday - first.weekday()) % 7
    day = 1 + offset + 7 * (nth - 1)
    last_day = calendar.monthrange(year, month)[1]
    while day > last_day:
        day -= 7
    return dt.date(year, month, day)


def monthly_dates(start: dt.date, count: int) -> list[dt.date]:
    """`count` dates, one a month, on the same weekday of the same week of the month as start."""
    nth = (start.day - 1) // 7 + 1
    dates = []
    year, month = start.year, start.month
    for _ in range(count):
        dates.append(nth_weekday(year, month, start.weekday(), nth))
        month += 1
        if month > 12:
            year, month = year + 1, 1
    return dates


def default_start(project_id: int) -> dt.date:
    """The series' next date (its weekday, from today), or today without a series."""
    series = MeetingSeries.select().where(MeetingSeries.project == project_id).first()
    start = today()
    if series is None:
        return start
    return start + dt.timedelta(days=(series.weekday - start.weekday()) % 7)


def plan_meetings(
    project_id: int,
    count: int,
    start: dt.date | None = None,
    *,
    time: dt.time | None = None,
    place: str | None = None,
    actor=None,
) -> list[Meeting]:
    """Plan `count` monthly meetings (skipping dates that have one) and assign the rota.

    Call inside a transaction. Returns the meetings made.
    """
    start = start or default_start(project_id)
    series = MeetingSeries.select().where(MeetingSeries.project == project_id).first()
    if series is None:
        series = MeetingSeries.create(
            project=project_id, weekday=start.weekday(), time=time, place=place or ""
        )
    else:
        series.weekday = start.weekday()
        if time is not None:
            series.time = time
        if place is not None:
            series.place = place
        series.save()
    dates = monthly_dates(start, count)
    taken = {
        m.date
        for m in Meeting.select(Meeting.date).where(
            (Meeting.project == project_id) & Meeting.date.in_(dates)
        )
    }
    made = []
    for day in dates:
        if day in taken:
            continue
        made.append(
            Meeting.create(
                project=project_id, series=series, date=day, time=series.time, place=series.place
            )
        )
    if made:
        audit.record(
            actor,
            "meetings.plan",
            project=project_id,
            after={"dates": [m.date.isoformat() for m in made]},
        )
    replan_rota(project_id, actor=actor)
    return made


# --- the rota ---------------------------------------------------------------------------


def candidates(project_id: int) -> list[Candidate]:
    """Active members of the project as the rota sees them."""
    rows = (
        Membership.select(Membership, Person)
        .join(Person, on=(Membership.person == Person.id))
        .where(
            (Membership.project == project_id)
            & (Membership.status == "active")
            & Person.erased_at.is_null()
        )
    )
    return [
        Candidate(
            person_id=m.person_id,
            name=m.person.display_name or "",
            opted_in_chair=m.chair_since,
            opted_in_minutes=m.minutes_since,
            active_from=m.since,
        )
        for m in rows
    ]


def replan_rota(project_id: int, actor=None) -> int:
    """Choose chair and minute-taker again for every meeting that has not started.

    Meetings whose rota was fixed by a swap or an override keep it (and count as turns).
    Call inside a transaction; returns how many meetings changed.
    """
    planned = list(
        Meeting.select()
        .where((Meeting.project == project_id) & (Meeting.state == "planned"))
        .order_by(Meeting.date, Meeting.id)
    )
    if not planned:
        return 0
    first = planned[0].date
    history = list(
        Meeting.select(Meeting.date, Meeting.chair, Meeting.minute_taker)
        .where(
            (Meeting.project == project_id) & (Meeting.state != "planned") & (Meeting.date <= first)
        )
        .order_by(Meeting.date, Meeting.id)
    )
    last_chair, last_minutes, previous_chair = {}, {}, None
    for m in history:
        if m.chair_id:
            last_chair[m.chair_id] = m.date
        if m.minute_taker_id:
            last_minutes[m.minute_taker_id] = m.date
        previous_chair = m.chair_id
    away: dict[int, set[int]] = {}
    for a in Attendance.select(Attendance.meeting, Attendance.person).where(
        Attendance.meeting.in_([m.id for m in planned]) & (Attendance.status == "apologies")
    ):
        away.setdefault(a.meeting_id, set()).add(a.person_id)
    people = candidates(project_id)
    changed = 0
    for meeting in planned:
        if meeting.rota_fixed:
            chair, minute_taker = meeting.chair_id, meeting.minute_taker_id
        else:
            turn = plan_rota(
                [(meeting.id, meeting.date)],
                people,
                history_chair=last_chair,
                history_minutes=last_minutes,
                previous_chair=previous_chair,
                apologies=away,
            )[0]
            chair, minute_taker = turn.chair, turn.minute_taker
            if (chair, minute_taker) != (meeting.chair_id, meeting.minute_taker_id):
                before = {"chair": meeting.chair_id, "minute_taker": meeting.minute_taker_id}
                if chair != meeting.chair_id or meeting.chair_duo_id == minute_taker:
                    meeting.chair_duo = None  # the duo belonged to the previous chair
                meeting.chair, meeting.minute_taker = chair, minute_taker
                meeting.save()
                audit.record(
                    actor,
                    "rota.plan",
                    meeting,
                    project=project_id,
                    before=before,
                    after={"chair": chair, "minute_taker": minute_taker},
                )
                changed += 1
        if chair:
            last_chair[chair] = meeting.date
        if minute_taker:
            last_minutes[minute_taker] = meeting.date
        previous_chair = chair
    return changed


def set_attendance(meeting: Meeting, person_id: int, status: str, actor=None) -> None:
    """Record attendance; apologies (or taking them back) re-plan the meetings not started."""
    row = Attendance.get_or_none(
        (Attendance.meeting == meeting.id) & (Attendance.person == person_id)
    )
    old = row.status if row else None
    if old == status:
        return
    if row is None:
        Attendance.create(meeting=meeting.id, person=person_id, status=status)
    else:
        row.status, row.updated_at = status, now()
        row.save()
    if meeting.state == "planned" and "apologies" in (old, status):
        if status == "apologies" and person_id in (meeting.chair_id, meeting.minute_taker_id):
            meeting.rota_fixed = False
            meeting.save()
        replan_rota(meeting.project_id, actor=actor)


# --- the agenda -------------------------------------------------------------------------


def lock_meeting(meeting_id: int) -> Meeting:
    """The meeting as it is now, locked until the transaction ends: its state and its agenda
    change one writer at a time (call inside a transaction)."""
    return lock_for_update(Meeting.select().where(Meeting.id == meeting_id)).get()


def add_agenda_item(meeting_id: int, title: str, **fields) -> AgendaItem:
    """Add an item at the end of a planned meeting's agenda; Locked once the meeting started.

    The meeting is locked first, so items added at the same moment get different positions
    and none lands after the start. Call inside a transaction.
    """
    if lock_meeting(meeting_id).state != "planned":
        raise Locked("started")
    last = (
        AgendaItem.select(fn.MAX(AgendaItem.position))
        .where(AgendaItem.meeting == meeting_id)
        .scalar()
    )
    return AgendaItem.create(meeting=meeting_id, title=title, position=(last or 0) + 1, **fields)


# --- proposals and stances --------------------------------------------------------------


def current_stances(proposal_ids) -> dict[int, dict[int, Stance]]:
    """The latest stance per person per proposal (one query)."""
    latest = (
        Stance.select(fn.MAX(Stance.id))
        .where(Stance.proposal.in_(proposal_ids))
        .group_by(Stance.proposal, Stance.person)
    )
    result: dict[int, dict[int, Stance]] = {}
    for s in (
        Stance.select(Stance, Person)
        .join(Person, on=(Stance.person == Person.id))
        .where(Stance.id.in_(latest))
        .order_by(Stance.id)
    ):
        result.setdefault(s.proposal_id, {})[s.person_id] = s
    return result


def active_member_count(project_id: int) -> int:
    return (
        Membership.select()
        .where((Membership.project == project_id) & (Membership.status == "active"))
        .count()
    )


def lock_proposal(proposal_id: int) -> Proposal:
    """The proposal as it is now, locked until the transaction ends (call inside one)."""
    return lock_for_update(Proposal.select().where(Proposal.id == proposal_id)).get()


def take_stance(proposal: Proposal, person_id: int, kind: str, reason: str, recorded_by) -> Stance:
    """Add a stance (history kept); refused once the proposal is closed.

    Closing wins: the proposal's state is read under its lock, in the stance's own
    transaction, so a stance never lands after the close counted the stances.
    """
    if lock_proposal(proposal.id).state != "open":
        raise Locked("closed")
    return Stance.create(
        proposal=proposal.id,
        person=person_id,
        kind=kind,
        reason=reason,
        recorded_by=recorded_by,
    )


def close_proposal(proposal: Proposal, statement: str, actor=None, on: dt.date | None = None):
    """Close a proposal with the outcome by the consensus rule and the chair's statement.

    Call inside a transaction: the proposal is locked first, so the stances counted are all
    the stances there will be (and a second close finds it closed).
    """
    if lock_proposal(proposal.id).state != "open":
        raise Locked("closed")
    stances = current_stances([proposal.id]).get(proposal.id, {})
    kinds = [s.kind for s in stances.values()]
    result = consensus.outcome(kinds, active_member_count(proposal.project_id))
    counts = consensus.tally(kinds)
    proposal.state = "closed"
    proposal.outcome = result
    proposal.statement = statement
    proposal.agree = counts["agree"]
    proposal.concern = counts["concern"]
    proposal.stand_aside = counts["stand_aside"]
    proposal.block = counts["block"]
    proposal.closed_at = now()
    proposal.decided_on = on or today()
    proposal.save()
    audit.record(
        actor,
        "decision.close",
        proposal,
        project=proposal.project_id,
        after={"outcome": result, "statement": statement, **counts},
    )
    return result


def next_version(agenda_item_id: int) -> int:
    """The version number for a new proposal on an agenda item (call inside a transaction:
    the agenda item is locked, so two new versions at once get different numbers)."""
    lock_for_update(AgendaItem.select().where(AgendaItem.id == agenda_item_id)).get()
    newest = (
        Proposal.select(fn.MAX(Proposal.version))
        .where(Proposal.agenda_item == agenda_item_id)
        .scalar()
    )
    return (newest or 1) + 1


# --- minutes ----------------------------------------------------------------------------


def save_minutes(meeting_id: int, text: str, version: int, person_id=None) -> Minutes:
    """Save minutes written on top of `version`; a stale version raises Conflict.

    The update is one conditional statement (WHERE version = the writer's version), so two
    saves on the same version can never both win, on SQLite and PostgreSQL alike.
    """
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
    return fresh
