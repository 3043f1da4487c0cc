"""The what-if of a change (PRODUCT.md "The 51% check"): what a membership change would do to
the 51% check before it is saved, whether it may be saved now, and who sees which groups.

PRODUCT.md: nothing someone without the privacy right sees before confirming a change may
depend on one person's answer, unless that person shared it with them. So the what-if is
computed for an actor: holders of the privacy right get the full what-if; everyone else gets
one that counts only the answers shared with them (visibility.answers_known_to) and keeps
the others apart as private (`GroupResult.private`), so a group whose result depends on them
is "open". Every preview is written to the audit log (who previewed what; never answers or
results)."""

from models.accounts import audit
from models.actor import Actor
from models.db import database
from models.people.representation import representation_report
from models.people.visibility import answers_known_to
from models.rules.representation import FAIL, PASS, what_if

# What the confirming screen must do before a change may be saved.
CONFIRM = "confirm"  # show each group whose result changes, and ask to confirm
TICK = "tick"  # a group (may) fall below 51%: the box "Confirm" must be ticked


def simulate(change, actor: Actor | None = None) -> list:
    """What a change would do to the 51% check: `change()` runs inside a savepoint that is
    rolled back, and the report before is compared with the report after (what_if).

    With an actor, only the answers that actor may count are counted (all of them for the
    privacy right); whose answers those are is settled before the change runs."""
    known = None if actor is None else answers_known_to(actor)
    before = representation_report(known=known)
    with database.atomic() as savepoint:
        change()
        after = representation_report(known=known)
        savepoint.rollback()
    return what_if(before, after)


def verdict(changes, *, confirmed: bool, accepted_below: bool) -> str | None:
    """None when the change may be saved now; else CONFIRM (show the confirming screen) or
    TICK (it was confirmed, but a group (may) fall below 51% and the box was not ticked)."""
    if not changes:
        return None
    if not confirmed:
        return CONFIRM
    if any(c.may_fall_below for c in changes) and not accepted_below:
        return TICK
    return None


def visible_changes(actor: Actor, changes) -> list:
    """The groups an actor sees on the confirming screen: every group the change alters.
    Without the privacy right the changes were simulated for that actor (simulate), so
    they hold only the answers shared with them."""
    return list(changes)


def has_private(changes) -> bool:
    """Whether answers the actor may not count lie in the groups of a what-if."""
    return any(side is not None and side.private for c in changes for side in (c.before, c.after))


def surely_falls(change) -> bool:
    """The group falls below 51% whatever the private answers are (without private answers:
    `falls_below`)."""
    return change.outcome_after == FAIL and change.outcome_before in (PASS, None)


# Written before the groups when the one who confirmed counted every answer (the privacy
# right): whether such a confirmation was needed at all depends on answers, so the audit log
# shows it only to the privacy right (issue 19, finding M5; webapp/accounts/audit_words.py).
EVERY_ANSWER = "counted every answer"


def below_note(changes, actor: Actor | None = None) -> str:
    """The audit note for a confirmed (possible) fall below 51%: which groups, never who; as
    the one who confirmed saw it (a group that might fall below because of private answers
    is written "might fall below"). With an actor holding the privacy right (or none: every
    answer counted) the note says so first (EVERY_ANSWER)."""
    sure = [f"{c.scope}/{c.dimension}/{c.group}" for c in changes if surely_falls(c)]
    maybe = [
        f"{c.scope}/{c.dimension}/{c.group}"
        for c in changes
        if c.may_fall_below and not surely_falls(c)
    ]
    notes = []
    if sure:
        notes.append("confirmed below 51%: " + ", ".join(sure))
    if maybe:
        notes.append("confirmed might fall below 51% (private answers): " + ", ".join(maybe))
    if notes and (actor is None or actor.has_privacy_right):
        notes.insert(0, EVERY_ANSWER)
    return "; ".join(notes)


def record_preview(actor, action: str, obj, *, person=None, project=None, asked: dict) -> None:
    """The audit line of a what-if: who previewed which change (the change asked for; no
    answers and no results), in its own transaction."""
    with database.atomic():
        audit.record(actor, action, obj, person=person, project=project, after=asked)
