"""Planning meetings: monthly dates that continue the series' pattern (models/rules/series.py),
the meetings made from them, and a meeting's start and close (PRODUCT.md "Meetings and
consensus")."""

import datetime as dt

from models.accounts import audit
from models.actor import Actor
from models.clock import now, today
from models.db import database
from models.meetings.agenda import lock_meeting
from models.meetings.errors import account_of
from models.meetings.project_tables import Signal, Success
from models.meetings.rota import replan_rota
from models.meetings.stored_rota import coming_turns, store_rota
from models.meetings.tables import Meeting, MeetingSeries
from models.rules.series import monthly_dates, next_in_series, week_for_start

# The latest meetings a series' pattern is read from ("the last Tuesday" shows only over more
# than one month).
PATTERN_MEETINGS = 3
# Starting a meeting more than this many days before its date asks "are you sure?" first.
EARLY_START_DAYS = 7


def starts_early(meeting_date: dt.date, on: dt.date) -> bool:
    """Would starting on `on` be more than EARLY_START_DAYS before the meeting's date?"""
    return (meeting_date - on).days > EARLY_START_DAYS


def _latest_dates(project_id: int) -> list[dt.date]:
    """The dates of the project's latest meetings, oldest first (one query)."""
    query = (
        Meeting.select(Meeting.date)
        .where(Meeting.project == project_id)
        .order_by(Meeting.date.desc())
        .limit(PATTERN_MEETINGS)
    )
    return sorted(m.date for m in query)


def default_start(project_id: int) -> dt.date:
    """The date planning offers first: the series' next date after its latest meeting, on its
    pattern (the first Tuesday stays the first Tuesday) and not before today; without
    meetings the series' next weekday from today, or today without a series."""
    dates = _latest_dates(project_id)
    if dates:
        return next_in_series(dates, today())
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
    actor: Actor | None = None,
) -> list[Meeting]:
    """Plan `count` monthly meetings (skipping dates that have one) and assign the rota, in
    one transaction. Returns the meetings made."""
    with database.atomic():
        return _plan(project_id, count, start, time, place, actor)


def _plan(project_id, count, start, time, place, actor) -> list[Meeting]:
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
    dates = monthly_dates(start, count, week_for_start(start, _latest_dates(project_id)))
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
            account_of(actor),
            "meetings.plan",
            project=project_id,
            after={"dates": [m.date.isoformat() for m in made]},
        )
    replan_rota(project_id, actor=actor, untold=[m.id for m in made])
    return made


def start_meeting(meeting_id: int, actor: Actor | None = None) -> Meeting:
    """Start a planned meeting: its agenda and rota are fixed from now on. The meeting is
    locked first, so agenda items added meanwhile are in, or refused. One transaction; a
    meeting that started already (or was cancelled) is returned as it is.

    A meeting started before its date took place today: its date becomes today (the planned
    one is kept in `moved_from`, the calendar's SEQUENCE goes up), so the minutes and the
    register name the day it really met (docs/rules.md "Moving, cancelling and adding
    meetings")."""
    with database.atomic():
        meeting = lock_meeting(meeting_id)
        if meeting.state == "planned":
            meeting.state, meeting.started_at = "started", now()
            before = {}
            if meeting.date > today():
                before = {"date": meeting.date.isoformat()}
                meeting.moved_from, meeting.date = meeting.date, today()
                meeting.sequence += 1
            meeting.save()
            audit.record(
                account_of(actor),
                "meeting.start",
                meeting,
                project=meeting.project_id,
                before=before or None,
                after={"date": meeting.date.isoformat()} if before else None,
            )
            store_rota(meeting.project_id)  # it is no longer a coming turn
    return meeting


def close_meeting(meeting_id: int, actor: Actor | None = None) -> Meeting:
    """Close a meeting that started, in one transaction (any other is returned as it is)."""
    with database.atomic():
        meeting = lock_meeting(meeting_id)
        if meeting.state == "started":
            meeting.state, meeting.closed_at = "closed", now()
            meeting.save()
            audit.record(account_of(actor), "meeting.close", meeting, project=meeting.project_id)
    return meeting


def add_success(project_id: int, text: str, actor: Actor | None = None) -> Success:
    """Something the project is proud of, added by the actor (one transaction)."""
    with database.atomic():
        return Success.create(
            project=project_id, text=text, added_by=actor.person_id if actor else None
        )


def project_panel(project_id: int) -> dict:
    """The coming rota (as stored), the successes and the signals waiting for an answer, for
    the project page (three queries)."""
    return {
        "rota": coming_turns(project_id, limit=3),
        "successes": Success.recent(project_id),
        "open_signals": Signal.unanswered_count(project_id),
    }
