"""The plan: changing planned amounts with a decision from a meeting's register (applied by an
organisation coordinator, or the treasurer's proposal that a coordinator approves or rejects
with a reason), and the treasurer adding posts and sub-budgets and choosing who manages them."""

from starlette.requests import Request
from starlette.responses import RedirectResponse

from models.budget import plan
from models.meetings.register import NotBacking
from webapp.access import TREASURER, Routes
from webapp.budget.forms import ManagerForm, PlannedForm, PlanRejectForm, PostForm, SubBudgetForm
from webapp.budget.overview import show_budget, show_post, show_sub_budget
from webapp.budget.permissions import (
    CHANGE_APPROVER,
    POST_PLANNER,
    POST_TREASURER,
    SUB_PLANNER,
    SUB_TREASURER,
)
from webapp.budget.words import (
    ALREADY_PROPOSED,
    NOT_BACKING,
    PLAN_TOO_LATE,
    SAME_AMOUNT,
    rule_error,
)
from webapp.forms import bind
from webapp.i18n import _

routes = Routes()


@routes.post("/budget/sub-budgets/{sub_budget_id:int}/planned", permission=SUB_PLANNER)
def sub_budget_planned(request: Request, viewer):
    """Change a sub-budget's planned amount with a decision of its project's meetings."""
    sub = request.state.target
    form = bind(PlannedForm, request)
    if not _change(form, viewer, sub.post, sub):
        return show_sub_budget(request, viewer, sub, plan_form=form, status=400)
    return RedirectResponse(f"/budget/sub-budgets/{sub.id}#plan-heading", status_code=303)


@routes.post("/budget/posts/{post_id:int}/planned", permission=POST_PLANNER)
def post_planned(request: Request, viewer):
    """Change a post's planned amount with a decision from the register."""
    post = request.state.target
    form = bind(PlannedForm, request)
    if not _change(form, viewer, post, None):
        return show_post(request, viewer, post, plan_form=form, status=400)
    return RedirectResponse(f"/budget/posts/{post.id}#plan-heading", status_code=303)


def _change(form: PlannedForm, viewer, post, sub) -> bool:
    """Apply the change (an organisation coordinator) or propose it (the treasurer); False
    with a sentence next to the field that was refused."""
    if not form.validate():
        return False
    try:
        plan.change_planned(post, sub, form.cents, form.decision_id, viewer)
    except NotBacking as refused:
        form.decision.errors.append(str(NOT_BACKING[refused.reason]))
        return False
    except plan.SameAmount:
        form.planned_amount.errors.append(str(SAME_AMOUNT))
        return False
    except plan.AlreadyProposed:
        form.planned_amount.errors.append(str(ALREADY_PROPOSED))
        return False
    return True


@routes.post("/budget/planned-changes/{change_id:int}/approve", permission=CHANGE_APPROVER)
def planned_change_approve(request: Request, viewer):
    """A coordinator approves the treasurer's proposed planned amount: it applies now."""
    try:
        approved = plan.approve_change(request.state.target, viewer)
    except NotBacking as refused:
        return show_budget(request, viewer, message=str(NOT_BACKING[refused.reason]), status=409)
    except plan.NotYourOwn as refused:
        return show_budget(request, viewer, message=rule_error(refused), status=403)
    if not approved:
        return show_budget(request, viewer, message=str(PLAN_TOO_LATE), status=409)
    return RedirectResponse("/budget#proposals", status_code=303)


@routes.post("/budget/planned-changes/{change_id:int}/reject", permission=CHANGE_APPROVER)
def planned_change_reject(request: Request, viewer):
    """A coordinator rejects the treasurer's proposal with a reason the treasurer reads."""
    change = request.state.target
    form = bind(PlanRejectForm, request)
    if not form.validate():
        return show_budget(request, viewer, reject={"change": change.id, "form": form},
                           status=400)  # fmt: skip
    reason = form.reason.data.strip()
    try:
        rejected = plan.reject_change(change, reason, viewer)
    except plan.NotYourOwn as refused:
        return show_budget(request, viewer, message=rule_error(refused), status=403)
    if not rejected:
        return show_budget(request, viewer, message=str(PLAN_TOO_LATE), status=409)
    return RedirectResponse("/budget#proposals", status_code=303)


@routes.post("/budget/posts", permission=TREASURER)
def post_create(request: Request, viewer):
    """Add a post to a year (planned amount zero: change it with a decision)."""
    form = bind(PostForm, request)
    if form.validate():
        post = plan.create_post(form.year.data, form.name.data.strip(), viewer.account_id)
        if post is not None:
            return RedirectResponse(f"/budget/posts/{post.id}", status_code=303)
        form.name.errors.append(_("This year already has a post with this name."))
    return show_budget(request, viewer, post_form=form, status=400)


@routes.post("/budget/posts/{post_id:int}/sub-budgets", permission=POST_TREASURER)
def sub_budget_create(request: Request, viewer):
    """Split a post: a new sub-budget with an optional project and manager."""
    post = request.state.target
    form = bind(SubBudgetForm, request)
    if form.validate():
        sub = plan.create_sub_budget(post, form.name.data.strip(), form.manager_id,
                                     form.project_id, viewer.account_id)  # fmt: skip
        if sub is not None:
            return RedirectResponse(f"/budget/sub-budgets/{sub.id}", status_code=303)
        form.name.errors.append(_("This post already has a sub-budget with this name."))
    return show_post(request, viewer, post, sub_form=form, status=400)


@routes.post("/budget/sub-budgets/{sub_budget_id:int}/manager", permission=SUB_TREASURER)
def sub_budget_manager(request: Request, viewer):
    """Choose who manages a sub-budget (a right: written in the audit log)."""
    sub = request.state.target
    form = bind(ManagerForm, request)
    form.current_manager = sub.manager_id
    if not form.validate():
        return show_sub_budget(request, viewer, sub, manager_form=form, status=400)
    plan.set_manager(sub, form.manager_id, form.project_id, viewer.account_id)
    return RedirectResponse(f"/budget/sub-budgets/{sub.id}", status_code=303)
