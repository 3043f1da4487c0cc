"""The stored rota (issue 13): each project's next turns (the meeting, who chairs, with whom,
who takes minutes) kept in a table, so the project page reads a few narrow rows instead of
the planned meetings with all their people.

The turns are the planned meetings' own chair, duo and minute-taker, as re-planning, swaps
and overrides set them (models/meetings/rota.py). `store_rota(project_id)` copies the first
ROTA_AHEAD of them, and every write that changes them calls it: re-planning (which a
membership change, a pause, opting in or out, apologies, an override, a swap and planning
meetings all end in), choosing a duo, starting a meeting and the demo.
tests/meetings/test_stored_rota.py holds the stored rota against the meetings after random
sequences of those changes. Names are read with the turns (one query), so a new name or an
erasure shows at once.
"""

from __future__ import annotations

from typing import NamedTuple

from peewee import JOIN, DateField, ForeignKeyField, IntegerField

from models.db import BaseModel, database, lock_for_update
from models.meetings.tables import Meeting
from models.organisation import Project
from models.person import Person
from models.sql_once import Prepared, Slot

ROTA_AHEAD = 6


class RotaTurn(BaseModel):
    """One coming turn of a project: its `position` among the planned meetings (0 first)."""

    project = ForeignKeyField(Project, on_delete="CASCADE")
    position = IntegerField()
    meeting = ForeignKeyField(Meeting, on_delete="CASCADE")
    date = DateField()
    chair = ForeignKeyField(Person, null=True, on_delete="SET NULL")
    chair_duo = ForeignKeyField(Person, null=True, on_delete="SET NULL")
    minute_taker = ForeignKeyField(Person, null=True, on_delete="SET NULL")

    class Meta:
        indexes = ((("project", "position"), True),)


class ComingTurn(NamedTuple):
    """A turn as the project page shows it."""

    id: int  # the meeting's
    date: object
    chair_name: str | None
    minute_taker_name: str | None


def computed_rota(project_id: int, limit: int = ROTA_AHEAD) -> list[tuple]:
    """(meeting id, date, chair, duo, minute-taker) of the next planned meetings, from the
    meetings themselves (what the stored rota must equal)."""
    m = Meeting
    return list(
        m.select(m.id, m.date, m.chair, m.chair_duo, m.minute_taker)
        .where((m.project == project_id) & (m.state == "planned"))
        .order_by(m.date, m.id)
        .limit(limit)
        .tuples()
    )


def store_rota(project_id: int) -> None:
    """Store the project's next turns again (call inside the transaction that changed them).
    The project's row is locked first, so two changes at once store one after the other
    (PostgreSQL); each reads the other's committed turns.

    The lock is FOR NO KEY UPDATE, not FOR UPDATE: every row written with the project's id
    (an audit line, a membership) holds a key-share lock on the project's row until its
    commit, which FOR UPDATE waits for. A re-planning that wrote an audit line and then waits
    for a meeting row of ours, while we wait here for its key-share lock, was a deadlock
    (tests/people/test_report_locks.py). FOR NO KEY UPDATE still makes two rota stores and a
    project edit wait for each other, and nothing that only refers to the project."""
    with database.atomic():
        lock_for_update(
            Project.select(Project.id).where(Project.id == project_id), no_key=True
        ).first()
        RotaTurn.delete().where(RotaTurn.project == project_id).execute()
        rows = [
            {"project": project_id, "position": position, "meeting": meeting_id, "date": day,
             "chair": chair, "chair_duo": duo, "minute_taker": taker}
            for position, (meeting_id, day, chair, duo, taker) in enumerate(
                computed_rota(project_id)
            )
        ]  # fmt: skip
        if rows:
            RotaTurn.insert_many(rows).execute()


def coming_turns(project_id: int, limit: int = 3) -> list[ComingTurn]:
    """The project's next turns with the names of chair and minute-taker (one query)."""
    return [ComingTurn(*row) for row in _COMING.rows(project=project_id, limit=limit)]


def _coming():
    t = RotaTurn
    chair, taker = Person.alias(), Person.alias()
    return (
        t.select(t.meeting, t.date, chair.display_name, taker.display_name)
        .join(chair, JOIN.LEFT_OUTER, on=(t.chair == chair.id))
        .switch(t)
        .join(taker, JOIN.LEFT_OUTER, on=(t.minute_taker == taker.id))
        .where((t.project == Slot("project")) & (t.position < Slot("limit")))
        .order_by(t.position)
        .tuples()
    )


# The project page's turns, its SQL built once (models/sql_once.py).
_COMING = Prepared(_coming)
