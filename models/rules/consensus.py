"""The outcome of a proposal when the chair closes it (PRODUCT.md "Outcome")."""

from __future__ import annotations

from collections.abc import Iterable

STANCES = ("agree", "concern", "stand_aside", "block")
# PRODUCT.md: "I need more time" is not a stance but a request to the chair to postpone,
# so it counts neither toward the quorum nor in the tallies.
MORE_TIME = "more_time"
OUTCOMES = ("consensus", "provisional", "no_consensus", "blocked")


def _stances(stances: Iterable[str]) -> list[str]:
    kept = []
    for stance in stances:
        if stance == MORE_TIME:
            continue
        if stance not in STANCES:
            raise ValueError(f"Unknown stance {stance!r}.")
        kept.append(stance)
    return kept


def default_quorum(active_members: int) -> int:
    """More than half of the project's active members (at least one)."""
    if active_members < 0:
        raise ValueError("The number of active members cannot be negative.")
    return active_members // 2 + 1


def tally(stances: Iterable[str]) -> dict[str, int]:
    """How many took each stance, every stance listed; "more time" is left out."""
    counts = dict.fromkeys(STANCES, 0)
    for stance in _stances(stances):
        counts[stance] += 1
    return counts


def outcome(stances: Iterable[str], active_members: int, quorum: int | None = None) -> str:
    """One of 'blocked', 'provisional', 'no_consensus', 'consensus', checked in that order.

    ``stances`` holds each member's current stance. A quorum below one is refused: a
    proposal nobody took a stance on is never decided.
    """
    kept = _stances(stances)
    if quorum is None:
        quorum = default_quorum(active_members)
    if quorum < 1:
        raise ValueError("The quorum must be at least one.")
    if "block" in kept:
        return "blocked"  # a block stands even when too few took a stance
    if len(kept) < quorum:
        return "provisional"
    if 3 * kept.count("stand_aside") >= len(kept):  # a third or more, in exact integers
        return "no_consensus"
    return "consensus"


# A proposal between meetings closes by itself at its moment (docs/rules.md "Proposals
# between meetings"); besides the meeting's outcomes it can end in these two, which put it on
# the next meeting's agenda: someone asked for more time, or too few answered.
BETWEEN_OUTCOMES = ("more_time", "no_quorum")


def between_outcome(stances: Iterable[str], active_members: int, quorum: int | None = None) -> str:
    """The outcome of a proposal between meetings, by the meeting's rule: 'blocked' (any
    block), 'more_time' (anyone's current answer asks for more time), 'no_quorum' (fewer than
    the quorum took a stance), 'no_consensus' (a third or more stood aside), else
    'provisional': consent, which the next meeting confirms."""
    given = list(stances)
    kept = _stances(given)
    if quorum is None:
        quorum = default_quorum(active_members)
    if quorum < 1:
        raise ValueError("The quorum must be at least one.")
    if "block" in kept:
        return "blocked"
    if MORE_TIME in given:
        return "more_time"
    if len(kept) < quorum:
        return "no_quorum"
    if 3 * kept.count("stand_aside") >= len(kept):
        return "no_consensus"
    return "provisional"
