"""The budget pages: the year's summary for everyone who takes part, a post and a
sub-budget with their lines. The page renderers here are also used by the booking and
planning routes to show a form again with its errors."""

from starlette.requests import Request

from models.budget import plan
from models.budget.ledger import lines_of_post, lines_of_sub_budget
from models.budget.plan import manager_pool
from models.budget.summary import (
    my_sub_lines,
    posts_page,
    summary,
    treasurer_names,
    year_total,
)
from models.budget.tables import BudgetYear, PlannedChange
from models.clock import today
from models.meetings.register import PICKER_LIMIT, decisions_for_budget
from models.organisation import Project
from models.person import Person
from webapp.access import Routes
from webapp.budget.forms import (
    EntryForm,
    ManagerForm,
    PlannedForm,
    PlanRejectForm,
    PostForm,
    SubBudgetForm,
    decision_search,
)
from webapp.budget.permissions import BUDGET_VIEWER, POST_VIEWER, SUB_VIEWER
from webapp.budget.words import PLAN_STATUS_LABELS, ledger_words, line_sentence, money_words
from webapp.forms import page_params, posted_id, search_text
from webapp.i18n import _
from webapp.templating import render

routes = Routes()


@routes.get("/budget", permission=BUDGET_VIEWER)
def budget_page(request: Request, viewer):
    """The budget of a year: its total, your sub-budgets and its posts a page at a time, in
    sentences and bars (a post's sub-budgets are on the post's page)."""
    return show_budget(request, viewer)


def show_budget(request: Request, viewer, post_form=None, reject=None, message="", status=200):
    """The budget page of the year in the query string (else the latest); `reject` is a
    refused rejection ({"change": id, "form": form}), `message` a sentence on top."""
    year = BudgetYear.asked_or_latest(posted_id(request.query_params.get("year")))
    focus = posted_id(request.query_params.get("project"))
    may_plan = viewer.is_treasurer or viewer.is_org_coordinator
    if viewer.is_treasurer and post_form is None:
        post_form = PostForm(data={"year": year.year if year else today().year})
    mine, more_mine = ([], False)
    if year is not None:
        projects = {focus} if focus is not None else set(viewer.member_of)
        mine, more_mine = my_sub_lines(year, projects, viewer.person_id)
    return render(
        request,
        "budget/index.html",
        {
            "year": year,
            "years": BudgetYear.numbers(),
            "total": year_total(year) if year else None,
            "posts": posts_page(year, **page_params(request.query_params)) if year else None,
            "mine": mine,
            "more_mine": more_mine,
            "focus_project": Project.get_or_none(Project.id == focus) if focus else None,
            "sentence": line_sentence,
            "money_words": money_words(),
            "proposals": PlannedChange.waiting() if may_plan else [],
            "rejected": PlannedChange.lately_rejected() if may_plan else [],
            "plan_labels": PLAN_STATUS_LABELS,
            "reject": reject or {"form": PlanRejectForm()},
            "message": message,
            "treasurers": treasurer_names(),
            "can_plan": may_plan,
            "post_form": post_form if viewer.is_treasurer else None,
        },
        status_code=status,
    )


def show_sub_budget(
    request, viewer, sub, form=None, reverse=None, plan_form=None, manager_form=None, status=200
):
    """A sub-budget's page; `sub` as SubBudget.with_post loads it."""
    data = summary(sub.post.year, sub.post_id)
    line = data.sub_line(sub.id)
    if viewer.is_treasurer and manager_form is None:
        manager_form = ManagerForm.of(sub, search_text(request.query_params.get("q"), 80))
    return render(
        request,
        "budget/sub.html",
        {
            "sub": sub,
            "line": line,
            "post_line": data.post_line(sub.post_id),
            "manager": line.sub.manager if sub.manager_id else None,  # loaded with the summary
            "sentence": line_sentence,
            "money_words": money_words(),
            "lines": lines_of_sub_budget(sub, viewer, **page_params(request.query_params)),
            "may_book": viewer.is_treasurer or sub.manager_id == viewer.person_id,
            "manager_form": manager_form if viewer.is_treasurer else None,
            **_manager_choices(manager_form if viewer.is_treasurer else None, line.sub.manager),
            "form": form or EntryForm(data={"date": today()}),
            "reverse": reverse or {},
            "ledger_words": ledger_words(),
            **plan_context(request, viewer, sub.post, sub, plan_form),
        },
        status_code=status,
        block="manager_choices",
    )


def show_post(
    request, viewer, post, form=None, reverse=None, plan_form=None, sub_form=None, status=200
):
    """A post's page; `post` as Post.with_year loads it."""
    data = summary(post.year, post.id)
    if viewer.is_treasurer and sub_form is None:
        search = search_text(request.query_params.get("q"), 80)
        sub_form = SubBudgetForm(data={"q": search, "manager": 0})
    return render(
        request,
        "budget/post.html",
        {
            "post": post,
            "post_line": data.post_line(post.id),
            "sentence": line_sentence,
            "money_words": money_words(),
            "lines": lines_of_post(post, viewer, **page_params(request.query_params)),
            "may_book": viewer.is_treasurer,
            "sub_form": sub_form if viewer.is_treasurer else None,
            **_manager_choices(sub_form if viewer.is_treasurer else None, None),
            "form": form or EntryForm(data={"date": today()}),
            "reverse": reverse or {},
            "ledger_words": ledger_words(),
            **plan_context(request, viewer, post, None, plan_form),
        },
        status_code=status,
        block="manager_choices",
    )


def plan_context(request, viewer, post, sub, plan_form) -> dict:
    """The planned amount's latest changes (for everyone) and, for a coordinator or the
    treasurer, the form with the decisions that may back a change (bounded, searchable)."""
    may_plan = viewer.is_treasurer or viewer.is_org_coordinator
    context = {
        "may_plan": may_plan,
        "history": PlannedChange.history(post.id, sub.id if sub else None),
        "plan_labels": PLAN_STATUS_LABELS,
    }
    if may_plan:
        if plan_form is None:
            search = decision_search(request.query_params.get("decision_q"))
            plan_form = PlannedForm(data={"decision_q": search})
        decisions = decisions_for_budget(plan.budget_project(sub), plan_form.search)
        context.update(
            plan_form=plan_form.offer(decisions),
            decision_search=plan_form.search,
            picker_full=len(decisions) >= PICKER_LIMIT,
            register_project=sub.project if sub is not None and sub.project_id else None,
        )
    return context


def _manager_choices(form, manager) -> dict:
    """The manager picker (treasurer only): "nobody", the manager there is now, and the
    members whose name holds the search (htmx: block manager_choices as you type)."""
    if form is None:
        return {"matches": [], "extra": []}
    matches = Person.search(form.q.data, among=manager_pool())
    extra = [(0, _("Nobody: the treasurer manages it"))]
    if manager is not None and manager.id not in {p.id for p in matches}:
        extra.append((manager.id, manager.shown_name))
    return {"matches": matches, "extra": extra}


@routes.get("/budget/sub-budgets/{sub_budget_id:int}", permission=SUB_VIEWER)
def sub_budget_page(request: Request, viewer):
    """A sub-budget: its sentence, its lines, and for its manager the booking form."""
    return show_sub_budget(request, viewer, request.state.target)


@routes.get("/budget/posts/{post_id:int}", permission=POST_VIEWER)
def post_page(request: Request, viewer):
    """A post: its sub-budgets and the entries booked on the post itself."""
    return show_post(request, viewer, request.state.target)
