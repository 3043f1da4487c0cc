"""The federation administrator's page (issue 24.4; docs/federation.md "The federation's
page"): the organisations of the installation, per organisation only what is public inside
it as a group, adding one, and suspending or resuming one.

Only on the installation's first organisation's host and only for an account holding the
federation right (given by `tafel org admin USERNAME`); everyone else, anywhere, gets "not
found": the page does not exist for them.
"""

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse

from models import tenancy
from models.accounts.links import link_url
from models.records import federation
from models.records.organisations import BAD_NAME, FILE_THERE, NO_HOST_YET
from models.rules.errors import RuleError
from webapp.access import Permission, Routes
from webapp.accounts.words import refusal
from webapp.core.caching import no_store
from webapp.core.forms import NewOrganisationForm
from webapp.forms import bind, page_params
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


def _page(
    request: Request, error: str | None = None, status_code: int = 200, form=None, not_now=None
):
    page = federation.federation_page(**page_params(request.query_params))
    response = render(
        request,
        "federation.html",
        {"page": page, "error": error, "group_labels": GROUP_LABELS,
         "home_id": federation.home().id, "form": form or NewOrganisationForm(),
         "added": _added(request), "not_now": not_now},
        status_code=status_code,
    )  # fmt: skip
    return no_store(response)


def _not_now(err: RuleError) -> str | None:
    """The page's own sentence for a refusal only the server's administrator can resolve:
    the command's sentence names a file on the server or a command (it stays on the
    command's stderr). None for a refusal about what was typed."""
    if err.template == NO_HOST_YET:
        return _(
            "This cannot be done yet. The organisation %(name)s has no address of its own. "
            "Ask the person who runs the server to give it one first.",
            name=err.params["name"],
        )
    if err.template == FILE_THERE:
        return _(
            "This cannot be done now. An old file on the server is in the way. Ask the person "
            "who runs the server to move it away."
        )
    return None


def _added(request: Request) -> dict | None:
    """The organisation just added and its first administrator's invite link, shown once:
    the token leaves the session cookie as soon as the page shows it. The link starts with
    the new organisation's own host."""
    stored = request.session.pop("new_organisation", None)
    entry = next(
        (e for e in tenancy.directory.entries() if stored and e.id == stored.get("id")), None
    )
    if entry is None:
        return None
    with tenancy.working_for(entry.id):
        base = request.app.state.settings.public_url
    return {"entry": entry, "url": link_url(base, stored["token"])}


@routes.get("/federation", permission=FEDERATION_ADMIN)
def federation_view(request: Request, viewer):
    """The organisations, 20 a page, with their group figures, and the form to add one."""
    return _page(request)


@routes.post("/federation", permission=FEDERATION_ADMIN)
def federation_add(request: Request, viewer):
    """Add an organisation on its own host; its first administrator's link is shown once."""
    form = bind(NewOrganisationForm, request)
    if not form.validate():
        return _page(request, status_code=400, form=form)
    try:
        organisation_id, token = federation.add(viewer.account_id, form.name.data, form.host.data)
    except RuleError as err:  # the host taken meanwhile, or the installation not ready
        not_now = _not_now(err)
        if not_now is None:
            (form.name if err.template == BAD_NAME else form.host).errors = [refusal(err)]
        return _page(request, status_code=409, form=form, not_now=not_now)
    request.session["new_organisation"] = {"id": organisation_id, "token": token}
    return RedirectResponse("/federation#added", status_code=303)


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
