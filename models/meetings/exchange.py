"""The meetings area's files (DATA-EXCHANGE.md): rota.csv and decisions.csv rows, and calendar
(ICS) events made with the icalendar library. Rows only, in English; CSV text comes from the
one writer, models.rules.csvfile.write_csv."""

import datetime as dt
from collections.abc import Callable
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone

from models.clock import now, today
from models.meetings.tables import Meeting, Proposal
from models.organisation import Project
from models.people import Membership

# Formats only grow at the end (DATA-EXCHANGE.md): duo_chair came after minute_taker.
ROTA_COLUMNS = ["date", "project", "chair", "minute_taker", "duo_chair"]
DECISION_COLUMNS = [
    "date",
    "project",
    "meeting",
    "proposal",
    "outcome",
    "agree",
    "concern",
    "stand_aside",
    "block",
    "statement",
    "confirmed_on",
    "confirmed_meeting",
]
TIMEZONE = "Europe/Amsterdam"
AMSTERDAM = ZoneInfo(TIMEZONE)
DEFAULT_LENGTH = dt.timedelta(hours=2)


def _name(person) -> str:
    return "" if person is None else str(person.shown_name)


def rota_rows(project_id: int | None = None, on: dt.date | None = None) -> list[list]:
    """Planned meetings that have not taken place yet, by date then project."""
    query = (
        Meeting.with_people()
        .where((Meeting.state == "planned") & (Meeting.date >= (on or today())))
        .order_by(Meeting.date, Project.name, Meeting.id)
    )
    if project_id is not None:
        query = query.where(Meeting.project == project_id)
    return [
        [
            m.date.isoformat(),
            m.project.name,
            _name(m.chair),
            _name(m.minute_taker),
            _name(m.chair_duo),
        ]
        for m in query
    ]


def decision_rows(project_id: int | None = None) -> list[list]:
    """The decision register: closed proposals by date, then project, then meeting; a
    confirmed provisional decision with the date and the meeting that confirmed it."""
    query = Proposal.decisions(project_id).order_by(
        Proposal.decided_on, Project.name, Meeting.date, Proposal.id
    )
    return [
        [
            p.decided_on.isoformat() if p.decided_on else "",
            p.agenda_item.meeting.project.name,
            # Taken between meetings (models/meetings/between.py): at no meeting.
            "" if p.closes_at else p.agenda_item.meeting.date.isoformat(),
            p.text,
            p.outcome,
            p.agree,
            p.concern,
            p.stand_aside,
            p.block,
            p.statement,
            p.confirmed_on.isoformat() if p.confirmed_on else "",
            p.confirmed_in.date.isoformat() if p.confirmed_in else "",
        ]
        for p in query
    ]


# A cancelled meeting stays in the calendar feeds (STATUS:CANCELLED) until this long after
# its date, so every calendar app that has it hears of the cancellation.
CANCELLED_KEPT = dt.timedelta(days=31)


def _in_feed():
    """The meetings a calendar feed holds: still to come or going on, and the cancelled ones
    of the last CANCELLED_KEPT."""
    return (Meeting.state != "closed") & (
        (Meeting.state != "cancelled") | (Meeting.date >= today() - CANCELLED_KEPT)
    )


def calendar_meetings(project_id: int) -> list[Meeting]:
    """A project's meetings still to come or going on, by date, with the project."""
    return list(
        Meeting.select(Meeting, Project)
        .join(Project, on=(Meeting.project == Project.id))
        .where((Meeting.project == project_id) & _in_feed())
        .order_by(Meeting.date)
    )


def person_meetings(person_id: int) -> list[Meeting]:
    """The meetings still to come or going on of the projects the person is a member of
    (active or paused), by date, with their project (one query)."""
    projects = Membership.select(Membership.project).where(
        (Membership.person == person_id) & (Membership.status != "ended")
    )
    return list(
        Meeting.select(Meeting, Project)
        .join(Project, on=(Meeting.project == Project.id))
        .where(Meeting.project.in_(projects) & _in_feed())
        .order_by(Meeting.date, Project.name, Meeting.id)
    )


def uid_host(base_url: str) -> str:
    """The host of the installation's address (TAFEL_BASE_URL), which makes event UIDs
    unique to the installation: two Tafels' meeting 5 are two different events."""
    return urlsplit(base_url).hostname or "tafel"


def calendar_for(
    meetings, name: str, summary: Callable[[Meeting], str], base_url: str = ""
) -> bytes:
    """A calendar with one event per meeting (all-day when the meeting has no time);
    `summary` gives each event's title (the screens pass it in the viewer's language). With
    `base_url` (the installation's TAFEL_BASE_URL) each event links to its meeting page, and
    its UID carries that address's host. The calendar holds a VTIMEZONE for Europe/Amsterdam
    (calendar apps need it to place the meetings' times). A moved meeting is the same event
    (its UID) with a higher SEQUENCE; a cancelled one says STATUS:CANCELLED (RFC 5545)."""
    host = uid_host(base_url)
    cal = Calendar()
    cal.add("prodid", "-//Tafel//meetings//NL")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", TIMEZONE)
    for meeting in meetings:
        event = Event()
        event.add("uid", f"meeting-{meeting.id}@{host}")
        event.add("summary", summary(meeting))
        event.add("sequence", meeting.sequence)
        event.add("status", "CANCELLED" if meeting.state == "cancelled" else "CONFIRMED")
        if base_url:
            event.add("url", f"{base_url.rstrip('/')}/meetings/{meeting.id}")
        if meeting.time:
            start = dt.datetime.combine(meeting.date, meeting.time, tzinfo=AMSTERDAM)
            event.add("dtstart", start)
            event.add("dtend", start + DEFAULT_LENGTH)
        else:
            event.add("dtstart", meeting.date)
            event.add("dtend", meeting.date + dt.timedelta(days=1))
        if meeting.place:
            event.add("location", meeting.place)
        event.add("dtstamp", now().replace(tzinfo=dt.UTC))
        cal.add_component(event)
    # The zone's rules for the years around the meetings (not 1970-2038: a shorter file).
    dates = [meeting.date for meeting in meetings] or [today()]
    first = dt.date(min(dates).year - 1, 1, 1)
    last = dt.date(max(dates).year + 2, 1, 1)
    cal.add_missing_timezones(first_date=first, last_date=last)
    if not cal.timezones:  # only all-day meetings: the zone is still named for the calendar
        cal.subcomponents.insert(0, Timezone.from_tzid(TIMEZONE, first_date=first, last_date=last))
    return cal.to_ical()
