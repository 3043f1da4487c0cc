"""Removals: who asked to be removed, and the removal of someone without an account, which a
coordinator starts with a reason and a second coordinator confirms (the rules, and who may
do what, are in models/records/removal.py)."""

from starlette.requests import Request
from starlette.responses import RedirectResponse

from models.person import Person
from models.records.removal import (
    cancel_removal,
    confirm_removal,
    may_remove,
    open_removals,
    removal_requests,
    removal_view,
    remove_person,
    start_removal,
)
from models.rules.errors import RuleError
from webapp.access import ANY_COORDINATOR, Permission, Routes, target
from webapp.accounts.forms import RemovalAnswerForm, RemovalStartForm
from webapp.accounts.words import refusal
from webapp.forms import bind
from webapp.i18n import _
from webapp.people.permissions import person_in_url
from webapp.people.whatif import confirm_first
from webapp.people.words import STATUS_LABELS
from webapp.templating import render

routes = Routes()


def _manages_removals(viewer) -> bool:
    return viewer.is_org_coordinator or viewer.is_admin


# Removing someone who asked erases their identity: organisation coordinators and
# administrators.
REMOVAL_MANAGER = Permission(
    "organisation coordinator or administrator", lambda v, p: _manages_removals(v)
)
_person_in_url = target(lambda person_id: Person.get_or_none(Person.id == person_id), "person_id")
SELF_REQUEST_MANAGER = Permission(
    "organisation coordinator or administrator",
    lambda v, p: _manages_removals(v),
    target=_person_in_url,
)

# Starting, confirming and cancelling the removal of someone without an account: a coordinator
# of one of their current projects, or of a former one when they are in none (may_remove).
REMOVAL_COORDINATOR = Permission(
    "a coordinator of the person's current projects", may_remove, target=person_in_url
)

DONE = {
    "started": lambda: _("The removal is started. Another coordinator has to confirm it."),
    "withdrawn": lambda: _("You withdrew the removal. Nothing has changed."),
    "cancelled": lambda: _("The removal is cancelled. Nothing has changed."),
    "removed": lambda: _("The person is removed. Their history stays as former member."),
}


def _done(request: Request) -> str | None:
    said = DONE.get(request.query_params.get("done", ""))
    return said() if said else None


def _list_page(request: Request, viewer, error=None, status_code=200):
    context = {
        "people": removal_requests() if _manages_removals(viewer) else [],
        "manages": _manages_removals(viewer),
        "started": open_removals(viewer) if viewer.is_any_coordinator else [],
        "error": error,
        "message": _done(request),
    }
    return render(request, "accounts/removals.html", context, status_code=status_code)


@routes.get("/removals", permission=ANY_COORDINATOR)
def removals_page(request: Request, viewer):
    """Who asked to be removed (organisation coordinators and administrators), and the
    removals started by a coordinator that wait for a second one (those about people the
    viewer coordinates)."""
    return _list_page(request, viewer)


@routes.post("/removals/{person_id:int}/confirm", permission=SELF_REQUEST_MANAGER)
def remove_who_asked(request: Request, viewer):
    """Remove someone who asked for it: first the what-if of the 51% check (their
    memberships end), then erase them and re-plan their rotas, in one transaction."""
    form = bind(RemovalAnswerForm, request)
    try:
        step = remove_person(viewer, request.state.target.id, **_confirmation(form))
    except RuleError as err:
        return _list_page(request, viewer, refusal(err), status_code=400)
    if not step.done:
        person = step.person
        return confirm_first(
            request,
            viewer,
            form,
            step.changes,
            title=_("Remove %(name)s", name=person.shown_name),
            button=_("Remove this person"),
            action=f"/removals/{person.id}/confirm",
            back="/removals",
            fields={},
            preview={"action": "person.preview_removal", "obj": person, "person": person.id},
        )
    return RedirectResponse("/removals", status_code=303)


def _confirmation(form) -> dict:
    """What the confirming screen of the 51% check answered (models.people.whatif.verdict)."""
    return {
        "confirmed": form.confirmed.data == "1",
        "accepted_below": bool(form.accept_below.data),
    }


# --- started by a coordinator ------------------------------------------------------------------


def _person_page(request: Request, viewer, form=None, error=None, status_code=200):
    person = request.state.target
    view = removal_view(person)
    started = view["removal"]
    context = {
        "person": person,
        **view,
        "own_request": started is not None and started.starter_person_id == viewer.person_id,
        "form": form or RemovalStartForm(),
        "error": error,
        "message": _done(request),
        "status_labels": STATUS_LABELS,
    }
    return render(request, "accounts/removal.html", context, status_code=status_code)


@routes.get("/people/{person_id:int}/removal", permission=REMOVAL_COORDINATOR)
def removal_page(request: Request, viewer):
    """Start the removal of someone without an account, or see the one started: name,
    projects, reason, who started it (never the client background)."""
    return _person_page(request, viewer)


@routes.post("/people/{person_id:int}/removal", permission=REMOVAL_COORDINATOR)
def removal_start(request: Request, viewer):
    person = request.state.target
    form = bind(RemovalStartForm, request)
    if not form.validate():
        return _person_page(request, viewer, form=form, status_code=400)
    try:
        start_removal(viewer, person.id, form.reason.data)
    except RuleError as err:
        return _person_page(request, viewer, error=refusal(err), status_code=400)
    return RedirectResponse(f"/people/{person.id}/removal?done=started", status_code=303)


@routes.post("/people/{person_id:int}/removal/confirm", permission=REMOVAL_COORDINATOR)
def removal_confirm(request: Request, viewer):
    """A second coordinator confirms: first the what-if of the 51% check (the person's
    memberships end), then the identity is erased and the rotas re-planned, in one
    transaction."""
    person = request.state.target
    form = bind(RemovalAnswerForm, request)
    try:
        step = confirm_removal(viewer, person.id, form.request_id(), **_confirmation(form))
    except RuleError as err:
        return _person_page(request, viewer, error=refusal(err), status_code=400)
    if not step.done:
        return confirm_first(
            request,
            viewer,
            form,
            step.changes,
            title=_("Remove %(name)s", name=person.shown_name),
            button=_("Remove this person"),
            action=f"/people/{person.id}/removal/confirm",
            back=f"/people/{person.id}/removal",
            fields={"request": step.request.id},
            preview={
                "action": "person.preview_removal",
                "obj": step.request,
                "person": person.id,
            },
        )
    return RedirectResponse("/removals?done=removed", status_code=303)


@routes.post("/people/{person_id:int}/removal/cancel", permission=REMOVAL_COORDINATOR)
def removal_cancel(request: Request, viewer):
    """The starter withdraws, or another coordinator cancels; nothing changes."""
    person = request.state.target
    form = bind(RemovalAnswerForm, request)
    try:
        action = cancel_removal(viewer, person.id, form.request_id())
    except RuleError as err:
        return _person_page(request, viewer, error=refusal(err), status_code=400)
    done = "withdrawn" if action == "person.removal_withdraw" else "cancelled"
    return RedirectResponse(f"/people/{person.id}/removal?done={done}", status_code=303)
