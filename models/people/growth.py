"""Growth over time (PRODUCT.md "Role growth"): starting and changing a membership with the
duo rule, the re-planning of the meetings rota and the audit line, the opt-ins for turns in
the meeting, and the one-click way back.

The people area sits below meetings (issue 20: areas without circles), so it does not import
the rota. A change of status or of the opt-ins re-plans the meetings not started through the
one hook below, which models/meetings fills when it is imported (models.registry imports
every area before any write). We chose a hook over moving these capabilities into meetings:
a membership is people's own data, written from people's screens, the import and vacancies;
only its consequence for the rota is the meetings area's. The hook cannot be silently
missing: `_rota_replanned` refuses to write when nobody registered it (the transaction rolls
back), and tests/people/test_growth_hook.py checks that models.registry registers it.
"""

from collections.abc import Callable

from models.accounts import audit
from models.clock import today
from models.db import database
from models.people.edge_watch import watching
from models.people.tables import Membership, RoleStep, StepChange
from models.person import Person

# The one thing a membership change asks of the meetings area: re-plan the project's meetings
# not started, `replan(project_id, actor=account id)`.
_replan: list[Callable] = []


def on_membership_changed(replan: Callable) -> Callable:
    """Register what re-plans a project's meetings after a membership change (the meetings
    area does, at import). Registering twice keeps one."""
    _replan[:] = [replan]
    return replan


def rota_hook_registered() -> bool:
    """Whether the meetings area registered its re-planning."""
    return bool(_replan)


def _rota_replanned(project_id: int, actor) -> None:
    if not _replan:
        raise RuntimeError(
            "No rota re-planning is registered: import models.registry (or models.meetings) "
            "before changing memberships."
        )
    _replan[0](project_id, actor=actor)


# The kinds of change that one action can undo (a step back, a pause, another layer).
UNDOABLE = ("back", "up", "pause", "layer")


def kind_of_change(membership: Membership, step: RoleStep, layer: str, status: str) -> str | None:
    """The kind of a change (None: nothing on the ladder, layer or status changes).

    A change of status names the change (pause, return, end); else a step up or back;
    else a move to another layer.
    """
    if status != membership.status:
        return {"paused": "pause", "ended": "end", "active": "return"}[status]
    if step.id != membership.step_id:
        old = RoleStep.get_by_id(membership.step_id)
        return "up" if (step.position, step.id) > (old.position, old.id) else "back"
    if layer != membership.layer:
        return "layer"
    return None


def change_membership(
    membership: Membership,
    *,
    step: RoleStep,
    layer: str,
    status: str,
    recorded_by: int | None,
    note: str = "",
    on=None,
) -> StepChange | None:
    """Change a membership's step, layer or status and record it; call inside a transaction."""
    kind = kind_of_change(membership, step, layer, status)
    if kind is None:
        return None
    change = StepChange.create(
        membership=membership,
        kind=kind,
        on=on or today(),
        from_step=membership.step_id,
        to_step=step.id,
        from_layer=membership.layer,
        to_layer=layer,
        from_status=membership.status,
        to_status=status,
        recorded_by=recorded_by,
        note=note,
    )
    membership.unsettle()  # the published figures keep the state before, until it settles
    membership.step = step
    membership.layer = layer
    membership.status = status
    membership.save()
    return change


def start_membership(
    person, project, *, step, layer, status="active", since=None, recorded_by=None, note="", **extra
) -> Membership:
    """A new membership, recorded as the start of a path; call inside a transaction. It
    counts in the published figures once it settled (Membership.unsettle)."""
    membership = Membership(
        person=person,
        project=project,
        step=step,
        layer=layer,
        status=status,
        since=since or today(),
        **extra,
    )
    membership.unsettle(new=True)
    membership.save(force_insert=True)
    StepChange.create(
        membership=membership,
        kind="start",
        on=membership.since,
        to_step=step,
        to_layer=layer,
        to_status=status,
        recorded_by=recorded_by,
        note=note,
    )
    return membership


def way_back(changes) -> dict:
    """Per membership, the latest change when it can be undone in one action (a step back
    or a pause): {membership_id: change}. `changes` come newest first."""
    latest = {}
    for change in changes:
        latest.setdefault(change.membership_id, change)
    return {mid: c for mid, c in latest.items() if c.kind in UNDOABLE and c.from_step_id}


# --- changing a membership: the duo rule, the rota, the audit line ---------------------------


def membership_values(membership: Membership) -> dict:
    """What the audit log keeps of a membership's place: step name, layer, status."""
    return {"step": membership.step.name, "layer": membership.layer, "status": membership.status}


def change_with_duo(
    membership_id: int,
    *,
    step: RoleStep,
    layer: str,
    status: str,
    partner: int | None,
    note: str,
    duo_note: str,
    recorded_by: int | None,
):
    """Change a membership and its duo partner; call inside a transaction.

    PRODUCT.md "Duo functions": two people share one role and count as two people, so a new
    partner who is not in the project joins it at the same step and layer (with `duo_note`).
    Returns the StepChange, "duo" when only the partner changed, or None.
    """
    current = Membership.get_by_id(membership_id)
    change = change_membership(
        current, step=step, layer=layer, status=status, recorded_by=recorded_by, note=note
    )
    if (current.duo_partner_id or 0) == (partner or 0):
        return change
    current.duo_partner = partner or None
    current.save()
    if partner and not Membership.exists_for(partner, current.project_id):
        start_membership(
            partner,
            current.project_id,
            step=step,
            layer=layer,
            recorded_by=recorded_by,
            note=duo_note,
        )
    return change or "duo"


def save_membership_change(membership: Membership, *, actor, note_for_log: str = "", **asked):
    """Save a change asked for a membership (see `change_with_duo`) in one transaction: the
    change, the re-planning of the rota when the status changes, and the audit line."""
    with database.atomic(), watching(actor, asked.get("recorded_by")):
        before = membership_values(membership)
        change = change_with_duo(membership.id, **asked)
        if before["status"] != asked["status"]:
            # PRODUCT.md "Rotation": a pause or an end re-plans the meetings not started.
            _rota_replanned(membership.project_id, actor)
        if change is None:
            return None
        audit.record(
            actor,
            "membership.duo" if change == "duo" else f"membership.{change.kind}",
            membership,
            project=membership.project_id,
            person=membership.person_id,
            before={**before, "duo_partner": membership.duo_partner_id},
            after={
                "step": asked["step"].name,
                "layer": asked["layer"],
                "status": asked["status"],
                "duo_partner": asked["partner"],
            },
            note=note_for_log,
        )
        return change


# --- adding someone to a project -------------------------------------------------------------


def add_member(
    project,
    *,
    person_id: int | None,
    new_name: str,
    step: RoleStep,
    layer: str,
    since,
    tasks: str,
    chair: bool,
    minutes: bool,
    recorded_by: int | None,
):
    """Add a person (an existing one, or a new one by name) to a project; call inside a
    transaction. Returns (person, membership)."""
    person = Person.create(display_name=new_name) if new_name else Person.get_by_id(person_id)
    membership = start_membership(
        person,
        project,
        step=step,
        layer=layer,
        since=since,
        recorded_by=recorded_by,
        tasks=tasks,
        chair_since=since if chair else None,
        minutes_since=since if minutes else None,
    )
    return person, membership


def save_new_member(project, *, actor, note_for_log: str = "", **asked):
    """Add someone to a project (see `add_member`) with its audit line, in one transaction."""
    with database.atomic(), watching(actor, asked.get("recorded_by")):
        person, membership = add_member(project, **asked)
        audit.record(
            actor,
            "membership.create",
            membership,
            project=project,
            person=person,
            after={
                "step": asked["step"].name,
                "layer": membership.layer,
                "status": membership.status,
            },
            note=note_for_log,
        )
    return person


# --- turns in the meeting ----------------------------------------------------------------------


def set_turns(membership: Membership, *, chair: bool, minutes: bool, actor) -> None:
    """Opt in or out of chairing and minute-taking; meetings not started are re-planned."""
    wants = {"chair_since": chair, "minutes_since": minutes}
    with database.atomic():
        before = {k: getattr(membership, k) for k in wants}
        for field, wanted in wants.items():
            # PRODUCT.md "Rotation": the opt-in date decides the order among newcomers.
            if wanted and getattr(membership, field) is None:
                setattr(membership, field, today())
            elif not wanted:
                setattr(membership, field, None)
        membership.save()
        after = {k: getattr(membership, k) for k in wants}
        if after != before:
            _rota_replanned(membership.project_id, actor)
            audit.record(
                actor,
                "membership.turns",
                membership,
                project=membership.project_id,
                person=membership.person_id,
                before=before,
                after=after,
            )
