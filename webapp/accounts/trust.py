"""Accounts someone else's link still holds (issue 19, docs/rules.md "A key made by someone
else"): the holders of the admin and privacy rights see them (those whose owner said "this
was not me" first), let the owner take their account back in person, and administrators
approve new-password links for accounts that hold a power."""

from starlette.requests import Request
from starlette.responses import RedirectResponse

from models.accounts.links import approve_link, links_to_approve
from models.accounts.trust import held_accounts, reported_not_me, take_back
from models.person import Person
from models.rules.errors import RuleError
from webapp.access import ADMIN, Permission, Routes, target, url_id
from webapp.accounts.forms import TakeBackForm
from webapp.accounts.words import refusal
from webapp.forms import bind
from webapp.i18n import _
from webapp.templating import render

routes = Routes()

KEY_GUARD = Permission(
    "administrator or privacy right", lambda v, p: v.is_admin or v.has_privacy_right
)
_person_in_url = target(
    lambda person_id: Person.get_or_none((Person.id == person_id) & Person.erased_at.is_null()),
    "person_id",
)
KEY_GUARD_OF_PERSON = Permission(
    "administrator or privacy right",
    lambda v, p: v.is_admin or v.has_privacy_right,
    target=_person_in_url,
)

DONE = {
    "taken_back": lambda: _("The account is its owner's again. Every session has ended."),
    "approved": lambda: _("The link is approved. It works now."),
}


def _page(request: Request, viewer, error=None, status_code=200):
    said = DONE.get(request.query_params.get("done", ""))
    context = {
        "held": held_accounts(),
        "not_me": reported_not_me(),
        "to_approve": links_to_approve() if viewer.is_admin else [],
        "error": error,
        "message": said() if said else None,
    }
    return render(request, "accounts/held.html", context, status_code=status_code)


@routes.get("/accounts/held", permission=KEY_GUARD)
def held_page(request: Request, viewer):
    """Accounts a link made by someone else still holds, and (administrators) the
    new-password links that wait for a second administrator."""
    return _page(request, viewer)


def _take_back_page(request: Request, form=None, error=None, status_code=200):
    context = {"person": request.state.target, "form": form or TakeBackForm(), "error": error}
    return render(request, "accounts/take_back.html", context, status_code=status_code)


@routes.get("/accounts/held/{person_id:int}", permission=KEY_GUARD_OF_PERSON)
def take_back_page(request: Request, viewer):
    """The owner takes the account back, in person: they type a new password here."""
    return _take_back_page(request)


@routes.post("/accounts/held/{person_id:int}", permission=KEY_GUARD_OF_PERSON)
def take_back_route(request: Request, viewer):
    form = bind(TakeBackForm, request)
    if not form.validate():
        return _take_back_page(request, form, status_code=400)
    try:
        take_back(viewer, request.state.target.id, form.password.data)
    except RuleError as err:
        return _take_back_page(request, form, refusal(err), status_code=400)
    return RedirectResponse("/accounts/held?done=taken_back", status_code=303)


@routes.post("/accounts/links/{link_id:int}/approve", permission=ADMIN)
def approve_link_route(request: Request, viewer):
    """A second administrator approves a new-password link for an account with a power."""
    try:
        approve_link(viewer, url_id(request, "link_id"))
    except RuleError as err:
        return _page(request, viewer, refusal(err), status_code=400)
    return RedirectResponse("/accounts/held?done=approved", status_code=303)
