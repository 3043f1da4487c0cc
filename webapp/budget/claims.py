"""Claims: claim costs back, see where your claims are, decide (the sub-budget's manager or
the treasurer) and pay (the treasurer) — never your own claim (models/budget/claims.py)."""

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from models.budget import claims
from models.budget.tables import Claim, LedgerEntry
from models.clock import now, today
from models.organisation import Organisation
from webapp.access import Routes
from webapp.budget.files import read_receipt, serve_receipt
from webapp.budget.forms import ClaimForm, RejectForm
from webapp.budget.permissions import (
    BUDGET_VIEWER,
    CLAIM_DECIDER,
    CLAIM_OWNER,
    CLAIM_PARTY,
    CLAIM_PAYER,
)
from webapp.budget.words import (
    CLAIM_KIND_LABELS,
    CLAIM_STATUS_LABELS,
    TOO_LATE,
    duration,
    rule_error,
)
from webapp.forms import bind, page_params
from webapp.templating import render

routes = Routes()
# Each list's paging parameters: (after, before).
LINKS = {name: (f"{name}_after", f"{name}_before") for name in ("mine", "decide", "pay")}


def _claims_page(request, viewer, form=None, status=200):
    """The claims page: three lists, each a page at a time with its own links (mine_after,
    decide_after, pay_after …), and the form."""
    params = request.query_params
    return render(
        request,
        "budget/claims.html",
        {
            "form": form or ClaimForm(data={"spent_on": today()}),
            "rate": Organisation.current().km_rate_cents,
            "mine": claims.claims_of(viewer.person_id, **page_params(params, *LINKS["mine"])),
            "to_decide": claims.waiting_for(viewer, **page_params(params, *LINKS["decide"])),
            "to_pay": (
                claims.to_pay(**page_params(params, *LINKS["pay"])) if viewer.is_treasurer else []
            ),
            "links": LINKS,
            "times": claims.payment_times() if viewer.is_treasurer else [],
            "now": now(),
            "duration": duration,
            "too_long": claims.WAITING_TOO_LONG,
            "status_labels": CLAIM_STATUS_LABELS,
            "kind_labels": CLAIM_KIND_LABELS,
        },
        status_code=status,
    )


@routes.get("/budget/claims", permission=BUDGET_VIEWER)
def claims_page(request: Request, viewer):
    """Claim costs back; see where your claims are; decide and pay (managers, treasurer)."""
    return _claims_page(request, viewer)


@routes.post("/budget/claims", permission=BUDGET_VIEWER)
def claim_submit(request: Request, viewer):
    """Submit a claim."""
    form = bind(ClaimForm, request)
    valid = form.validate()
    valid = form.compute(Organisation.current().km_rate_cents) and valid
    receipt = read_receipt(form.receipt)
    if not valid or form.receipt.errors or viewer.person_id is None:
        return _claims_page(request, viewer, form=form, status=400)
    claim = claims.submit(
        claimant_id=viewer.person_id,
        sub_budget_id=form.sub_budget_id,
        kind=form.kind.data,
        km=form.km.data,
        amount_cents=form.cents,
        spent_on=form.spent_on.data,
        description=form.description.data.strip(),
        receipt=receipt,
        account_id=viewer.account_id,
    )
    return RedirectResponse(f"/budget/claims/{claim.id}", status_code=303)


def _claim_page(request, viewer, claim, reject_form=None, status=200, message=None):
    """One claim's page; `claim` as Claim.with_names loads it."""
    return render(
        request,
        "budget/claim.html",
        {
            "claim": claim,
            "is_claimant": claims.is_claimant(viewer, claim),
            "may_decide": claims.may_decide(viewer, claim) and claim.status == "submitted",
            "may_pay": claims.may_pay(viewer, claim) and claim.status == "approved",
            "may_withdraw": claims.is_claimant(viewer, claim) and claim.status == "submitted",
            "reject_form": reject_form or RejectForm(),
            "entry_id": LedgerEntry.id_of_claim(claim.id),
            "took": duration((claim.paid_at or now()) - claim.created_at),
            "ended": claim.paid_at or claim.decided_at or claim.withdrawn_at,
            "status_labels": CLAIM_STATUS_LABELS,
            "kind_labels": CLAIM_KIND_LABELS,
            "message": message,
        },
        status_code=status,
    )


@routes.get("/budget/claims/{claim_id:int}", permission=CLAIM_PARTY)
def claim_page(request: Request, viewer):
    """One claim: where it is and how long it has taken."""
    return _claim_page(request, viewer, request.state.target)


@routes.get("/budget/claims/{claim_id:int}/receipt", permission=CLAIM_PARTY)
def claim_receipt(request: Request, viewer):
    """The claim's receipt, for the claimant, the sub-budget's manager and the treasurer."""
    return serve_receipt(request, request.state.target.receipt)


def _after(request, viewer, done: bool, action: str, to: str | None = None) -> Response:
    """Back to the claim (or `to`) when the action was done; else the claim's page as it now
    is, saying that someone else was first (read again: it changed since the rule loaded it)."""
    claim_id = request.state.target.id
    if done:
        return RedirectResponse(to or f"/budget/claims/{claim_id}", status_code=303)
    now_is = Claim.with_names(claim_id)
    return _claim_page(request, viewer, now_is, status=409, message=TOO_LATE[action])


def _not_your_own(request, viewer, refused: claims.NotYourOwn) -> Response:
    """The claim's page as it is, saying why this account may not do the second half."""
    now_is = Claim.with_names(request.state.target.id)
    return _claim_page(request, viewer, now_is, status=403, message=rule_error(refused))


@routes.post("/budget/claims/{claim_id:int}/approve", permission=CLAIM_DECIDER)
def claim_approve(request: Request, viewer):
    """Approve a claim (the sub-budget's manager or the treasurer, never the claimant)."""
    try:
        done = claims.approve(request.state.target.id, viewer)
    except claims.NotYourOwn as refused:
        return _not_your_own(request, viewer, refused)
    return _after(request, viewer, done, "decide")


@routes.post("/budget/claims/{claim_id:int}/reject", permission=CLAIM_DECIDER)
def claim_reject(request: Request, viewer):
    """Do not approve a claim, with a reason in plain words."""
    claim = request.state.target
    form = bind(RejectForm, request)
    if not form.validate():
        return _claim_page(request, viewer, claim, reject_form=form, status=400)
    try:
        done = claims.reject(claim.id, form.reason.data.strip(), viewer)
    except claims.NotYourOwn as refused:
        return _not_your_own(request, viewer, refused)
    return _after(request, viewer, done, "decide")


@routes.post("/budget/claims/{claim_id:int}/pay", permission=CLAIM_PAYER)
def claim_pay(request: Request, viewer):
    """Pay an approved claim: books the reimbursement entry in the same transaction."""
    try:
        done = claims.pay(request.state.target.id, viewer)
    except claims.NotYourOwn as refused:
        return _not_your_own(request, viewer, refused)
    return _after(request, viewer, done, "pay")


@routes.post("/budget/claims/{claim_id:int}/withdraw", permission=CLAIM_OWNER)
def claim_withdraw(request: Request, viewer):
    """The claimant withdraws a claim that is still waiting."""
    done = claims.withdraw(request.state.target.id, viewer)
    return _after(request, viewer, done, "withdraw", to="/budget/claims")
