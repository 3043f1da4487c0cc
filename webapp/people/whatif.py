"""The confirming screen before a change that alters the 51% check (memberships and
vacancies): each group whose result changes, before and after."""

from models.people.whatif import TICK, verdict, visible_changes
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
            "falls_below": change.falls_below,
        }
        for change in visible_changes(viewer, changes)
    ]


def confirm_first(request, viewer, form, changes, *, title: str, action: str, fields: dict):
    """None when the change may be saved now; else the confirming screen to show first."""
    step = verdict(
        changes, confirmed=form.confirmed.data == "1", accepted_below=bool(form.accept_below.data)
    )
    if step is None:
        return None
    error = _("Tick the box to confirm that a group falls below 51%.") if step == TICK else None
    return render(
        request,
        "people/confirm.html",
        {
            "title": title,
            "action": action,
            "fields": fields,
            "changes": _shown(viewer, changes),
            "needs_confirmation": any(c.falls_below for c in changes),
            "error": error,
            "counts": viewer.has_privacy_right,
        },
        status_code=400 if step == TICK else 200,
    )
