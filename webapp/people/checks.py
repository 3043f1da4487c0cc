"""Ask for a 51% check (models/people/checks.py; docs/rules.md "Asking for a 51% check"): the
page of one asked check, for the coordinator who asked it (waiting, or the answer and the way
to go on) and for the holders of the privacy right (the full what-if and the answer form);
the list of checks waiting for an answer; and the answer."""

from peewee import PeeweeException
from starlette.requests import Request
from starlette.responses import RedirectResponse

from models.people.checks import (
    CheckRequest,
    alerts_of_asker,
    answer_check,
    asker_name,
    change_of,
    decided_by_one,
    described,
    find,
    holds,
    may_answer,
    ticks_left,
)
from models.people.whatif import simulate
from models.rules.errors import RuleError
from webapp.access import Permission, Routes, target
from webapp.forms import bind
from webapp.i18n import translated
from webapp.people.forms import CheckAnswerForm
from webapp.people.whatif import group_name, shown_changes
from webapp.templating import render

routes = Routes()

# The coordinator who asked, and the holders of the privacy right.
CHECK_VIEWER = Permission(
    "the coordinator who asked or the privacy right",
    lambda v, check: v.has_privacy_right or v.account_id == check.asked_by_account,
    target=target(find, "check_id"),
)
CHECK_ANSWERER = Permission(
    "the privacy right", lambda v, check: v.has_privacy_right, target=target(find, "check_id")
)


def _what_if(check, viewer):
    """The pending change simulated for the viewer now; None when it cannot be made any more
    (the person left or joined meanwhile)."""
    try:
        return simulate(change_of(check), viewer)
    except (RuleError, ValueError, PeeweeException):
        return None


class _Key:
    def __init__(self, key):
        self.scope, self.dimension, self.group = key


def _page(request, viewer, check, form=None, error=None, status=200):
    changes = _what_if(check, viewer)
    asker = viewer.account_id == check.asked_by_account
    context = {
        "check": check,
        "about": described(check),
        "covered": [group_name(_Key(key)) for key in check.covered],
        "asker": asker,
        "error": error,
        "gone": changes is None,
    }
    if viewer.has_privacy_right and not asker:
        context.update(
            {
                "holder": True,
                "asked_by": asker_name(check),
                "alerts": alerts_of_asker(check),
                "one_answer": changes is not None and decided_by_one(check, changes),
                "changes": [] if changes is None else shown_changes(viewer, changes, True),
                "may_answer": may_answer(viewer, check),
                "form": form or CheckAnswerForm(),
            }
        )
    else:
        usable = changes is not None and holds(check, changes)
        context.update(
            {
                "holder": False,
                "usable": usable,
                "needs_tick": usable and ticks_left(check, changes),
                **check.form,
            }
        )
    return render(request, "people/check.html", context, status_code=status)


# The privacy right (who answers) and coordinators (who ask).
CHECKS = Permission(
    "a coordinator or the privacy right",
    lambda v, _p: v.has_privacy_right or v.is_any_coordinator,
)


@routes.get("/checks", permission=CHECKS)
def checks_waiting(request: Request, viewer):
    """The 51% checks waiting for an answer (the privacy right's list), or the checks a
    coordinator asked lately, with their answers."""
    if viewer.has_privacy_right:
        checks = CheckRequest.waiting()
    else:
        checks = CheckRequest.asked_by_me(viewer.account_id)
    rows = [{"check": c, "about": described(c), "asked_by": asker_name(c)} for c in checks]
    return render(request, "people/checks.html", {"rows": rows, "holder": viewer.has_privacy_right})


@routes.get("/checks/{check_id:int}", permission=CHECK_VIEWER)
def check_page(request: Request, viewer):
    """One asked 51% check: its answer for the coordinator, the full what-if and the answer
    form for the privacy right."""
    return _page(request, viewer, request.state.target)


@routes.post("/checks/{check_id:int}/answer", permission=CHECK_ANSWERER)
def check_answer(request: Request, viewer):
    """Answer a 51% check for the whole change, at group level."""
    check = request.state.target
    form = bind(CheckAnswerForm, request)
    if not form.validate():
        return _page(request, viewer, check, form=form, status=400)
    try:
        answer_check(viewer, check.id, answer=form.answer.data, note=form.note.data or "")
    except RuleError as err:
        return _page(request, viewer, check, form=form, error=translated(err.template), status=409)
    return RedirectResponse("/checks", status_code=303)
