"""Time in one place: stored datetimes are naive UTC, shown in the Netherlands' time zone."""

import datetime as dt


def now() -> dt.datetime:
    """The current moment as a naive UTC datetime (what the database stores)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


def today() -> dt.date:
    """Today's date in the Netherlands."""
    from zoneinfo import ZoneInfo

    return dt.datetime.now(ZoneInfo("Europe/Amsterdam")).date()
