"""The federation administrator's page (issue 24.4; docs/federation.md "The federation's
page"): the organisations of the installation, per organisation only what is public inside
it as a group, and suspending or resuming one.

Only on the installation's first organisation's host and only for an account holding the
federation right (given by `tafel org admin USERNAME`); everyone else, anywhere, gets "not
found": the page does not exist for them.
"""

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse

from models.records import federation
from models.rules.errors import RuleError
from webapp.access import Permission, Routes
from webapp.accounts.words import refusal
from webapp.core.caching import no_store
from webapp.forms import page_params
from webapp.i18n import _
from webapp.people.words import GROUP_LABELS
from webapp.templating import render

routes = Routes()


def _federation_admin(viewer, _target) -> bool:
    """The federation right on the first organisation's host; for everyone else the page
    does not exist (404, not 403 or the login: nothing tells it is there)."""
    if viewer.is_federation_admin and federation.on_home():
        return True
    raise HTTPException(404)


FEDERATION_ADMIN = Permission("federation administrator", _federation_admin, login=False)


def _page(request: Request, error: str | None = None, status_code: int = 200):
    page = federation.federation_page(**page_params(request.query_params))
    response = render(
        request,
        "federation.html",
        {"page": page, "error": error, "group_labels": GROUP_LABELS,
         "home_id": federation.home().id},
        status_code=status_code,
    )  # fmt: skip
    return no_store(response)


@routes.get("/federation", permission=FEDERATION_ADMIN)
def federation_view(request: Request, viewer):
    """The organisations, 20 a page, with their group figures."""
    return _page(request)


@routes.post("/federation/{organisation_id:int}", permission=FEDERATION_ADMIN)
def federation_suspend(request: Request, viewer):
    """Suspend (suspended=yes) or resume (suspended=no) one organisation."""
    choice = request.state.form.get("suspended")
    if choice not in ("yes", "no"):
        return _page(request, _("Choose to suspend or to resume the organisation."), 400)
    try:
        federation.suspend(
            viewer.account_id, int(request.path_params["organisation_id"]), choice == "yes"
        )
    except RuleError as err:
        return _page(request, refusal(err), 409)
    return RedirectResponse("/federation", status_code=303)
