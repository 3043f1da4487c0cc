"""Lists a page at a time (issue 13: nothing unbounded on a page), by keyset, not OFFSET.

A list is ordered by a few key expressions ending in a unique id, all in one direction
(newest first for the ledger and the audit log, by name for people). A page starts right
after (or right before) the row whose id is in the link, so reaching the 20,000th ledger line
costs the same as the first: the database finds the place in the index instead of counting
rows past it, and a line booked meanwhile moves nothing over by one.

The link holds only that row's id (`?after=123`, parsed like any id: junk is the first page);
its keys are read by a subquery in the page's one query. Whether there is a next page is
known from one row more than the page (no COUNT). A row that left the list meanwhile (a
membership ended, a filter changed) gives an empty page with a way back to the first.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from peewee import Tuple

from models.rows import driver_rows
from models.sql_once import Shaped, Slot

PAGE_SIZE = 50


@dataclass
class Page:
    """One page of a list: its rows, the id to go on after (`older`, the next page) and the
    id to go back before (`newer`, the page before), None at either end."""

    rows: list = field(default_factory=list)
    newer: int | None = None
    older: int | None = None
    restart: bool = False  # the link pointed at a row no longer in the list

    def __iter__(self):
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def __bool__(self) -> bool:
        return bool(self.rows)

    @property
    def paged(self) -> bool:
        """True when there is more than this one page."""
        return self.newer is not None or self.older is not None


def keyset_page(
    query,
    keys: Callable,
    model,
    *,
    after: int | None = None,
    before: int | None = None,
    size: int = PAGE_SIZE,
    descending: bool = True,
    unique=None,
    make: Callable | None = None,
) -> Page:
    """A page of `query` (a select with its joins and filters) ordered by `keys(model)` (a
    list of expressions on `model` and the query's joined tables, the last one unique).

    `after` (an id of `model`): the rows that come after it; `before`: the rows that come
    just before it; neither: the first page. `unique` is the id expression of a row (by
    default `model.id`). One query, whatever the page.

    `make`: each row (of a `.tuples()` query) is `make(row)`, as in KeysetOnce."""
    unique = unique if unique is not None else model.id
    cursor = after if after is not None else before
    backwards = after is None and before is not None
    query = _paged(query, keys(model), unique, cursor, backwards, descending, size)
    rows = list(query) if make is None else [make(row) for row in query]
    return _page(rows, size, cursor, after, backwards)


def _paged(query, order: list, unique, cursor, backwards: bool, descending: bool, size: int):
    """`query` limited to the page after or before the row `cursor` (a value or a Slot), or
    to the first page (`cursor` None), in its order, with one row more than the page."""
    row = Tuple(*order)
    if cursor is not None:
        at = query.clone().select(*order).where(unique == cursor).limit(1)
        goes_down = descending != backwards
        query = query.where(row < at if goes_down else row > at)
    if descending != backwards:
        query = query.order_by(*(k.desc() for k in order))
    else:
        query = query.order_by(*(k.asc() for k in order))
    return query.limit(size + 1)


def _page(rows: list, size: int, cursor, after, backwards: bool) -> Page:
    """The Page of the rows a `_paged` query read."""
    more = len(rows) > size
    rows = rows[:size]
    if backwards:
        rows.reverse()
    page = Page(rows=rows)
    if not rows:
        page.restart = cursor is not None
        return page
    first, last = _id(rows[0]), _id(rows[-1])
    if backwards:
        page.newer = first if more else None
        page.older = last
    else:
        page.newer = first if after is not None else None
        page.older = last if more else None
    return page


class KeysetOnce:
    """A list paged as `keyset_page` pages it, its SQL built once per shape
    (models/sql_once.py): for the hot lists of the main pages, where building the SQL of a
    query with its joins and its cursor subquery was a good part of a request's CPU.

    `build(**shape)` returns the query with a `Slot` for each value that changes;
    `keys(model)`, `model`, `descending` and `unique` as for `keyset_page`.
    `page(shape={...}, after=…, before=…, size=…, **values)` reads one page: the same rows
    and links as `keyset_page` on the same query with those values. With `make`, each row
    comes from the driver as it is (models/rows.py) and is `make(row)` (the columns in the
    select's order; the object has an `id`), without peewee's conversion per row."""

    def __init__(self, build: Callable, keys: Callable, model, *, descending: bool = True,
                 unique: Callable | None = None, make: Callable | None = None):  # fmt: skip
        self._build, self._keys, self._model = build, keys, model
        self._descending, self._unique, self._make = descending, unique, make
        self._family = Shaped(self._query)

    def _query(self, direction: str, size: int, **shape):
        unique = self._unique() if self._unique is not None else self._model.id
        cursor = None if direction == "first" else Slot("cursor")
        query = self._build(**shape)
        order = self._keys(self._model)
        return _paged(query, order, unique, cursor, direction == "back", self._descending, size)

    def page(self, *, shape: dict | None = None, after: int | None = None,
             before: int | None = None, size: int = PAGE_SIZE, **values) -> Page:  # fmt: skip
        cursor = after if after is not None else before
        backwards = after is None and before is not None
        direction = "first" if cursor is None else "back" if backwards else "on"
        prepared = self._family(direction=direction, size=size, **(shape or {}))
        if cursor is not None:
            values["cursor"] = cursor
        if self._make is None:
            rows = prepared.rows(**values)
        else:
            rows = [self._make(row) for row in driver_rows(prepared, **values)]
        return _page(rows, size, cursor, after, backwards)


def _id(row) -> int:
    return row["id"] if isinstance(row, dict) else row.id


def page_of(items: list, id_of: Callable, *, after=None, before=None, size=PAGE_SIZE) -> Page:
    """A page of a list already in memory and in order (the 51% report's projects), the same
    way: after or before the item whose `id_of(item)` is given."""
    ids = [id_of(item) for item in items]
    cursor = after if after is not None else before
    if cursor is not None and cursor not in ids:
        return Page(restart=True)
    if after is not None:
        start = ids.index(after) + 1
    elif before is not None:
        start = max(0, ids.index(before) - size)
    else:
        start = 0
    rows = items[start : start + size]
    if not rows:
        return Page(restart=cursor is not None)
    end = start + len(rows)
    return Page(
        rows=rows,
        newer=ids[start] if start > 0 else None,
        older=ids[end - 1] if end < len(items) else None,
    )
