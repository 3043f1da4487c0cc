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
    narrow=None,
) -> Page:
    """A page of `query` (a select with its joins and filters) ordered by `keys(model)` (a
    list of expressions on `model` and the query's joined tables, the last one unique).

    `after` (an id of `model`): the rows that come after it; `before`: the rows that come
    just before it; neither: the first page. `unique` is the id expression of a row (by
    default `model.id`). One query, whatever the page.

    `narrow` (a select of `model` alone with the same filters, when `keys` are columns of
    `model`): the page's rows are chosen on it first and the joins made for those rows only.
    PostgreSQL otherwise joins every row that passes the filters (hash joins over whole
    tables) before it sorts and keeps a page: 6-8 ms against 1.2 ms for a post's ledger of
    436 lines at the bench's scale (bench/README.md)."""
    unique = unique if unique is not None else model.id
    order = keys(model)
    row = Tuple(*order)
    cursor = after if after is not None else before
    backwards = after is None and before is not None
    chosen = narrow if narrow is not None else query
    if cursor is not None:
        at = chosen.clone().select(*order).where(unique == cursor).limit(1)
        goes_down = descending != backwards
        chosen = chosen.where(row < at if goes_down else row > at)
    if descending != backwards:
        ordering = [k.desc() for k in order]
    else:
        ordering = [k.asc() for k in order]
    if narrow is not None:
        ids = chosen.select(unique).order_by(*ordering).limit(size + 1)
        query = query.where(unique.in_(ids))
    else:
        query = chosen
    rows = list(query.order_by(*ordering).limit(size + 1))
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
