"""Meetings that move (issue 21 point 1, docs/rules.md "Moving, cancelling and adding
meetings"): a coordinator, or the chair of the meeting, moves a coming meeting to another
date and time or cancels it with a reason; a coordinator adds an extra meeting to the series.

Each is one unit of work: the meeting is locked, checked, changed, its audit line written,
the project's notice board gets one line (a notice Tafel writes, shown in the reader's
language), the people concerned hear it (models.news, kinds as in ISSUE21.md; not whoever
made the change) and the rota is planned again (whoever gets a new turn hears that too:
models/meetings/rota.py).
"""

import datetime as dt
import json

from models.accounts import audit
from models.actor import Actor
from models.clock import AMSTERDAM, now, today
from models.db import database
from models.meetings.agenda import lock_meeting
from models.meetings.errors import Locked, account_of
from models.meetings.rota import replan_rota
from models.meetings.tables import AgendaItem, Meeting, MeetingSeries, members_of
from models.meetings.turn_news import meeting_moment, project_name, with_turn
from models.news.tell import tell
from models.organisation import Announcement


class MoveRefused(Exception):
    """The new moment cannot be: `reason` is "past" (before now), "taken" (another meeting
    of the project is at that moment) or "same" (nothing would change)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def local_now() -> dt.datetime:
    """Now in the Netherlands, without a zone (as meetings' dates and times are kept)."""
    return now().replace(tzinfo=dt.UTC).astimezone(AMSTERDAM).replace(tzinfo=None)


def check_moment(project_id: int, day: dt.date, time: dt.time | None, but_not=None) -> None:
    """Raise MoveRefused when a meeting cannot be at this moment: in the past (today without
    a time is not past), or at the moment of another meeting of the project that is not
    cancelled (the same day and time; a meeting without a time takes its whole day)."""
    if day < today() or (
        day == today() and time is not None and time <= local_now().time().replace(second=0)
    ):
        raise MoveRefused("past")
    others = Meeting.select(Meeting.time).where(
        (Meeting.project == project_id) & (Meeting.date == day) & (Meeting.state != "cancelled")
    )
    if but_not is not None:
        others = others.where(Meeting.id != but_not)
    if any(time is None or other.time is None or other.time == time for other in others):
        raise MoveRefused("taken")


def _notice(meeting: Meeting, kind: str, title: str, body: str, values: dict, actor) -> None:
    """The project's notice board says it in one line (English here for exports; screens show
    `kind` with `values` in the reader's language)."""
    notice = Announcement.create(
        project=meeting.project_id,
        title=title,
        body=body,
        author=actor.person_id if isinstance(actor, Actor) else None,
        kind=kind,
        params=json.dumps(values, sort_keys=True, ensure_ascii=False),
    )
    audit.record(
        account_of(actor), "notice.create", notice, project=meeting.project_id, after={"kind": kind}
    )


def _others(people: list[int], actor) -> list[int]:
    """The people to tell, without whoever did it (their own change is no news to them)."""
    me = actor.person_id if isinstance(actor, Actor) else None
    return [p for p in people if p != me]


def _when(day: dt.date | None, time: dt.time | None) -> dict:
    return {
        "date": day.isoformat() if day else "",
        "time": time.isoformat("minutes") if time else "",
    }


def move_meeting(
    meeting_id: int,
    day: dt.date,
    time: dt.time | None,
    place: str | None = None,
    actor: Actor | None = None,
) -> Meeting:
    """Move a planned meeting to another date and time (and place, when given). Its agenda,
    apologies and turns go with it (the turns are fixed: whoever had one keeps it), its
    calendar SEQUENCE goes up. Locked when it is not planned (any more); MoveRefused as
    `check_moment` says, or "same" when nothing changes."""
    with database.atomic():
        meeting = lock_meeting(meeting_id)
        if meeting.state != "planned":
            raise Locked(meeting.state)
        place = meeting.place if place is None else place
        if (day, time, place) == (meeting.date, meeting.time, meeting.place):
            raise MoveRefused("same")
        if (day, time) != (meeting.date, meeting.time):
            check_moment(meeting.project_id, day, time, but_not=meeting.id)
        before = {**_when(meeting.date, meeting.time), "place": meeting.place}
        was = meeting_moment(meeting)
        if day != meeting.date and meeting.moved_from is None:
            meeting.moved_from = meeting.date  # the date it was first planned on
        old_date = meeting.date
        meeting.date, meeting.time, meeting.place = day, time, place
        meeting.sequence += 1
        meeting.rota_fixed = bool(meeting.chair_id or meeting.minute_taker_id)
        meeting.save()
        audit.record(
            account_of(actor),
            "meeting.move",
            meeting,
            project=meeting.project_id,
            before=before,
            after={**_when(day, time), "place": place},
        )
        tell(
            _others(with_turn(meeting), actor),
            "meeting_moved",
            f"meeting:{meeting.id}:moved:{meeting.sequence}",
            f"/meetings/{meeting.id}",
            {
                "project": project_name(meeting.project_id),
                "from": was,
                "to": meeting_moment(meeting),
            },
        )
        _notice(
            meeting,
            "meeting_moved",
            "Meeting moved",
            f"The meeting of {old_date.isoformat()} is moved to {meeting_moment(meeting)}.",
            {"from_date": old_date.isoformat(), "to_date": day.isoformat(),
             "to_time": time.isoformat("minutes") if time else ""},
            actor,
        )  # fmt: skip
        replan_rota(meeting.project_id, actor=actor)
    return meeting


def cancel_meeting(meeting_id: int, reason: str, actor: Actor | None = None) -> Meeting:
    """Cancel a planned meeting with a reason. It stays (in the calendar as cancelled); its
    agenda items go to the project's next planned meeting, and its turns to whoever is next
    (the rota is planned again without it: a cancelled turn was no turn). Locked when it is
    not planned (any more)."""
    with database.atomic():
        meeting = lock_meeting(meeting_id)
        if meeting.state != "planned":
            raise Locked(meeting.state)
        told = with_turn(meeting)
        meeting.state, meeting.cancel_reason = "cancelled", reason
        meeting.sequence += 1
        meeting.rota_fixed = False
        meeting.save()
        moved = _agenda_to_next(meeting)
        audit.record(
            account_of(actor),
            "meeting.cancel",
            meeting,
            project=meeting.project_id,
            after={"items_moved_to": moved},
            note=reason,
        )
        tell(
            _others(told, actor),
            "meeting_cancelled",
            f"meeting:{meeting.id}:cancelled",
            f"/projects/{meeting.project_id}",
            {"project": project_name(meeting.project_id), "when": meeting_moment(meeting),
             "reason": reason},
        )  # fmt: skip
        _notice(
            meeting,
            "meeting_cancelled",
            "Meeting cancelled",
            f"The meeting of {meeting.date.isoformat()} is cancelled: {reason}",
            {"date": meeting.date.isoformat(), "reason": reason},
            actor,
        )
        replan_rota(meeting.project_id, actor=actor)
    return meeting


def _agenda_to_next(meeting: Meeting) -> int | None:
    """Put the cancelled meeting's agenda items at the end of the project's next planned
    meeting's agenda, in their order; the id of that meeting (None: none planned, the items
    stay where they were)."""
    following = (
        Meeting.select(Meeting.id)
        .where(
            (Meeting.project == meeting.project_id)
            & (Meeting.state == "planned")
            & (Meeting.id != meeting.id)
            & (Meeting.date >= meeting.date)
        )
        .order_by(Meeting.date, Meeting.id)
        .first()
    )
    items = AgendaItem.of_meeting(meeting.id)
    if following is None or not items:
        return following.id if following else None
    target = lock_meeting(following.id)
    last = max([i.position for i in AgendaItem.of_meeting(target.id)] or [0])
    for offset, item in enumerate(items, 1):
        AgendaItem.update(meeting=target.id, position=last + offset).where(
            AgendaItem.id == item.id
        ).execute()
    return target.id


def add_meeting(
    project_id: int,
    day: dt.date,
    time: dt.time | None,
    place: str,
    actor: Actor | None = None,
) -> Meeting:
    """An extra meeting in the project's series (which is made when there is none), with
    chair and minute-taker chosen by the rota; the project's members hear it. MoveRefused as
    `check_moment` says."""
    with database.atomic():
        check_moment(project_id, day, time)
        series = MeetingSeries.select().where(MeetingSeries.project == project_id).first()
        if series is None:
            series = MeetingSeries.create(
                project=project_id, weekday=day.weekday(), time=time, place=place
            )
        meeting = Meeting.create(
            project=project_id, series=series, date=day, time=time, place=place
        )
        audit.record(
            account_of(actor),
            "meeting.add",
            meeting,
            project=project_id,
            after={**_when(day, time), "place": place},
        )
        tell(
            _others([p.id for p in members_of(project_id)], actor),
            "meeting_added",
            f"meeting:{meeting.id}:added",
            f"/meetings/{meeting.id}",
            {"project": project_name(project_id), "when": meeting_moment(meeting)},
        )
        _notice(
            meeting,
            "meeting_added",
            "Extra meeting",
            f"An extra meeting on {meeting_moment(meeting)}.",
            {"date": day.isoformat(), "time": time.isoformat("minutes") if time else ""},
            actor,
        )
        replan_rota(project_id, actor=actor)
    return meeting


def next_free_day(project_id: int) -> dt.date:
    """A date the extra-meeting form offers first: the first day from tomorrow without a
    meeting of the project (one query)."""
    start = today() + dt.timedelta(days=1)
    taken = {
        m.date
        for m in Meeting.select(Meeting.date).where(
            (Meeting.project == project_id)
            & (Meeting.date >= start)
            & (Meeting.date < start + dt.timedelta(days=60))
        )
    }
    day = start
    while day in taken:
        day += dt.timedelta(days=1)
    return day
