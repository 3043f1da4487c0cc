"""The confirming screen before a change that alters the 51% check (memberships and
vacancies): each group whose result changes, before and after, as far as the viewer may know
(models.people.whatif); every time it is shown, an audit line says who previewed what."""

from models.people.whatif import (
    TICK,
    has_private,
    record_preview,
    surely_falls,
    verdict,
    visible_changes,
)
from models.rules.representation import ORGANISATION
from webapp.i18n import _
from webapp.people.words import DIMENSION_LABELS, GROUP_LABELS
from webapp.templating import render


def _shown(viewer, changes) -> list[dict]:
    """The what-if groups as a viewer may see them (counts only for the privacy right)."""
    return [
        {
            "scope": change.scope,
            "organisation": change.scope == ORGANISATION,
            "dimension": DIMENSION_LABELS[change.dimension],
            "group": GROUP_LABELS[change.group],
            "before": change.before,
            "after": change.after,
            "falls_below": surely_falls(change),
            "may_fall_below": change.may_fall_below and not surely_falls(change),
        }
        for change in visible_changes(viewer, changes)
    ]


def confirm_first(
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
    button: str | None = None,
):
    """None when the change may be saved now; else the confirming screen to show first.

    `changes` come from simulate(…, viewer); `preview` names the audit line of the preview:
    action, obj and optionally person and project (`fields`, the change asked for, is its
    content: ids and choices, never answers; `logged` replaces it where the fields carry
    more, as a file sent back does). "Go back" leads to `back` (default: `action`, when
    that is also the form's page). `button` says what the final button does (default
    "Save")."""
    step = verdict(
        changes, confirmed=form.confirmed.data == "1", accepted_below=bool(form.accept_below.data)
    )
    if step is None:
        return None
    record_preview(
        viewer.account_id,
        preview["action"],
        preview["obj"],
        person=preview.get("person"),
        project=preview.get("project"),
        asked=fields if logged is None else logged,
    )
    error = _("Tick the box to confirm that a group falls below 51%.") if step == TICK else None
    return render(
        request,
        "people/confirm.html",
        {
            "title": title,
            "action": action,
            "back": back or action,
            "fields": fields,
            "changes": _shown(viewer, changes),
            "needs_confirmation": any(c.may_fall_below for c in changes),
            "private": has_private(changes),
            "error": error,
            "counts": viewer.has_privacy_right,
            "button": button,
        },
        status_code=400 if step == TICK else 200,
    )
