"""Rows read straight from the driver (models/sql_once.py's `Prepared` SQL) into plain Python
objects, for the long lists of the main pages: peewee's conversion per row (a model object,
or a new named tuple class per query, and a field conversion per column) was a quarter to a
half of reading a ledger page's 50 lines or a picker's 30 decisions.

Both drivers give ints, texts and NULLs as Python has them; only dates differ (SQLite gives
back the text peewee stored), so a date column goes through `as_date`.
"""

from __future__ import annotations

import datetime as dt

from peewee import DateField, DateTimeField

from models.db import database

_DATE = DateField()


def driver_rows(prepared, **values) -> list[tuple]:
    """The rows of a Prepared query with these values, as the driver gives them."""
    return database.execute_sql(*prepared.sql(**values)).fetchall()


def as_date(value) -> dt.date | None:
    """A date column's value as a date (SQLite: its ISO text; PostgreSQL: a date already)."""
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return _DATE.python_value(value)  # any other text peewee reads as a date
    return value


_DATE_TIME = DateTimeField()


def as_datetime(value) -> dt.datetime | None:
    """A date-time column's value as a datetime (SQLite: its ISO text)."""
    if isinstance(value, str):
        try:
            return dt.datetime.fromisoformat(value)
        except ValueError:
            return _DATE_TIME.python_value(value)
    return value
