"""The organisation's 51% report kept in the process from one change to the next (issue 23
point 3: "within 10 ms on every call, also the first after a change").

The kept counts (models/people/kept_counts.py) hold about 3,600 rows at federation scale;
reading them all and building the 1,200 group results again took most of the report's first
call after a change. Each count row carries the number of its last change (`stamp`,
migrations/0018), so a process keeps, per organisation, the rows it read and the results
built from them, and on the next change reads only the rows with a higher stamp (a change
moves a few), rebuilds the results of the groups those rows are in, and puts them in their
place in the report's order.

Safe across copies of a database (a test's copy, a restored backup, a recount that counted
everything again): before it is used, what the process kept is checked against the rows in
the database, in the same statement that reads the changed rows: how many rows there are
and four sums over their stamps, numbers and row ids (`MODULUS`). A database with another
history has other stamps on other rows, so other sums, and then everything is read again.
Only committed rows are read (never inside a transaction: representation.py).

What is kept holds group-level numbers only, like the kept counts themselves.
"""

from __future__ import annotations

import threading
from bisect import insort

from peewee import SQL, fn

from models import tenancy
from models.organisation import Project
from models.people.kept_counts import ReportCount
from models.rules.representation import ORGANISATION, GroupResult, report_order
from models.sql_once import Prepared, Slot

# The answer of someone whose answer the actor may not count (models.people.visibility):
# a report counting only some answers puts the others here.
PRIVATE = "private"


def group_result(key: tuple, answers: dict, people: int) -> GroupResult:
    """One group's result from its answers (people: their sum, not 0)."""
    scope, dimension, group = key
    return GroupResult(
        scope,
        dimension,
        group,
        people,
        answers.get("yes", 0),
        answers.get("not_said", 0),
        answers.get(PRIVATE, 0),
    )


class Assembled:
    """A tally ((scope, dimension, group) → {answer: how many}), each group's result and the
    groups in the report's order ((order key, key), sorted). `patched` makes another from
    this one with some groups changed, without touching this one."""

    __slots__ = ("tally", "results", "order")

    def __init__(self, tally: dict, results: dict, order: list):
        self.tally, self.results, self.order = tally, results, order

    @classmethod
    def of(cls, tally: dict) -> Assembled:
        results, order = {}, []
        for key, answers in tally.items():
            people = sum(answers.values())
            if people:
                results[key] = group_result(key, answers, people)
                order.append((report_order(*key), key))
        order.sort()
        return cls(tally, results, order)

    def patched(self, changed: dict) -> Assembled:
        """This tally with `changed` ({key: answers}, an empty answers dict or all zero: the
        group is gone) in place of its groups; the other groups' results are shared."""
        tally, results, order = dict(self.tally), dict(self.results), self.order
        gone, new = set(), []
        for key, answers in changed.items():
            people = sum(answers.values())
            was = key in results
            if people:
                tally[key] = answers
                results[key] = group_result(key, answers, people)
                if not was:
                    new.append((report_order(*key), key))
            else:
                tally.pop(key, None)
                if was:
                    del results[key]
                    gone.add(key)
        if gone or new:
            order = [entry for entry in order if entry[1] not in gone] if gone else list(order)
            for entry in new:
                insort(order, entry)
        return Assembled(tally, results, order)

    def report(self) -> list[GroupResult]:
        results = self.results
        return [results[key] for _order, key in self.order]


class _Kept:
    """One organisation's count rows as last read, with their fingerprint and the report."""

    __slots__ = ("rows", "stamp", "fingerprint", "names", "assembled")

    def __init__(self):
        self.rows: dict = {}  # (scope id, dimension, group) → {answer: (n, stamp)}
        self.stamp = -1  # the highest stamp read (rows made by the migration have 0)
        self.fingerprint = [0, 0, 0, 0, 0]  # of `rows`, as `_changes` reads it
        self.names: dict = {}  # project id → name
        self.assembled = Assembled({}, {}, [])

    def update(self, rows, names: dict) -> bool:
        """Take the rows changed since `stamp` (`_CHANGES`) and the projects' names; False
        (what is kept is then of no use) when the rows in the database are not those kept."""
        fresh, fingerprint, touched = self.stamp == -1, None, set()
        for scope, dimension, group, answer, n, stamp, row_id, *sums in rows:
            if dimension is None:
                fingerprint = [n, stamp, row_id, *sums]
                continue
            group_key = (scope, dimension, group)
            self.take(group_key, answer, row_id, n, stamp)
            touched.add(group_key)
        if fingerprint != self.fingerprint and not fresh:  # (all rows read: they are these)
            return False
        if names != self.names:  # a project renamed, added or deleted: its place moves
            self.names = names
            self.rebuild()
        elif touched:
            changed = {}
            for group_key in touched:
                key = self.key_of(*group_key)
                if key is not None:
                    changed[key] = self.answers(group_key)
            self.assembled = self.assembled.patched(changed)
        return True

    def take(self, group_key: tuple, answer: str, row_id: int, n: int, stamp: int) -> None:
        answers = self.rows.setdefault(group_key, {})
        old = answers.get(answer)
        sums = self.fingerprint
        if old is None:
            sums[0] += 1
        else:
            for i, term in enumerate(_terms(row_id, old[0], old[1]), 1):
                sums[i] -= term
        for i, term in enumerate(_terms(row_id, n, stamp), 1):
            sums[i] += term
        answers[answer] = (n, stamp)
        self.stamp = max(self.stamp, stamp)

    def answers(self, group_key: tuple) -> dict:
        return {answer: n for answer, (n, _stamp) in self.rows[group_key].items() if n}

    def key_of(self, scope: int, dimension: str, group: str):
        name = ORGANISATION if scope == 0 else self.names.get(scope)
        return None if name is None else (name, dimension, group)

    def rebuild(self) -> None:
        tally: dict = {}
        for group_key in self.rows:
            key = self.key_of(*group_key)
            answers = self.answers(group_key)
            if answers and key is not None:
                tally[key] = answers
        self.assembled = Assembled.of(tally)


# The fingerprint of the count rows: how many, and the sums of their stamps, of their
# numbers times their stamps, of their stamps squared and of their row ids times their
# stamps (ids and stamps modulo MODULUS, so no sum passes a 64-bit integer). Two copies of a
# database that changed apart give their new stamps to other rows (the row id tells which)
# or other numbers, and so other sums; equal sums by chance would need four at once.
MODULUS = 1_000_003


def _terms(row_id: int, n: int, stamp: int) -> tuple[int, int, int, int]:
    """What one row adds to the sums of the fingerprint (as the SQL of `_changes` does)."""
    low = stamp % MODULUS
    return stamp, n * low, low * low, (row_id % MODULUS) * low


_kept: dict = {}  # organisation → _Kept
# One first call after a change at a time (a few ms): what is kept moves from one committed
# state to a later one, never back (a report kept per token must hold that token's state).
_lock = threading.Lock()


def _changes():
    """The count rows changed since a stamp, and one more row (`dimension` NULL) with every
    row's fingerprint (`fingerprint`)."""
    c = ReportCount
    low, row = _modulo(c.stamp), _modulo(c.id)
    changed = c.select(
        c.scope, c.dimension, c.grp, c.answer, c.n, c.stamp, c.id, SQL("NULL"), SQL("NULL")
    )
    fingerprint = c.select(
        SQL("NULL"),
        SQL("NULL"),
        SQL("NULL"),
        SQL("NULL"),
        fn.COUNT(c.id),
        _sum(c.stamp),
        _sum(c.n * low),
        _sum(low * low),
        _sum(row * low),
    )
    return changed.where(c.stamp > Slot("stamp")).union_all(fingerprint).tuples()


def _modulo(column):
    """The column modulo MODULUS, in integer division (SQLite has no MOD; peewee's % is
    LIKE)."""
    return column - (column / MODULUS) * MODULUS


def _sum(value):
    return fn.COALESCE(fn.SUM(value), 0).cast("BIGINT")


_CHANGES = Prepared(_changes)
_NAMES = Prepared(lambda: Project.select(Project.id, Project.name).tuples())


def live_report() -> Assembled:
    """The organisation's live report as kept, brought up to date with the count rows changed
    since (two queries; one more when the rows do not match what was kept: then all of
    them). Call outside a transaction (it reads committed rows only). What it returns is
    never changed afterwards."""
    organisation = tenancy.current_id()
    with _lock:
        # Taken out while it changes: a failure half-way leaves nothing half-updated kept.
        kept = _kept.pop(organisation, None) or _Kept()
        names = dict(_NAMES.rows())
        if not kept.update(_CHANGES.rows(stamp=kept.stamp), names):
            kept = _Kept()  # another history (another copy of the database): read it all
            kept.update(_CHANGES.rows(stamp=-1), names)
        _kept[organisation] = kept
        return kept.assembled
