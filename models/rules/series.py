"""The dates of a meeting series (PRODUCT.md "Meetings and consensus"): one a month, on the
same weekday in the same week of the month ("the first Tuesday"). Week 5 means the last such
weekday: a month without a fifth Tuesday meets on its last (fourth) one.

Pure: no database and no clock; "today" is handed in.
"""

import calendar
import datetime as dt
from collections.abc import Sequence


def nth_weekday(year: int, month: int, weekday: int, nth: int) -> dt.date:
    """The nth (1..5) given weekday of a month; the last one when the month has fewer."""
    first = dt.date(year, month, 1)
    offset = (weekday - first.weekday()) % 7
    day = 1 + offset + 7 * (nth - 1)
    last_day = calendar.monthrange(year, month)[1]
    while day > last_day:
        day -= 7
    return dt.date(year, month, day)


def week_of_month(day: dt.date) -> int:
    """Which of its month's same weekdays a date is: 1 for the first Tuesday, … 5."""
    return (day.day - 1) // 7 + 1


def _is_last(day: dt.date) -> bool:
    return day.day + 7 > calendar.monthrange(day.year, day.month)[1]


def series_week(dates: Sequence[dt.date]) -> int:
    """The week of the month a series meets in, from its meetings' dates (in date order, at
    least one): the latest meeting's week, or 5 ("the last") when the latest is its month's
    last such weekday and an earlier meeting fell in a fifth week."""
    latest = dates[-1]
    week = week_of_month(latest)
    if week == 4 and _is_last(latest) and any(week_of_month(d) == 5 for d in dates[:-1]):
        return 5
    return week


def _next_month(year: int, month: int) -> tuple[int, int]:
    return (year + 1, 1) if month == 12 else (year, month + 1)


def monthly_dates(start: dt.date, count: int, week: int | None = None) -> list[dt.date]:
    """`count` dates, one a month from start's month, on start's weekday in the given week of
    the month (by default the week start is in)."""
    week = week or week_of_month(start)
    dates = []
    year, month = start.year, start.month
    for _ in range(count):
        dates.append(nth_weekday(year, month, start.weekday(), week))
        year, month = _next_month(year, month)
    return dates


def next_in_series(dates: Sequence[dt.date], on_or_after: dt.date) -> dt.date:
    """The series' next date after its meetings (`dates`, in date order, at least one): in a
    month after the latest meeting's, on its weekday in the series' week, and not before
    `on_or_after` (today)."""
    latest, week = dates[-1], series_week(dates)
    year, month = _next_month(latest.year, latest.month)
    if (on_or_after.year, on_or_after.month) > (year, month):
        year, month = on_or_after.year, on_or_after.month
    day = nth_weekday(year, month, latest.weekday(), week)
    if day < on_or_after:
        day = nth_weekday(*_next_month(year, month), latest.weekday(), week)
    return day


def week_for_start(start: dt.date, dates: Sequence[dt.date]) -> int:
    """The week of the month to plan in from `start`: the series' own week when start lies on
    the series' pattern (so "the last Tuesday" stays the last, also from a month where that is
    the fourth), else the week start is in."""
    if dates and start.weekday() == dates[-1].weekday():
        week = series_week(dates)
        if nth_weekday(start.year, start.month, start.weekday(), week) == start:
            return week
    return week_of_month(start)
