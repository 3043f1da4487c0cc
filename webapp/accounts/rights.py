"""The rights page: who holds which right; an administrator grants and withdraws them."""

from collections import namedtuple

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse

from models.accounts.rights import accounts_matching, grant_right, rights_overview, withdraw_right
from models.accounts.tables import PROJECT_RIGHTS, Grant
from models.rules.errors import RuleError
from webapp.access import ADMIN, Routes, url_id
from webapp.accounts.forms import GrantForm
from webapp.accounts.words import RIGHT_LABELS, refusal
from webapp.forms import bind, page_params, search_text
from webapp.i18n import _
from webapp.templating import render

routes = Routes()
Choice = namedtuple("Choice", "id shown_name")  # a match as the person picker shows it


def _page(request: Request, overview=None, form=None, error=None, status_code=200):
    """The holders of a right, a page at a time, and the form to give one; whom it is for
    is found by a search on the name or username (htmx: block account_choices)."""
    overview = overview or rights_overview(**page_params(request.query_params))
    form = form or GrantForm(data={"q": search_text(request.query_params.get("q"), 80)})
    form.offer(overview["projects"])
    matches = [
        Choice(a.id, f"{a.person.shown_name} ({a.username})")
        for a in accounts_matching(form.q.data or "")
    ]
    context = {
        "accounts": overview["accounts"],
        "grants": overview["grants"],
        "form": form,
        "matches": matches,
        "error": error,
        "labels": RIGHT_LABELS,
    }
    return render(
        request,
        "accounts/rights.html",
        context,
        status_code=status_code,
        block="account_choices",
    )


@routes.get("/admin/rights", permission=ADMIN)
def rights_page(request: Request, viewer):
    """Who holds which right; grant and withdraw rights."""
    return _page(request)


@routes.post("/admin/rights/grant", permission=ADMIN)
def grant_right_route(request: Request, viewer):
    """Give the chosen account a right."""
    form = bind(GrantForm, request)
    overview = rights_overview()
    form.offer(overview["projects"])
    valid = form.validate()
    found = accounts_matching("", account_id=form.account.data) if form.account.data else []
    if valid and not found:
        form.account.errors = [_("Search for a name and choose one of the names.")]
    if not valid or not found:
        return _page(request, overview, form, status_code=400)
    account = found[0]
    right = form.right.data
    project = form.project.data if right in PROJECT_RIGHTS and form.project.data else None
    try:
        grant_right(viewer.account_id, account, right, project)
    except RuleError as err:
        return _page(request, overview, form, error=refusal(err), status_code=400)
    return RedirectResponse("/admin/rights", status_code=303)


@routes.post("/admin/rights/{grant_id:int}/withdraw", permission=ADMIN)
def withdraw_right_route(request: Request, viewer):
    grant = Grant.with_account(url_id(request, "grant_id"))
    if grant is None:
        raise HTTPException(404)
    try:
        withdraw_right(viewer.account_id, grant)
    except RuleError as err:
        return _page(request, error=refusal(err), status_code=400)
    return RedirectResponse("/admin/rights", status_code=303)
