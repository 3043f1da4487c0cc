"""Removals: coordinators see who asked to be removed and erase their identity."""

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse

from models.accounts.privacy import removal_requests, remove_person
from models.db import database
from models.person import Person
from models.rules.errors import RuleError
from webapp.access import Routes, Rule, url_id
from webapp.accounts.words import refusal
from webapp.templating import render

routes = Routes()

# Confirming a removal erases someone's identity: organisation coordinators and administrators.
REMOVAL_MANAGER = Rule(
    "organisation coordinator or administrator", lambda v, p: v.is_org_coordinator or v.is_admin
)


def _page(request: Request, error=None, status_code=200):
    context = {"people": removal_requests(), "error": error}
    return render(request, "accounts/removals.html", context, status_code=status_code)


@routes.get("/removals", rule=REMOVAL_MANAGER)
def removals_page(request: Request, viewer):
    """People who asked to be removed."""
    return _page(request)


@routes.post("/removals/{person_id:int}/confirm", rule=REMOVAL_MANAGER)
def confirm_removal(request: Request, viewer):
    person = Person.get_or_none(Person.id == url_id(request, "person_id"))
    if person is None:
        raise HTTPException(404)
    with database.atomic():
        try:
            remove_person(viewer.account_id, person)
        except RuleError as err:
            return _page(request, refusal(err), status_code=400)
    return RedirectResponse("/removals", status_code=303)
