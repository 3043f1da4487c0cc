"""The what-if of a change (PRODUCT.md "The 51% check"): what a membership change would do to
the 51% check before it is saved, whether it may be saved now, and who sees which groups."""

from models.db import database
from models.people.representation import representation_report
from models.rules.representation import what_if

# What the confirming screen must do before a change may be saved.
CONFIRM = "confirm"  # show each group whose result changes, and ask to confirm
TICK = "tick"  # a group falls below 51%: the box "Confirm" must be ticked


def simulate(change) -> list:
    """What a change would do to the 51% check: `change()` runs inside a savepoint that is
    rolled back, and the report before is compared with the report after (what_if)."""
    before = representation_report()
    with database.atomic() as savepoint:
        change()
        after = representation_report()
        savepoint.rollback()
    return what_if(before, after)


def verdict(changes, *, confirmed: bool, accepted_below: bool) -> str | None:
    """None when the change may be saved now; else CONFIRM (show the confirming screen) or
    TICK (it was confirmed, but a group falls below 51% and the box was not ticked)."""
    if not changes:
        return None
    if not confirmed:
        return CONFIRM
    if any(c.falls_below for c in changes) and not accepted_below:
        return TICK
    return None


def visible_changes(viewer, changes) -> list:
    """The groups a viewer may see on the confirming screen: all of them, with counts, for
    holders of the privacy right; for others only the groups whose pass/fail changes."""
    return [
        change
        for change in changes
        if viewer.has_privacy_right or change.result_changes or change.falls_below
    ]


def below_note(changes) -> str:
    """The audit note for a confirmed fall below 51% (which groups; never who)."""
    fallen = [f"{c.scope}/{c.dimension}/{c.group}" for c in changes if c.falls_below]
    return ("confirmed below 51%: " + ", ".join(fallen)) if fallen else ""
