"""The 51% check: which groups have enough people with a client background."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

ORGANISATION = "organisation"
LAYERS = ("execution", "coordination", "management")
ROLE_CATEGORIES = ("participant", "volunteer", "paid_staff")
DIMENSIONS = ("layer", "role")
BACKGROUNDS = ("yes", "no", "not_said")
STATUSES = ("active", "paused", "ended")
SMALL_GROUP = 5  # PRODUCT.md: groups of fewer than 5 people show "small group" to most members
# A group's result as a viewer may know it (see GroupResult.private): it passes or fails
# whatever the private answers are, or it is open (it depends on private answers).
PASS, FAIL, OPEN = "pass", "fail", "open"

_GROUPS = {"layer": LAYERS, "role": ROLE_CATEGORIES}


def _check_counts(yes: int, people: int) -> None:
    if people <= 0:
        # PRODUCT.md: empty groups are not shown, so asking about one is a caller's mistake.
        raise ValueError("A group without people has no result.")
    if not 0 <= yes <= people:
        raise ValueError(
            "The number of people with a client background must lie between 0 and the group size."
        )


def passes(yes: int, people: int) -> bool:
    """Whether a group passes: 100 × yes ≥ 51 × people, in exact integers (PRODUCT.md)."""
    _check_counts(yes, people)
    return 100 * yes >= 51 * people


def share(yes: int, people: int) -> Decimal:
    """The percentage with a client background, one decimal, half up; for display only."""
    _check_counts(yes, people)
    # Round 1000*yes/people (tenths of a percent) half up with integers only: no float, no
    # intermediate Decimal rounding that could round twice.
    tenths = (2000 * yes + people) // (2 * people)
    return Decimal(tenths).scaleb(-1)


@dataclass(frozen=True)
class GroupResult:
    """The counts of one group in one scope (the organisation or a project)."""

    scope: str
    dimension: str
    group: str
    people: int
    yes: int
    not_said: int
    # Answers the viewer may not count (not shared with them): they are in `people` but in
    # neither `yes` nor `not_said`. Always 0 in the full report (the privacy right's).
    private: int = 0

    @property
    def key(self) -> tuple[str, str, str]:
        """The identity of the group: (scope, dimension, group)."""
        return (self.scope, self.dimension, self.group)

    @property
    def passes(self) -> bool:
        """Whether the group meets the 51% rule."""
        return passes(self.yes, self.people)

    @property
    def share(self) -> Decimal:
        """Percentage with a client background, one decimal, for display."""
        return share(self.yes, self.people)

    @property
    def outcome(self) -> str:
        """PASS or FAIL whatever the private answers are; OPEN when they decide it. With no
        private answers this is simply the result."""
        if passes(self.yes, self.people):
            return PASS
        if not passes(self.yes + self.private, self.people):
            return FAIL
        return OPEN

    @property
    def small(self) -> bool:
        """Whether members without the privacy right see only "small group"."""
        return self.people < SMALL_GROUP


def report_order(scope: str, dimension: str, group: str) -> tuple:
    """Sort key of the report: organisation, then projects by name; layers, then roles."""
    # DATA-EXCHANGE.md representation.csv: "the organisation first, then projects by name;
    # within a scope, layers in the order above, then roles". Names sort by plain code point
    # order (like SQLite's default BINARY collation), so SQL callers must sort the same way.
    if dimension not in _GROUPS:
        raise ValueError(f"Unknown dimension {dimension!r}.")
    return (
        scope != ORGANISATION,
        scope,
        DIMENSIONS.index(dimension),
        _GROUPS[dimension].index(group),
    )


@dataclass(frozen=True)
class Change:
    """One group before and after a change; None where the group is empty (not shown)."""

    scope: str
    dimension: str
    group: str
    before: GroupResult | None
    after: GroupResult | None

    @property
    def passes_before(self) -> bool | None:
        """The result before, or None when the group was empty."""
        return None if self.before is None else self.before.passes

    @property
    def passes_after(self) -> bool | None:
        """The result after, or None when the group becomes empty."""
        return None if self.after is None else self.after.passes

    @property
    def result_changes(self) -> bool:
        """Whether pass/fail (or shown/not shown) differs between before and after."""
        return self.passes_before != self.passes_after

    @property
    def falls_below(self) -> bool:
        """Whether the group was passing (or empty) and now fails: this needs a confirmation.

        PRODUCT.md: falling below 51% warns and asks for an explicit confirmation.
        A group that becomes empty is not shown and so does not fall below.
        """
        return self.after is not None and not self.after.passes and self.passes_before is not False

    @property
    def outcome_before(self) -> str | None:
        return None if self.before is None else self.before.outcome

    @property
    def outcome_after(self) -> str | None:
        return None if self.after is None else self.after.outcome

    @property
    def may_fall_below(self) -> bool:
        """Whether, as far as the counted answers tell, the group may go from pass (or empty)
        to fail: it is not sure to pass after, and was not sure to fail before. Without
        private answers this is `falls_below`; with private answers it asks for the
        confirmation whenever the private answers could make the group fall below."""
        return self.after is not None and self.outcome_after != PASS and self.outcome_before != FAIL


def _counts(result: GroupResult | None) -> tuple[int, int, int, int] | None:
    if result is None:
        return None
    return (result.people, result.yes, result.not_said, result.private)


def what_if(before: list[GroupResult], after: list[GroupResult]) -> list[Change]:
    """The groups a change alters, before and after, in report order.

    PRODUCT.md asks to show "each group whose result changes"; we show every group whose
    pass/fail result or counts change (a group that appears or disappears included), so
    the confirming screen can explain the effect. ``Change.falls_below`` flags the groups
    that go from pass (or empty) to fail, which need an explicit confirmation;
    ``Change.result_changes`` flags those whose pass/fail differs.
    """
    old = {r.key: r for r in before}
    new = {r.key: r for r in after}
    if len(old) != len(before) or len(new) != len(after):
        raise ValueError("A group appears twice in one report.")
    changes = []
    for key in sorted(old.keys() | new.keys(), key=lambda k: report_order(*k)):
        b, a = old.get(key), new.get(key)
        if _counts(b) != _counts(a):
            changes.append(Change(*key, before=b, after=a))
    return changes
