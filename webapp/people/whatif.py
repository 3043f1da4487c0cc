"""The confirming screen before a change that alters the 51% check (memberships and
vacancies): each group whose result changes, before and after, as far as the viewer may know
(models.people.whatif); every time it is shown, an audit line says who previewed what.

When some answers in those groups are not shared with the viewer, the screen says so in one
calm sentence instead of a list of groups it cannot tell (issue 22): how many answers the
viewer cannot see, which groups may really fall below 51% through the change (only those ask
for the tick), and the groups whose outcome is certain whatever those answers are."""

from starlette.responses import RedirectResponse

from models.people.checks import ask_check, checkable, ticks_left, usable_check
from models.people.whatif import (
    TICK,
    can_fall,
    has_private,
    record_preview,
    surely_falls,
    verdict,
    visible_changes,
)
from models.rules.errors import RuleError
from models.rules.ids import parse_id
from models.rules.representation import FAIL, ORGANISATION, PASS
from webapp.i18n import _, translated
from webapp.people.words import DIMENSION_LABELS, GROUP_LABELS
from webapp.templating import render


def group_name(change) -> str:
    """ "Laag: Uitvoering in Uitgeverij Woordwerk" / "… in de hele organisatie"."""
    group = DIMENSION_LABELS[change.dimension] + ": " + GROUP_LABELS[change.group]
    if change.scope == ORGANISATION:
        return _("%(group)s in the whole organisation", group=group)
    return _("%(group)s in %(scope)s", group=group, scope=change.scope)


def certain_outcome(change) -> str:
    """What a group does whatever the answers the viewer cannot see are (for a group that
    cannot fall below 51% through the change): "stays", "stays_below", "rises", "empty" or
    "no_fall" (it does not fall, though its result is not known)."""
    if change.after is None:
        return "empty"
    if change.outcome_after == PASS:
        return "stays" if change.outcome_before in (PASS, None) else "rises"
    if change.outcome_after == FAIL and change.outcome_before == FAIL:
        return "stays_below"
    return "no_fall"


def shown_changes(viewer, changes, one_way: bool) -> list[dict]:
    """The what-if groups as a viewer may see them (counts only for the privacy right)."""
    shown = []
    for change in visible_changes(viewer, changes):
        falls = surely_falls(change)
        maybe = can_fall(change, one_way=one_way) and not falls
        shown.append(
            {
                "scope": change.scope,
                "organisation": change.scope == ORGANISATION,
                "name": group_name(change),
                "before": change.before,
                "after": change.after,
                "falls_below": falls,
                "may_fall_below": maybe,
                "certain": None if falls or maybe else certain_outcome(change),
            }
        )
    return shown


def confirm_first(request, viewer, form, changes, **options):
    """None when the change may be saved now; else the confirming screen to show first.

    `changes` come from simulate(…, viewer); `preview` names the audit line of the preview:
    action, obj and optionally person and project (`fields`, the change asked for, is its
    content: ids and choices, never answers; `logged` replaces it where the fields carry
    more, as a file sent back does). "Go back" leads to `back` (default: `action`, when
    that is also the form's page). `one_way`: the change moves the people it touches one
    way per group (models.people.whatif.can_fall), so the tick is asked only where a group
    may really fall below 51%. `button` says what the final button does (default "Save")."""
    return confirm_or_check(request, viewer, form, changes, **options)[0]


def confirm_or_check(
    request,
    viewer,
    form,
    changes,
    *,
    title: str,
    action: str,
    fields: dict,
    preview: dict,
    back: str | None = None,
    logged: dict | None = None,
    one_way: bool = False,
    ask: dict | None = None,
    button: str | None = None,
):
    """As `confirm_first`, and with `ask` ({"kind", "target", "project_id", "asked"}: the
    change for models.people.checks) the coordinator may ask for a 51% check (the second
    button: a redirect to the check's page) or go on with an answered one (the form's
    `check`). Returns (the screen or redirect to show, or None to save now; the check to
    save with, or None)."""
    check, error = None, None
    asking = ask is not None and not viewer.has_privacy_right and has_private(changes)
    if asking and form.ask_check.data == "1":
        try:
            made = ask_check(
                viewer,
                kind=ask["kind"],
                target=ask["target"],
                project_id=ask["project_id"],
                asked=ask["asked"],
                changes=changes,
                form={"action": action, "fields": fields},
            )
        except RuleError as err:
            error = translated(err.template)
        else:
            return RedirectResponse(f"/checks/{made.id}", status_code=303), None
    if asking and error is None and parse_id(form.check.data):
        try:
            check = usable_check(
                viewer,
                parse_id(form.check.data),
                kind=ask["kind"],
                target=ask["target"],
                changes=changes,
                asked=ask["asked"],
            )
        except RuleError as err:
            error = translated(err.template)
    accepted = bool(form.accept_below.data) or (
        check is not None and not ticks_left(check, changes)
    )
    step = verdict(
        changes, confirmed=form.confirmed.data == "1", accepted_below=accepted, one_way=one_way
    )
    if step is None and error is None:
        return None, check
    record_preview(
        viewer.account_id,
        preview["action"],
        preview["obj"],
        person=preview.get("person"),
        project=preview.get("project"),
        asked=fields if logged is None else logged,
    )
    if error is None and step == TICK:
        error = _("Tick the box to confirm that a group falls below 51%.")
    shown = shown_changes(viewer, changes, one_way)
    return render(
        request,
        "people/confirm.html",
        {
            "title": title,
            "action": action,
            "back": back or action,
            "fields": fields,
            "changes": shown,
            "needs_confirmation": any(c["falls_below"] or c["may_fall_below"] for c in shown),
            "private": has_private(changes),
            "unseen": getattr(changes, "unseen", 0),
            "may_ask": asking and bool(checkable(changes)),
            "error": error,
            "counts": viewer.has_privacy_right,
            "button": button,
        },
        status_code=400 if error else 200,
    ), None
