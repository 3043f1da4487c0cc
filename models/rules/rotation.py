"""Chair and minute-taker rotation, exactly as PRODUCT.md "Rotation" describes it."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Literal

Role = Literal["chair", "minutes"]
ROLES: tuple[Role, ...] = ("chair", "minutes")


@dataclass(frozen=True)
class Candidate:
    """A member of the project as the rota sees them.

    An opt-in date of None means "not opted in to that role". For an import, the opt-in
    date is the membership's start date (PRODUCT.md). ``active_until`` is the last day the
    membership is active (inclusive), or None while it goes on.
    """

    person_id: int
    name: str
    opted_in_chair: date | None
    opted_in_minutes: date | None
    active_from: date
    active_until: date | None = None

    def opted_in(self, role: Role) -> date | None:
        """The date this member opted in to ``role``, or None when they did not."""
        if role == "chair":
            return self.opted_in_chair
        if role == "minutes":
            return self.opted_in_minutes
        raise ValueError(f"Unknown role {role!r}.")

    def active_on(self, day: date) -> bool:
        """Whether the membership is active on ``day``."""
        return self.active_from <= day and (self.active_until is None or day <= self.active_until)


@dataclass(frozen=True)
class Turn:
    """Who chairs and who takes minutes at one meeting; None when nobody can."""

    meeting_id: object
    date: date
    chair: int | None
    minute_taker: int | None


def eligible(
    role: Role,
    candidates: Iterable[Candidate],
    meeting_date: date,
    apologies: Collection[int] = frozenset(),
) -> list[Candidate]:
    """Members who may take ``role``: active on the date, opted in, no apologies sent."""
    return [
        c
        for c in candidates
        if c.active_on(meeting_date)
        and c.opted_in(role) is not None
        and c.person_id not in apologies
    ]


def waiting_key(candidate: Candidate, role: Role, last_turn: Mapping[int, date]) -> tuple:
    """Sort key: who has waited longest comes first.

    PRODUCT.md: never had a turn in that role first, then the oldest last turn; ties go to
    the earliest opt-in to that role, then the name; the person id makes the order total.
    """
    last = last_turn.get(candidate.person_id)
    return (
        last is not None,
        last or date.min,
        candidate.opted_in(role),
        candidate.name.casefold(),
        candidate.name,
        candidate.person_id,
    )


def pick(
    role: Role,
    candidates: Iterable[Candidate],
    meeting_date: date,
    last_turn: Mapping[int, date],
    apologies: Collection[int] = frozenset(),
    exclude: Collection[int] = frozenset(),
    avoid: Collection[int] = frozenset(),
) -> int | None:
    """The person id who takes ``role`` at a meeting on ``meeting_date``, or None.

    ``last_turn`` maps person id to the date of their last turn in this role. ``exclude``
    is never chosen (the minute-taker is never the chair). ``avoid`` is chosen only when
    nobody else can (the chair is never the previous meeting's chair when anyone else can).
    """
    pool = [
        c for c in eligible(role, candidates, meeting_date, apologies) if c.person_id not in exclude
    ]
    preferred = [c for c in pool if c.person_id not in avoid] or pool
    if not preferred:
        return None
    return min(preferred, key=lambda c: waiting_key(c, role, last_turn)).person_id


def plan_rota(
    meetings: Iterable[tuple[object, date]],
    candidates: Iterable[Candidate],
    history_chair: Mapping[int, date] | None = None,
    history_minutes: Mapping[int, date] | None = None,
    previous_chair: int | None = None,
    apologies: Mapping[object, Collection[int]] | None = None,
) -> list[Turn]:
    """Chair and minute-taker for each meeting, walked in date order.

    ``meetings`` are (meeting_id, date) pairs; ``history_*`` give each person's last turn
    before these meetings; ``previous_chair`` chaired the meeting just before the first one
    (it should be the person with the latest date in ``history_chair``); ``apologies``
    maps a meeting id to the people who sent apologies. The chair is chosen first
    (PRODUCT.md), then the minute-taker among the others. The rule "never the previous
    meeting's chair" applies to the chair only. A meeting without a chair makes the next
    meeting's previous chair None. The result is in date order (ties keep input order).
    """
    people = list(candidates)
    if len({c.person_id for c in people}) != len(people):
        raise ValueError("A person appears twice among the candidates.")
    last = {
        "chair": dict(history_chair or {}),
        "minutes": dict(history_minutes or {}),
    }
    apologies = apologies or {}
    turns = []
    for meeting_id, day in sorted(meetings, key=lambda m: m[1]):
        away = apologies.get(meeting_id, frozenset())
        chair = pick(
            "chair",
            people,
            day,
            last["chair"],
            apologies=away,
            avoid=frozenset() if previous_chair is None else {previous_chair},
        )
        minute_taker = pick(
            "minutes",
            people,
            day,
            last["minutes"],
            apologies=away,
            exclude=frozenset() if chair is None else {chair},
        )
        if chair is not None:
            last["chair"][chair] = day
        if minute_taker is not None:
            last["minutes"][minute_taker] = day
        previous_chair = chair
        turns.append(Turn(meeting_id, day, chair, minute_taker))
    return turns
