"""How news stores a moment (docs/news.md): an ISO string in UTC. A meeting is planned in
Dutch time (a date, and a time when it is known): its start is turned into UTC here, so every
area tells it the same way and the news page shows it in Dutch time again."""

import datetime as dt
from zoneinfo import ZoneInfo

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def meeting_start(date: dt.date | None, time: dt.time | None = None) -> str:
    """ "2026-07-01T17:30:00" for a meeting at 19.30 on 1 July; "2026-07-01" without a time."""
    if date is None:
        return ""
    if time is None:
        return date.isoformat()
    local = dt.datetime.combine(date, time, tzinfo=AMSTERDAM)
    return local.astimezone(dt.UTC).replace(tzinfo=None).isoformat()


def utc(moment: dt.datetime | None) -> str:
    """A stored (naive UTC) moment as ISO."""
    return moment.replace(microsecond=0).isoformat() if moment else ""
