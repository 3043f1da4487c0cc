"""The dates of a meeting series (models.rules.series): planning more meetings continues the
pattern ("the first Tuesday of the month"), over month and year ends and in months with five
of a weekday. Pure: "today" is always handed in."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from models.rules.series import (
    monthly_dates,
    next_in_series,
    nth_weekday,
    series_week,
    week_for_start,
    week_of_month,
)

TUESDAY = 1


def test_first_tuesdays_over_the_year_end():
    # Sep 2026 … Feb 2027: September and December have five Tuesdays.
    assert monthly_dates(date(2026, 9, 1), 6) == [
        date(2026, 9, 1),
        date(2026, 10, 6),
        date(2026, 11, 3),
        date(2026, 12, 1),
        date(2027, 1, 5),
        date(2027, 2, 2),
    ]


def test_planning_more_after_a_first_tuesday_offers_the_next_first_tuesday():
    # The series met on the first Tuesday of June; today is Wednesday 17 June.
    assert next_in_series([date(2026, 6, 2)], date(2026, 6, 17)) == date(2026, 7, 7)
    # Not "next Tuesday" (23 June), and not the 7th week-day count from today.
    assert next_in_series([date(2026, 6, 2)], date(2026, 6, 3)) == date(2026, 7, 7)


def test_the_pattern_continues_over_the_year_end():
    dates = [date(2026, 10, 6), date(2026, 11, 3), date(2026, 12, 1)]
    assert next_in_series(dates, date(2026, 6, 17)) == date(2027, 1, 5)
    # Third Thursday: December 2026 → January 2027.
    assert next_in_series([date(2026, 12, 17)], date(2026, 12, 31)) == date(2027, 1, 21)


def test_a_series_whose_last_meeting_is_long_ago_picks_up_from_today():
    # First Tuesdays until March; today 17 June: July's first Tuesday (June's has passed).
    assert next_in_series([date(2026, 3, 3)], date(2026, 6, 17)) == date(2026, 7, 7)
    # Today 1 June: June's first Tuesday (2 June) is still to come.
    assert next_in_series([date(2026, 3, 3)], date(2026, 6, 1)) == date(2026, 6, 2)
    # Today is the first Tuesday itself: that day.
    assert next_in_series([date(2026, 3, 3)], date(2026, 9, 1)) == date(2026, 9, 1)


def test_a_fifth_tuesday_means_the_last_tuesday():
    # 29 September 2026 is a fifth Tuesday; October's last is its fourth (27th) …
    assert next_in_series([date(2026, 9, 29)], date(2026, 9, 30)) == date(2026, 10, 27)
    # … and after that fourth, the pattern is still "the last": December has a fifth (29th).
    dates = [date(2026, 9, 29), date(2026, 10, 27), date(2026, 11, 24)]
    assert series_week(dates) == 5
    assert next_in_series(dates, date(2026, 10, 1)) == date(2026, 12, 29)
    assert monthly_dates(date(2026, 12, 29), 3) == [
        date(2026, 12, 29),
        date(2027, 1, 26),
        date(2027, 2, 23),
    ]
    # A plain fourth Tuesday stays the fourth, also in a month with five.
    assert next_in_series([date(2026, 11, 24)], date(2026, 11, 25)) == date(2026, 12, 22)


def test_a_start_on_the_pattern_keeps_the_series_week():
    last_tuesdays = [date(2026, 9, 29), date(2026, 10, 27)]
    # 24 November is the fourth and last Tuesday: planning from it goes on with the last.
    assert week_for_start(date(2026, 11, 24), last_tuesdays) == 5
    start = date(2026, 11, 24)
    assert monthly_dates(start, 2, week_for_start(start, last_tuesdays)) == [
        date(2026, 11, 24),
        date(2026, 12, 29),
    ]
    # A start off the pattern (another weekday, another week) has its own week.
    assert week_for_start(date(2026, 11, 10), last_tuesdays) == 2
    assert week_for_start(date(2026, 11, 26), last_tuesdays) == 4
    assert week_for_start(date(2026, 11, 3), []) == 1


def test_leap_february_and_the_weeks_of_the_month():
    assert nth_weekday(2028, 2, TUESDAY, 5) == date(2028, 2, 29)  # a fifth Tuesday
    assert nth_weekday(2027, 2, TUESDAY, 5) == date(2027, 2, 23)  # none: the last
    assert [week_of_month(date(2026, 9, d)) for d in (1, 7, 8, 29, 30)] == [1, 1, 2, 5, 5]


@pytest.mark.parametrize("week", [1, 2, 3, 4])
def test_every_week_of_the_month_continues_for_two_years(week):
    start = nth_weekday(2026, 1, TUESDAY, week)
    dates = [start]
    for _ in range(24):
        dates.append(next_in_series(dates, dates[-1] + timedelta(days=1)))
    assert all(d.weekday() == TUESDAY and week_of_month(d) == week for d in dates)
    assert [(d.year, d.month) for d in dates] == [(2026 + (m // 12), m % 12 + 1) for m in range(25)]


@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)),
    st.integers(0, 400),
)
def test_the_next_date_is_on_the_pattern_after_the_last_and_not_before_today(last, later):
    today = last + timedelta(days=later)
    following = next_in_series([last], today)
    assert following >= today and following.weekday() == last.weekday()
    assert (following.year, following.month) > (last.year, last.month)
    week = week_of_month(last)
    assert following == nth_weekday(following.year, following.month, last.weekday(), week)
    # And it is the first such date: the month before it has none on or after today.
    before = date(following.year, following.month, 1) - timedelta(days=1)
    if (before.year, before.month) > (last.year, last.month):
        assert nth_weekday(before.year, before.month, last.weekday(), week) < today
