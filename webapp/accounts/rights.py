"""The rights page: who holds which right; an administrator grants and withdraws them."""

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse

from models.accounts.rights import grant_right, rights_overview, withdraw_right
from models.accounts.tables import Grant
from models.db import database
from models.rules.errors import RuleError
from webapp.access import ADMIN, Routes, url_id
from webapp.accounts.forms import GrantForm
from webapp.accounts.words import RIGHT_LABELS, refusal
from webapp.forms import bind
from webapp.templating import render

routes = Routes()


def _page(request: Request, overview=None, form=None, error=None, status_code=200):
    overview = overview or rights_overview()
    form = (form or GrantForm()).offer(overview["accounts"], overview["projects"])
    context = {
        "accounts": overview["accounts"],
        "grants": overview["grants"],
        "form": form,
        "error": error,
        "labels": RIGHT_LABELS,
    }
    return render(request, "accounts/rights.html", context, status_code=status_code)


@routes.get("/admin/rights", rule=ADMIN)
def rights_page(request: Request, viewer):
    """Who holds which right; grant and withdraw rights."""
    return _page(request)


@routes.post("/admin/rights/grant", rule=ADMIN)
def grant_right_route(request: Request, viewer):
    form = bind(GrantForm, request)
    overview = rights_overview()
    form.offer(overview["accounts"], overview["projects"])
    if not form.validate():
        return _page(request, overview, form, status_code=400)
    account = next(a for a in overview["accounts"] if a.id == form.account.data)
    right = form.right.data
    project = form.project.data if right == "coordinator" and form.project.data else None
    with database.atomic():
        grant_right(viewer.account_id, account, right, project)
    return RedirectResponse("/admin/rights", status_code=303)


@routes.post("/admin/rights/{grant_id:int}/withdraw", rule=ADMIN)
def withdraw_right_route(request: Request, viewer):
    grant = Grant.with_account(url_id(request, "grant_id"))
    if grant is None:
        raise HTTPException(404)
    with database.atomic():
        try:
            withdraw_right(viewer.account_id, grant)
        except RuleError as err:
            return _page(request, error=refusal(err), status_code=400)
    return RedirectResponse("/admin/rights", status_code=303)
