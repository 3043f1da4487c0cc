"""SQL text built once per shape (issue 23 point 2).

peewee builds a query's SQL text anew on every execution: walking the expression tree,
quoting names, aliasing tables. On the project page that was 41% of a request's CPU (py-spy,
issue 23), for twelve queries whose shape never changes: only their values do (a project's
id, a person's id, today's date).

A `Prepared` query is written as any peewee query, in a function, with a `Slot("name")` where
a value changes from call to call. The first call per kind of database builds the query once
and keeps its SQL text, its parameters (the slots' positions among them) and the query object
itself; every later call only puts the values in the slots' places and hands the same text to
the driver. The rows are read by the kept query's own cursor wrapper, so they come as the
query says (models with their joins, dicts or tuples) exactly as from a fresh query.

Safe as before: every value is still a parameter of the driver, never text in the SQL; the
SQL text depends only on the code (a slot is a placeholder, whatever its value), so one
shape's text is the same for everyone. A slot's value goes to the driver as given, without
the field's conversion (`db_value`): give ids as ints, dates as dates, texts as str.
Readable as before: the query is the same peewee code, only its changing values are named.
Use it for the hot queries of the main pages, whose shape is fixed; a query whose shape
depends on its input (an `IN` list, an optional filter) stays a plain peewee query, or is one
Prepared per variant.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from peewee import Node

from models.db import database


class _Marker:
    """Where a slot's value goes in the kept parameters."""

    __slots__ = ("name",)

    def __init__(self, name: str):
        self.name = name


class Slot(Node):
    """A value given on each call of a Prepared query: rendered as the driver's placeholder."""

    def __init__(self, name: str):
        self.name = name

    def __sql__(self, ctx):
        return ctx.value(_Marker(self.name), converter=False)


class Prepared:
    """A query built once per kind of database (see the module's docstring).

    `build()` returns the peewee query, using Slot("name") for each value that changes;
    `query.rows(name=value, ...)` runs it and returns its rows as the query reads them."""

    def __init__(self, build: Callable):
        self._build = build
        self._kept: dict = {}
        self._lock = threading.Lock()

    def _compiled(self):
        kind = type(database.obj)
        kept = self._kept.get(kind)
        if kept is None:
            query = self._build()
            sql, params = query.sql()
            slots = [(i, p.name) for i, p in enumerate(params) if isinstance(p, _Marker)]
            kept = (query, sql, list(params), slots)
            with self._lock:
                self._kept[kind] = kept
        return kept

    def sql(self, **values) -> tuple[str, list]:
        """The SQL text and the parameters with these values in the slots."""
        _query, sql, params, slots = self._compiled()
        params = list(params)
        for index, name in slots:
            params[index] = values[name]
        return sql, params

    def rows(self, **values) -> list:
        """Run the query with these values; its rows as the query reads them."""
        query, _sql, _params, _slots = self._compiled()
        sql, params = self.sql(**values)
        cursor = database.execute_sql(sql, params)
        return list(query._get_cursor_wrapper(cursor))

    def first(self, **values):
        """The first row, or None."""
        rows = self.rows(**values)
        return rows[0] if rows else None

    def scalar(self, **values):
        """The first column of the first row, or None."""
        _query, _sql, _params, _slots = self._compiled()
        sql, params = self.sql(**values)
        row = database.execute_sql(sql, params).fetchone()
        return None if row is None else row[0]


class Shaped:
    """A family of Prepared queries, one per shape: `build(**shape)` returns the query for
    that shape (which filters it has, how many values an `IN` list holds). `family(**shape)`
    is that shape's Prepared, built on its first use."""

    def __init__(self, build: Callable):
        self._build = build
        self._by_shape: dict = {}
        self._lock = threading.Lock()

    def __call__(self, **shape) -> Prepared:
        key = tuple(sorted(shape.items()))
        prepared = self._by_shape.get(key)
        if prepared is None:
            with self._lock:
                prepared = self._by_shape.setdefault(key, Prepared(lambda: self._build(**shape)))
        return prepared


def in_slots(name: str, count: int) -> list[Slot]:
    """`count` slots for an `IN` list (their values: `in_values`)."""
    return [Slot(f"{name}{i}") for i in range(count)]


def in_size(count: int) -> int:
    """The number of slots for a list of `count` values: the next power of two, so a family
    holds a few shapes (1, 2, 4, …) whatever the lists' lengths."""
    size = 1
    while size < count:
        size *= 2
    return size


def in_values(name: str, values: list, size: int) -> dict:
    """The values of `in_slots(name, size)`: the list, its last value repeated to fill the
    slots (a value twice in an `IN` list changes nothing)."""
    padded = list(values) + [values[-1]] * (size - len(values))
    return {f"{name}{i}": value for i, value in enumerate(padded)}
