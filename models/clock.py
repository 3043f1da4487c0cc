"""Time in one place: stored datetimes are naive UTC, shown in the Netherlands' time zone.

Everything in Tafel asks this module for the time, never `datetime` directly, so that the
test suite can run on a fixed clock (`fixed(moment)`) and prove it holds on any date.
"""

import datetime as dt
from contextlib import contextmanager
from zoneinfo import ZoneInfo

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
# The dates Tafel accepts from people and files: room for every real date, and for adding
# years of monthly meetings or a day to a filter without passing the year 9999.
FIRST_DATE = dt.date(1900, 1, 1)
LAST_DATE = dt.date(2999, 12, 31)

# A naive UTC moment that `now()` and `today()` answer instead of the real time (tests only).
_fixed: dt.datetime | None = None


def now() -> dt.datetime:
    """The current moment as a naive UTC datetime (what the database stores)."""
    if _fixed is not None:
        return _fixed
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


def today() -> dt.date:
    """Today's date in the Netherlands."""
    return now().replace(tzinfo=dt.UTC).astimezone(AMSTERDAM).date()


def exists_here(day: dt.date, time: dt.time) -> bool:
    """Whether this wall-clock time happens on this day in the Netherlands: False for the
    hour the clocks skip on the last Sunday of March (02.00-02.59), which Python would
    quietly read as an hour later."""
    local = dt.datetime.combine(day, time, tzinfo=AMSTERDAM)
    back = local.astimezone(dt.UTC).astimezone(AMSTERDAM)
    return (back.date(), back.time()) == (day, time.replace(tzinfo=None))


@contextmanager
def fixed(moment: dt.datetime):
    """Run with the clock standing still at `moment` (naive UTC, or aware in any zone)."""
    global _fixed
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    previous, _fixed = _fixed, moment.replace(microsecond=0)
    try:
        yield _fixed
    finally:
        _fixed = previous
