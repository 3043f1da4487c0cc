"""Booking money in or out (a sub-budget's manager, the treasurer), correcting an entry with a
reversal, and an entry's receipt. Entries are never edited or deleted."""

from starlette.requests import Request
from starlette.responses import RedirectResponse

from models.budget.ledger import book_entry, correct_entry
from models.budget.tables import BudgetError, Post, SubBudget
from webapp.access import Routes
from webapp.budget.files import read_receipt, serve_receipt
from webapp.budget.forms import EntryForm, ReverseForm
from webapp.budget.overview import show_post, show_sub_budget
from webapp.budget.permissions import ENTRY_MANAGER, ENTRY_RECEIPT, POST_TREASURER, SUB_MANAGER
from webapp.budget.words import rule_error
from webapp.forms import bind
from webapp.i18n import _

routes = Routes()


def _book(request, viewer, post, sub) -> EntryForm | None:
    """Book the posted entry on the post or sub-budget; the form with its errors when it is
    not right, else None."""
    form = bind(EntryForm, request)
    valid = form.validate()
    receipt = read_receipt(form.receipt)
    if not valid or form.receipt.errors or not form.in_year(post.year.year):
        return form
    book_entry(
        post=post,
        sub=sub,
        date=form.date.data,
        description=form.description.data.strip(),
        amount_cents=form.signed_cents,
        kind=form.direction.data,
        receipt=receipt,
        account_id=viewer.account_id,
        person_id=viewer.person_id,
    )
    return None


@routes.post("/budget/sub-budgets/{sub_budget_id:int}/entries", permission=SUB_MANAGER)
def sub_budget_book(request: Request, viewer):
    """Book money in or out on a sub-budget (its manager, or the treasurer)."""
    sub = request.state.target
    form = _book(request, viewer, sub.post, sub)
    if form is not None:
        return show_sub_budget(request, viewer, sub, form=form, status=400)
    return RedirectResponse(f"/budget/sub-budgets/{sub.id}#lines", status_code=303)


@routes.post("/budget/posts/{post_id:int}/entries", permission=POST_TREASURER)
def post_book(request: Request, viewer):
    """Book money in or out on a post itself (the treasurer)."""
    post = request.state.target
    form = _book(request, viewer, post, None)
    if form is not None:
        return show_post(request, viewer, post, form=form, status=400)
    return RedirectResponse(f"/budget/posts/{post.id}#lines", status_code=303)


@routes.post("/budget/entries/{entry_id:int}/reverse", permission=ENTRY_MANAGER)
def entry_reverse(request: Request, viewer):
    """Correct an entry with a reversal entry; the original stays visible."""
    entry = request.state.target
    form = bind(ReverseForm, request)
    error = None
    if form.validate():
        try:
            correct_entry(
                entry,
                entry.year_number,
                _("Correction: %(reason)s", reason=form.reason.data.strip()),
                viewer.account_id,
                viewer.person_id,
            )
        except BudgetError as err:
            error = rule_error(err)
    else:
        error = form.reason.errors[0]
    if error:
        problem = {"entry": entry.id, "error": error, "reason": form.reason.data or ""}
        if entry.sub_budget_id:
            sub = SubBudget.with_post(entry.sub_budget_id)
            return show_sub_budget(request, viewer, sub, reverse=problem, status=400)
        post = Post.with_year(entry.post_id)
        return show_post(request, viewer, post, reverse=problem, status=400)
    if entry.sub_budget_id:
        return RedirectResponse(f"/budget/sub-budgets/{entry.sub_budget_id}#lines", 303)
    return RedirectResponse(f"/budget/posts/{entry.post_id}#lines", 303)


@routes.get("/budget/entries/{entry_id:int}/receipt", permission=ENTRY_RECEIPT)
def entry_receipt(request: Request, viewer):
    """The receipt of an entry, for those who may see it."""
    return serve_receipt(request, request.state.target.receipt)
