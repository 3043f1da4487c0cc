"""Calendar files (ICS) for meetings, made with the icalendar library."""

import datetime as dt
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from models.clock import now
from webapp.i18n import _

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
DEFAULT_LENGTH = dt.timedelta(hours=2)


def calendar_for(meetings, name: str) -> bytes:
    """A calendar with one event per meeting (all-day when the meeting has no time)."""
    cal = Calendar()
    cal.add("prodid", "-//Tafel//meetings//NL")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    for meeting in meetings:
        event = Event()
        event.add("uid", f"meeting-{meeting.id}@tafel")
        event.add("summary", _("Meeting %(project)s", project=meeting.project.name))
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
    return cal.to_ical()
