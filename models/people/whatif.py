"""The what-if of a change (PRODUCT.md "The 51% check"): what a membership change would do to
the 51% check before it is saved, whether it may be saved now, and who sees which groups.

PRODUCT.md: nothing someone without the privacy right sees before confirming a change may
depend on one person's answer, unless that person shared it with them. So the what-if is
computed for an actor: holders of the privacy right get the full what-if; everyone else gets
one that counts only the answers shared with them (visibility.answers_known_to) and keeps
the others apart as private (`GroupResult.private`), so a group whose result depends on them
is "open". Every preview is written to the audit log (who previewed what; never answers or
results)."""

from peewee import fn

from models.accounts import audit
from models.actor import Actor
from models.db import database
from models.organisation import Project
from models.people.representation import representation_report
from models.people.tables import Membership, Person, RoleStep
from models.people.visibility import answers_known_to
from models.rules.representation import FAIL, ORGANISATION, PASS, what_if

# What the confirming screen must do before a change may be saved.
CONFIRM = "confirm"  # show each group whose result changes, and ask to confirm
TICK = "tick"  # a group (may) fall below 51%: the box "Confirm" must be ticked


class WhatIf(list):
    """The groups a change alters (`what_if`'s list), with `unseen`: how many people in those
    groups have an answer the actor may not count (each person once, before or after the
    change, whichever is more; 0 for the privacy right)."""

    unseen = 0


def simulate(change, actor: Actor | None = None) -> WhatIf:
    """What a change would do to the 51% check: `change()` runs inside a savepoint that is
    rolled back, and the report before is compared with the report after (what_if).

    With an actor, only the answers that actor may count are counted (all of them for the
    privacy right); whose answers those are is settled before the change runs."""
    known = None if actor is None else answers_known_to(actor)
    before = representation_report(known=known)
    newest = None if known is None else Person.select(fn.MAX(Person.id)).scalar() or 0
    with database.atomic() as savepoint:
        change()
        if known is not None:
            # Someone the change itself creates has no answer but the one the actor gives
            # (none on a screen, the file's in an import): theirs is no private answer.
            known = known + [p.id for p in Person.select(Person.id).where(Person.id > newest)]
        after = representation_report(known=known)
        changes = WhatIf(what_if(before, after))
        private = known is not None and has_private(changes)
        if private:
            changes.unseen = _unseen(changes, known)
        savepoint.rollback()
    if private:
        changes.unseen = max(changes.unseen, _unseen(changes, known))
    return changes


def _unseen(changes, known: list[int]) -> int:
    """How many people, each once, are in the groups of `changes` now (active) with an answer
    outside `known` (one query)."""
    names = {c.scope for c in changes if c.scope != ORGANISATION}
    ids = (
        {
            p.name: p.id
            for p in Project.select(Project.id, Project.name).where(Project.name.in_(list(names)))
        }
        if names
        else {}
    )
    groups = None
    for c in changes:
        column = Membership.layer if c.dimension == "layer" else RoleStep.category
        condition = column == c.group
        if c.scope != ORGANISATION:
            condition &= Membership.project == ids.get(c.scope, 0)
        groups = condition if groups is None else groups | condition
    query = (
        Membership.select(fn.COUNT(fn.DISTINCT(Membership.person)))
        .join(RoleStep, on=(Membership.step == RoleStep.id))
        .where((Membership.status == "active") & groups)
    )
    if known:
        query = query.where(Membership.person.not_in(known))
    return query.scalar() or 0


def can_fall(change, *, one_way: bool = True) -> bool:
    """Whether the group may go from 51% or more (or empty) to below 51% through this change,
    for some answers the actor may not count (docs/rules.md "The what-if without every
    answer"). Without private answers: `falls_below`.

    The answers of people in the group before and after are the same answers on both sides
    (`one_way`: the change moves the people it touches one way per group, as every change on
    one membership, its duo partner or one person's removal does: then min(private before,
    private after) of them are in the group on both sides). A group may fall when some number
    x of those shared private answers is "yes" with the group passing before (everyone
    leaving said yes) and failing after (everyone joining did not). Without `one_way` (an
    import moves many people both ways) each side may take any answers
    (`Change.may_fall_below`)."""
    after, before = change.after, change.before
    if after is None:
        return False
    if not one_way:
        return change.may_fall_below
    if before is None:
        return after.outcome != PASS
    common = min(before.private, after.private)
    left = before.private - common
    low = max(0, -(-(51 * before.people - 100 * (before.yes + left)) // 100))
    high = min(common, -(-(51 * after.people) // 100) - 1 - after.yes)
    return low <= high


def needs_tick(changes, *, one_way: bool = True) -> bool:
    """Whether saving needs the box "I know a group (may) fall below 51%" ticked."""
    return any(can_fall(c, one_way=one_way) for c in changes)


def verdict(changes, *, confirmed: bool, accepted_below: bool, one_way: bool = False) -> str | None:
    """None when the change may be saved now; else CONFIRM (show the confirming screen) or
    TICK (it was confirmed, but a group (may) fall below 51% and the box was not ticked).
    `one_way` as in `can_fall` (False asks the tick wherever either side may differ)."""
    if not changes:
        return None
    if not confirmed:
        return CONFIRM
    if needs_tick(changes, one_way=one_way) and not accepted_below:
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


def below_note(changes, actor: Actor | None = None, *, one_way: bool = False) -> str:
    """The audit note for a confirmed (possible) fall below 51%: which groups, never who; as
    the one who confirmed saw it (a group that might fall below because of private answers
    is written "might fall below"). With an actor holding the privacy right (or none: every
    answer counted) the note says so first (EVERY_ANSWER)."""
    sure = [f"{c.scope}/{c.dimension}/{c.group}" for c in changes if surely_falls(c)]
    maybe = [
        f"{c.scope}/{c.dimension}/{c.group}"
        for c in changes
        if can_fall(c, one_way=one_way) and not surely_falls(c)
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
