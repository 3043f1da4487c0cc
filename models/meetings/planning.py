"""Planning meetings: monthly dates on the series' weekday, the meetings made from them, and a
meeting's start and close (PRODUCT.md "Meetings and consensus")."""

import calendar
import datetime as dt

from models import audit
from models.clock import now, today
from models.meetings.agenda import lock_meeting
from models.meetings.rota import replan_rota
from models.meetings.stored_rota import coming_turns, store_rota
from models.meetings.tables import Meeting, MeetingSeries, Signal, Success


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


def start_meeting(meeting_id: int, actor=None) -> Meeting:
    """Start a planned meeting: its agenda and rota are fixed from now on. The meeting is
    locked first, so agenda items added meanwhile are in, or refused. Call inside a
    transaction."""
    meeting = lock_meeting(meeting_id)
    if meeting.state == "planned":
        meeting.state, meeting.started_at = "started", now()
        meeting.save()
        audit.record(actor, "meeting.start", meeting, project=meeting.project_id)
        store_rota(meeting.project_id)  # it is no longer a coming turn
    return meeting


def close_meeting(meeting_id: int, actor=None) -> Meeting:
    """Close a meeting that started (call inside a transaction)."""
    meeting = lock_meeting(meeting_id)
    if meeting.state == "started":
        meeting.state, meeting.closed_at = "closed", now()
        meeting.save()
        audit.record(actor, "meeting.close", meeting, project=meeting.project_id)
    return meeting


def add_success(project_id: int, text: str, person_id=None) -> Success:
    """Something the project is proud of (call inside a transaction)."""
    return Success.create(project=project_id, text=text, added_by=person_id)


def project_panel(project_id: int) -> dict:
    """The coming rota (as stored), the successes and the signals waiting for an answer, for
    the project page (three queries)."""
    return {
        "rota": coming_turns(project_id, limit=3),
        "successes": Success.recent(project_id),
        "open_signals": Signal.unanswered_count(project_id),
    }
