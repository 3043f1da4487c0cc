"""What the people with a turn hear when the rota or a meeting changes (issue 21, ISSUE21.md's
news kinds): a new turn, a meeting moved, cancelled or added. Each is told inside the write
that causes it (models.news.tell joins its transaction) and at most once per person and event.

Params hold only what the meeting's or project's page shows: the project's name, the moment
(ISO, UTC; a date alone for a meeting without a time), the role, a cancellation's reason."""

import datetime as dt

from models.clock import AMSTERDAM
from models.news.tell import tell
from models.organisation import Project


def moment_of(day: dt.date, time: dt.time | None) -> str:
    """A meeting's moment as news params give it: its start in UTC (ISO), or its date alone
    when it has no time."""
    if time is None:
        return day.isoformat()
    start = dt.datetime.combine(day, time, tzinfo=AMSTERDAM)
    return start.astimezone(dt.UTC).isoformat()


def meeting_moment(meeting) -> str:
    return moment_of(meeting.date, meeting.time)


def project_name(project_id: int) -> str:
    """The project's name (one query)."""
    return Project.select(Project.name).where(Project.id == project_id).scalar() or ""


def tell_new_turns(project_id: int, turns: list[tuple], name: str | None = None) -> None:
    """`turns`: (meeting, role, person id) that someone did not have before; each person
    hears "you have a new turn" once per meeting and role."""
    turns = [t for t in turns if t[2]]
    if not turns:
        return
    name = project_name(project_id) if name is None else name
    for meeting, role, person_id in turns:
        tell(
            [person_id],
            "new_turn",
            f"turn:{meeting.id}:{role}:{person_id}",
            f"/meetings/{meeting.id}",
            {"project": name, "role": role, "when": meeting_moment(meeting)},
        )


def with_turn(meeting) -> list[int]:
    """Who has a turn at the meeting: its chair, duo and minute-taker."""
    return [p for p in (meeting.chair_id, meeting.chair_duo_id, meeting.minute_taker_id) if p]
