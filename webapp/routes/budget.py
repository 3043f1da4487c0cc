"""The transparent budget: the year's summary for every member, booking by sub-budget managers
and the treasurer, corrections, receipts, planned amounts, claims, and budget files.

Who sees what (decided here, PRODUCT.md "Budget"): everyone with an active or paused
membership of any project, every coordinator, the treasurer and administrators see the whole
budget and every ledger line. The name of a person who was reimbursed is shown only to the
manager of that sub-budget and the treasurer; everyone else reads "reimbursement".
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from pathlib import Path

from peewee import JOIN
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response
from wtforms import (
    FileField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    validators,
)

from models import audit
from models.accounts import Account, Grant
from models.budget import (
    CLAIM_KINDS,
    BudgetError,
    BudgetYear,
    Claim,
    LedgerEntry,
    LedgerImport,
    PlannedChange,
    Post,
    SubBudget,
    book,
    claim_amount,
    latest_year,
    reverse,
    summary,
)
from models.clock import now, today
from models.db import database
from models.organisation import Organisation, Project
from models.people import Membership
from models.person import Person
from models.receipts import receipt_folder, save_receipt
from models.rules.csvfile import CsvError
from models.rules.money import AmountError, parse_amount
from webapp import budget_files
from webapp.access import TREASURER, Routes, Rule, url_id
from webapp.forms import BoundedDateField, BoundedIntegerField, TafelForm, bind, posted_id
from webapp.i18n import _, lazy_gettext, ngettext
from webapp.templating import render

routes = Routes()

MAX_RECEIPT_BYTES = 5 * 1024 * 1024
MAX_CSV_BYTES = 5 * 1024 * 1024
# The first bytes of the files we accept as a receipt, with the type they are served as.
RECEIPT_TYPES = (
    (b"%PDF-", ".pdf", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", ".png", "image/png"),
    (b"\xff\xd8\xff", ".jpg", "image/jpeg"),
)
MEDIA_TYPES = {ext: media for _magic, ext, media in RECEIPT_TYPES}
WAITING_TOO_LONG = dt.timedelta(days=1)

KIND_LABELS = {
    "income": lazy_gettext("Money in"),
    "spending": lazy_gettext("Money out"),
    "reimbursement": lazy_gettext("reimbursement"),
    "reversal": lazy_gettext("Correction"),
}
CLAIM_KIND_LABELS = {
    "travel_public": lazy_gettext("Travel by public transport"),
    "travel_km": lazy_gettext("Travel by car or bike (per km)"),
    "printing": lazy_gettext("Printing"),
    "phone": lazy_gettext("Phone"),
    "childcare": lazy_gettext("Childcare"),
    "other": lazy_gettext("Other costs"),
}
CLAIM_STATUS_LABELS = {
    "submitted": lazy_gettext("Submitted"),
    "approved": lazy_gettext("Approved"),
    "paid": lazy_gettext("Paid"),
    "rejected": lazy_gettext("Not approved"),
    "withdrawn": lazy_gettext("Withdrawn"),
}


# --- rules ---------------------------------------------------------------------------------


def sees_budget(viewer) -> bool:
    """Every active member of any project, coordinators, the treasurer, administrators."""
    return (
        bool(viewer.member_of)
        or viewer.is_treasurer
        or viewer.is_any_coordinator
        or (viewer.is_admin)
    )


def manages(viewer, sub_budget_id: int | None) -> bool:
    """True when the viewer is the manager of this sub-budget."""
    if sub_budget_id is None or viewer.person_id is None:
        return False
    return (
        SubBudget.select()
        .where((SubBudget.id == sub_budget_id) & (SubBudget.manager == viewer.person_id))
        .exists()
    )


def _query_int(request: Request, name: str) -> int | None:
    """An id or year from the query string; None when absent, not a number or too large."""
    return posted_id(request.query_params.get(name))


def _found(model, param: str):
    """Finder for a rule: the URL's object id when it exists (else the wrapper gives 404)."""

    def find(request: Request) -> int | None:
        object_id = url_id(request, param)
        return object_id if model.select().where(model.id == object_id).exists() else None

    return find


def _claim_facts(claim_id: int) -> tuple[int, int | None]:
    """(claimant, manager of the claim's sub-budget)."""
    return (
        Claim.select(Claim.claimant, SubBudget.manager)
        .join(SubBudget, on=(Claim.sub_budget == SubBudget.id))
        .where(Claim.id == claim_id)
        .tuples()
        .get()
    )


def _party(v, claim_id) -> bool:
    claimant, manager = _claim_facts(claim_id)
    return v.is_treasurer or v.person_id in (claimant, manager)


def _decider(v, claim_id) -> bool:
    claimant, manager = _claim_facts(claim_id)
    return v.person_id != claimant and (v.is_treasurer or v.person_id == manager)


def _payer(v, claim_id) -> bool:
    claimant, _manager = _claim_facts(claim_id)
    return v.is_treasurer and v.person_id != claimant


def _owner(v, claim_id) -> bool:
    claimant, _manager = _claim_facts(claim_id)
    return v.person_id == claimant


def _entry_manager(v, entry_id) -> bool:
    sub_id = LedgerEntry.select(LedgerEntry.sub_budget).where(LedgerEntry.id == entry_id).scalar()
    return v.is_treasurer or manages(v, sub_id)


def _entry_receipt(v, entry_id) -> bool:
    kind, sub_id = (
        LedgerEntry.select(LedgerEntry.kind, LedgerEntry.sub_budget)
        .where(LedgerEntry.id == entry_id)
        .tuples()
        .get()
    )
    if kind == "reimbursement":  # a claim's receipt may show who was reimbursed
        return v.is_treasurer or manages(v, sub_id)
    return sees_budget(v)


def _approver(v, change_id) -> bool:
    proposer = (
        PlannedChange.select(PlannedChange.proposed_by)
        .where(PlannedChange.id == change_id)
        .scalar()
    )
    return v.is_org_coordinator and v.person_id != proposer


BUDGET_VIEWER = Rule("member of any project, coordinator or treasurer", lambda v, p: sees_budget(v))
POST_VIEWER = Rule("sees the budget", lambda v, p: sees_budget(v), project=_found(Post, "post_id"))
SUB_VIEWER = Rule(
    "sees the budget", lambda v, p: sees_budget(v), project=_found(SubBudget, "sub_budget_id")
)
SUB_MANAGER = Rule(
    "manager of this sub-budget, or the treasurer",
    lambda v, sub_id: v.is_treasurer or manages(v, sub_id),
    project=_found(SubBudget, "sub_budget_id"),
)
POST_TREASURER = Rule("treasurer", lambda v, p: v.is_treasurer, project=_found(Post, "post_id"))
ENTRY_MANAGER = Rule(
    "manager of the entry's sub-budget, or the treasurer",
    _entry_manager,
    project=_found(LedgerEntry, "entry_id"),
)
ENTRY_RECEIPT = Rule(
    "may see this entry's receipt", _entry_receipt, project=_found(LedgerEntry, "entry_id")
)
SUB_PLANNER = Rule(
    "treasurer or organisation coordinator",
    lambda v, p: v.is_treasurer or v.is_org_coordinator,
    project=_found(SubBudget, "sub_budget_id"),
)
POST_PLANNER = Rule(
    "treasurer or organisation coordinator",
    lambda v, p: v.is_treasurer or v.is_org_coordinator,
    project=_found(Post, "post_id"),
)
CHANGE_APPROVER = Rule(
    "an organisation coordinator who did not propose the change",
    _approver,
    project=_found(PlannedChange, "change_id"),
)
CLAIM_PARTY = Rule(
    "the claimant, the sub-budget's manager or the treasurer",
    _party,
    project=_found(Claim, "claim_id"),
)
# Four eyes: the claimant never approves, rejects or pays their own claim.
CLAIM_DECIDER = Rule(
    "the sub-budget's manager or the treasurer, never the claimant",
    _decider,
    project=_found(Claim, "claim_id"),
)
CLAIM_PAYER = Rule("the treasurer, never the claimant", _payer, project=_found(Claim, "claim_id"))
CLAIM_OWNER = Rule("the claimant", _owner, project=_found(Claim, "claim_id"))


# --- words -------------------------------------------------------------------------------


def line_sentence(name: str, totals) -> str:
    """One plain sentence about a budget line."""
    from webapp.templating import show_money

    if totals.planned == 0 and totals.spent == 0 and totals.received == 0:
        return _("Nothing is planned or booked for %(name)s yet.", name=name)
    if totals.remaining >= 0 and totals.received:
        return _(
            "There is %(left)s left of %(planned)s planned and %(received)s received for %(name)s.",
            left=show_money(totals.remaining),
            planned=show_money(totals.planned),
            received=show_money(totals.received),
            name=name,
        )
    if totals.remaining >= 0:
        return _(
            "There is %(left)s left of %(planned)s for %(name)s.",
            left=show_money(totals.remaining),
            planned=show_money(totals.planned),
            name=name,
        )
    return _(
        "%(over)s more has been spent than the %(planned)s planned for %(name)s.",
        over=show_money(-totals.remaining),
        planned=show_money(totals.planned),
        name=name,
    )


def duration(delta: dt.timedelta) -> str:
    """A plain length of time: "3 hours", "2 days"."""
    minutes = max(0, int(delta.total_seconds() // 60))
    if minutes < 60:
        return ngettext("%(num)s minute", "%(num)s minutes", minutes)
    hours = minutes // 60
    if hours < 48:
        return ngettext("%(num)s hour", "%(num)s hours", hours)
    return ngettext("%(num)s day", "%(num)s days", hours // 24)


def money_error(error: AmountError) -> str:
    return _(error.template).format(**error.params)


# --- receipts ------------------------------------------------------------------------------


def receipt_dir(request: Request) -> Path:
    """Receipts live in the data folder, outside the web root; served only by a route."""
    return receipt_folder(request.app.state.settings.data_dir)


def read_receipt(field) -> tuple[bytes, str] | None:
    """The uploaded receipt and its extension, None when none was chosen; errors on the field."""
    upload = field.data
    if not isinstance(upload, UploadFile) or not upload.filename:
        return None
    data = upload.file.read(MAX_RECEIPT_BYTES + 1)
    if not data:
        return None
    if len(data) > MAX_RECEIPT_BYTES:
        field.errors.append(_("The file is larger than 5 MB. Take a smaller photo or scan."))
        return None
    for magic, ext, _media in RECEIPT_TYPES:
        if data.startswith(magic):
            return data, ext
    field.errors.append(_("Choose a photo (JPEG or PNG) or a PDF file."))
    return None


def store_receipt(request: Request, receipt: tuple[bytes, str] | None) -> str | None:
    if receipt is None:
        return None
    data, ext = receipt
    return save_receipt(request.app.state.settings.data_dir, data, ext)


def serve_receipt(request: Request, name: str | None) -> Response:
    if not name:
        raise HTTPException(404)
    path = receipt_dir(request) / Path(name).name
    ext = path.suffix
    if ext not in MEDIA_TYPES or not path.is_file():
        raise HTTPException(404)
    disposition = "attachment" if ext == ".pdf" else "inline"
    return FileResponse(
        path,
        media_type=MEDIA_TYPES[ext],
        headers={
            "Content-Disposition": f'{disposition}; filename="receipt{ext}"',
            "Cache-Control": "private, no-store",
        },
    )


# --- the budget page ---------------------------------------------------------------------


def _year_from(request: Request) -> BudgetYear | None:
    wanted = _query_int(request, "year")
    if wanted is not None:
        year = BudgetYear.get_or_none(BudgetYear.year == wanted)
        if year is not None:
            return year
    return latest_year()


@routes.get("/budget", rule=BUDGET_VIEWER)
def budget_page(request: Request, viewer):
    """The whole budget of a year: per post and sub-budget, in sentences and bars."""
    return _budget_page(request, viewer)


def _budget_page(request: Request, viewer, post_form=None, status=200):
    year = _year_from(request)
    data = summary(year)
    years = [y for (y,) in BudgetYear.select(BudgetYear.year).order_by(BudgetYear.year).tuples()]
    focus = _query_int(request, "project")
    focus_ids = {focus} if focus is not None else set(viewer.member_of)
    focus_project = Project.get_or_none(Project.id == focus) if focus is not None else None
    mine = [
        sub
        for line in data.posts
        for sub in line.subs
        if sub.sub.project_id in focus_ids or sub.sub.manager_id == viewer.person_id
    ]
    proposals = []
    if viewer.is_org_coordinator or viewer.is_treasurer:
        proposals = _proposals()
    return render(
        request,
        "budget/index.html",
        {
            "year": year,
            "years": years,
            "data": data,
            "mine": mine,
            "focus_project": focus_project,
            "sentence": line_sentence,
            "proposals": proposals,
            "treasurers": treasurers(),
            "can_plan": viewer.is_treasurer or viewer.is_org_coordinator,
            "post_form": (post_form or PostForm(data={"year": year.year if year else today().year}))
            if viewer.is_treasurer
            else None,
        },
        status_code=status,
    )


def _proposals():
    Proposer = Person.alias()
    return list(
        PlannedChange.select(PlannedChange, Post.name, SubBudget.name, Proposer.display_name)
        .join(Post, on=(PlannedChange.post == Post.id))
        .switch(PlannedChange)
        .join(SubBudget, JOIN.LEFT_OUTER, on=(PlannedChange.sub_budget == SubBudget.id))
        .switch(PlannedChange)
        .join(Proposer, JOIN.LEFT_OUTER, on=(PlannedChange.proposed_by == Proposer.id))
        .where(PlannedChange.status == "proposed")
        .order_by(PlannedChange.created_at)
    )


# --- ledger lines -------------------------------------------------------------------------


def ledger_lines(where, viewer, limit: int = 300):
    """Entries with who booked them, who was reimbursed (only for those who may know), and
    whether each was corrected: one query."""
    e = LedgerEntry
    Booker = Person.alias()
    Claimant = Person.alias()
    Correction = LedgerEntry.alias()
    query = (
        e.select(
            e,
            Booker.display_name.alias("booker"),
            Claimant.display_name.alias("claimant_name"),
            SubBudget.manager.alias("manager_id"),
            SubBudget.name.alias("sub_name"),
            Correction.id.alias("corrected_by"),
        )
        .join(Booker, JOIN.LEFT_OUTER, on=(e.booked_by == Booker.id))
        .switch(e)
        .join(Claim, JOIN.LEFT_OUTER, on=(e.claim == Claim.id))
        .join(Claimant, JOIN.LEFT_OUTER, on=(Claim.claimant == Claimant.id))
        .switch(e)
        .join(SubBudget, JOIN.LEFT_OUTER, on=(e.sub_budget == SubBudget.id))
        .switch(e)
        .join(Correction, JOIN.LEFT_OUTER, on=(Correction.reverses == e.id))
        .where(where)
        .order_by(e.date.desc(), e.id.desc())
        .limit(limit)
        .objects()
    )
    lines = []
    for entry in query:
        may_know = viewer.is_treasurer or (
            entry.manager_id is not None and entry.manager_id == viewer.person_id
        )
        if entry.kind == "reimbursement" and not may_know:
            entry.shown_description = _("reimbursement")
            entry.claimant_name = None
        else:
            entry.shown_description = entry.description
        if not may_know:
            entry.claimant_name = None
        entry.may_manage = may_know
        lines.append(entry)
    return lines


# --- booking forms -----------------------------------------------------------------------


class AmountField(StringField):
    """An amount typed the Dutch or English way, read by parse_amount into cents."""

    cents: int | None = None

    def pre_validate(self, form):
        self.cents = None
        try:
            cents = parse_amount(self.data or "")
        except AmountError as err:
            raise validators.StopValidation(money_error(err)) from None
        if cents <= 0:
            raise validators.StopValidation(_("Write the amount without a minus sign, above zero."))
        self.cents = cents


class EntryForm(TafelForm):
    date = BoundedDateField(
        lazy_gettext("Date"),
        [validators.InputRequired(message=lazy_gettext("Choose a date."))],
    )
    description = StringField(
        lazy_gettext("What was it for?"),
        [
            validators.InputRequired(message=lazy_gettext("Write what it was for.")),
            validators.Length(max=300, message=lazy_gettext("Use at most 300 characters.")),
        ],
    )
    direction = RadioField(
        lazy_gettext("Money in or out?"),
        choices=[("spending", lazy_gettext("Money out")), ("income", lazy_gettext("Money in"))],
        default="spending",
    )
    amount = AmountField(lazy_gettext("Amount in euro"))
    receipt = FileField(lazy_gettext("Receipt (photo or PDF, at most 5 MB, optional)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.direction.choices = [("spending", _("Money out")), ("income", _("Money in"))]


class ReverseForm(TafelForm):
    reason = StringField(
        lazy_gettext("Why is this corrected?"),
        [
            validators.InputRequired(message=lazy_gettext("Write why this is corrected.")),
            validators.Length(max=300, message=lazy_gettext("Use at most 300 characters.")),
        ],
    )


class PlannedForm(TafelForm):
    amount = StringField(lazy_gettext("New planned amount in euro"))
    decision = StringField(
        lazy_gettext("Meeting decision (date and subject)"),
        [validators.Length(max=300, message=lazy_gettext("Use at most 300 characters."))],
    )
    cents: int | None = None

    def validate_amount(self, field):
        try:
            cents = parse_amount(field.data or "")
        except AmountError as err:
            raise validators.ValidationError(money_error(err)) from None
        if cents < 0:
            raise validators.ValidationError(_("A planned amount cannot be below zero."))
        self.cents = cents


def _sub_or_404(sub_id: int) -> SubBudget:
    sub = (
        SubBudget.select(SubBudget, Post, BudgetYear, Project.id, Project.name)
        .join(Post)
        .join(BudgetYear)
        .switch(SubBudget)
        .join(Project, JOIN.LEFT_OUTER, on=(SubBudget.project == Project.id))
        .where(SubBudget.id == sub_id)
        .first()
    )
    if sub is None:
        raise HTTPException(404)
    return sub


def _post_or_404(post_id: int) -> Post:
    post = Post.select(Post, BudgetYear).join(BudgetYear).where(Post.id == post_id).first()
    if post is None:
        raise HTTPException(404)
    return post


def _sub_page(
    request, viewer, sub, form=None, reverse=None, plan_form=None, manager_form=None, status=200
):
    data = summary(sub.post.year)
    line = next(s for p in data.posts for s in p.subs if s.sub.id == sub.id)
    post_line = next(p for p in data.posts if p.post.id == sub.post_id)
    may_book = viewer.is_treasurer or sub.manager_id == viewer.person_id
    manager = Person.get_or_none(Person.id == sub.manager_id) if sub.manager_id else None
    return render(
        request,
        "budget/sub.html",
        {
            "sub": sub,
            "line": line,
            "post_line": post_line,
            "manager": manager,
            "sentence": line_sentence,
            "lines": ledger_lines(LedgerEntry.sub_budget == sub.id, viewer),
            "may_book": may_book,
            "manager_form": (manager_form or _manager_form(sub)) if viewer.is_treasurer else None,
            "may_plan": viewer.is_treasurer or viewer.is_org_coordinator,
            "form": form or EntryForm(data={"date": today()}),
            "reverse": reverse or {},
            "plan_form": plan_form or PlannedForm(),
            "kind_labels": KIND_LABELS,
        },
        status_code=status,
    )


def _post_page(
    request, viewer, post, form=None, reverse=None, plan_form=None, sub_form=None, status=200
):
    data = summary(post.year)
    post_line = next(p for p in data.posts if p.post.id == post.id)
    return render(
        request,
        "budget/post.html",
        {
            "post": post,
            "post_line": post_line,
            "sentence": line_sentence,
            "lines": ledger_lines(
                (LedgerEntry.post == post.id) & LedgerEntry.sub_budget.is_null(), viewer
            ),
            "may_book": viewer.is_treasurer,
            "sub_form": (sub_form or SubBudgetForm()) if viewer.is_treasurer else None,
            "may_plan": viewer.is_treasurer or viewer.is_org_coordinator,
            "form": form or EntryForm(data={"date": today()}),
            "reverse": reverse or {},
            "plan_form": plan_form or PlannedForm(),
            "kind_labels": KIND_LABELS,
        },
        status_code=status,
    )


@routes.get("/budget/sub-budgets/{sub_budget_id:int}", rule=SUB_VIEWER)
def sub_budget_page(request: Request, viewer):
    """A sub-budget: its sentence, its lines, and for its manager the booking form."""
    sub = _sub_or_404(request.path_params["sub_budget_id"])
    return _sub_page(request, viewer, sub)


@routes.get("/budget/posts/{post_id:int}", rule=POST_VIEWER)
def post_page(request: Request, viewer):
    """A post: its sub-budgets and the entries booked on the post itself."""
    post = _post_or_404(request.path_params["post_id"])
    return _post_page(request, viewer, post)


def _book_from(form, request, viewer, post, sub):
    """Validate and book; returns the entry, or None with errors on the form."""
    valid = form.validate()
    receipt = read_receipt(form.receipt)
    if not valid or form.receipt.errors:
        return None
    if form.date.data.year != post.year.year:
        form.date.errors.append(_("Choose a date in %(year)s.", year=post.year.year))
        return None
    cents = form.amount.cents if form.direction.data == "income" else -form.amount.cents
    with database.atomic():
        entry = book(
            date=form.date.data,
            post=post,
            sub_budget=sub,
            description=form.description.data.strip(),
            amount_cents=cents,
            kind=form.direction.data,
            booked_by=viewer.person_id,
            receipt=store_receipt(request, receipt),
        )
        audit.record(
            viewer.account_id, "budget.entry.book", entry, project=sub.project_id if sub else None,
            after=budget_files._values(entry),
        )  # fmt: skip
    return entry


@routes.post("/budget/sub-budgets/{sub_budget_id:int}/entries", rule=SUB_MANAGER)
def sub_budget_book(request: Request, viewer):
    """Book money in or out on a sub-budget (its manager, or the treasurer)."""
    sub = _sub_or_404(request.path_params["sub_budget_id"])
    form = bind(EntryForm, request)
    if _book_from(form, request, viewer, sub.post, sub) is None:
        return _sub_page(request, viewer, sub, form=form, status=400)
    return RedirectResponse(f"/budget/sub-budgets/{sub.id}#lines", status_code=303)


@routes.post("/budget/posts/{post_id:int}/entries", rule=POST_TREASURER)
def post_book(request: Request, viewer):
    """Book money in or out on a post itself (the treasurer)."""
    post = _post_or_404(request.path_params["post_id"])
    form = bind(EntryForm, request)
    if _book_from(form, request, viewer, post, None) is None:
        return _post_page(request, viewer, post, form=form, status=400)
    return RedirectResponse(f"/budget/posts/{post.id}#lines", status_code=303)


@routes.post("/budget/entries/{entry_id:int}/reverse", rule=ENTRY_MANAGER)
def entry_reverse(request: Request, viewer):
    """Correct an entry with a reversal entry; the original stays visible."""
    entry = LedgerEntry.get_by_id(request.path_params["entry_id"])
    form = bind(ReverseForm, request)
    error = None
    if form.validate():
        try:
            with database.atomic():
                reversal = reverse(
                    entry,
                    date=today() if today().year == _year_of(entry) else entry.date,
                    description=_("Correction: %(reason)s", reason=form.reason.data.strip()),
                    booked_by=viewer.person_id,
                )
                audit.record(
                    viewer.account_id, "budget.entry.reverse", reversal,
                    before=budget_files._values(entry), after=budget_files._values(reversal),
                )  # fmt: skip
        except BudgetError as err:
            error = _(err.template).format(**err.params)
    else:
        error = form.reason.errors[0]
    if error:
        problem = {"entry": entry.id, "error": error, "reason": form.reason.data or ""}
        if entry.sub_budget_id:
            sub = _sub_or_404(entry.sub_budget_id)
            return _sub_page(request, viewer, sub, reverse=problem, status=400)
        return _post_page(request, viewer, _post_or_404(entry.post_id), reverse=problem, status=400)
    if entry.sub_budget_id:
        return RedirectResponse(f"/budget/sub-budgets/{entry.sub_budget_id}#lines", 303)
    return RedirectResponse(f"/budget/posts/{entry.post_id}#lines", 303)


def _year_of(entry: LedgerEntry) -> int:
    return BudgetYear.select(BudgetYear.year).join(Post).where(Post.id == entry.post_id).scalar()


@routes.get("/budget/entries/{entry_id:int}/receipt", rule=ENTRY_RECEIPT)
def entry_receipt(request: Request, viewer):
    """The receipt of an entry, for those who may see it."""
    entry = LedgerEntry.get_by_id(request.path_params["entry_id"])
    return serve_receipt(request, entry.receipt)


# --- planned amounts -----------------------------------------------------------------------


def _change_planned(request, viewer, post, sub):
    """With a meeting decision: applied now. Without: the treasurer proposes, a coordinator
    approves (PRODUCT.md "Budget": co-decide)."""
    form = bind(PlannedForm, request)
    valid = form.validate()
    decision = (form.decision.data or "").strip()
    if valid and not decision and not viewer.is_treasurer:
        form.decision.errors.append(
            _("Write which meeting decided this. Without a decision only the treasurer can "
              "propose a change, and a coordinator approves it.")
        )  # fmt: skip
        valid = False
    if not valid:
        if sub is not None:
            return _sub_page(request, viewer, sub, plan_form=form, status=400)
        return _post_page(request, viewer, post, plan_form=form, status=400)
    target = sub or post
    with database.atomic():
        change = PlannedChange.create(
            post=post,
            sub_budget=sub,
            old_cents=target.planned_cents,
            new_cents=form.cents,
            decision=decision,
            proposed_by=viewer.person_id,
            status="applied" if decision else "proposed",
            applied_at=now() if decision else None,
        )
        if decision:
            type(target).update(planned_cents=form.cents).where(
                type(target).id == target.id
            ).execute()
        audit.record(
            viewer.account_id,
            "budget.planned.change" if decision else "budget.planned.propose",
            change,
            before={"planned_cents": change.old_cents},
            after={"planned_cents": form.cents, "decision": decision},
        )
    if sub is not None:
        return RedirectResponse(f"/budget/sub-budgets/{sub.id}", status_code=303)
    return RedirectResponse(f"/budget/posts/{post.id}", status_code=303)


@routes.post("/budget/sub-budgets/{sub_budget_id:int}/planned", rule=SUB_PLANNER)
def sub_budget_planned(request: Request, viewer):
    """Change a sub-budget's planned amount (with a decision, or as a proposal)."""
    sub = _sub_or_404(request.path_params["sub_budget_id"])
    return _change_planned(request, viewer, sub.post, sub)


@routes.post("/budget/posts/{post_id:int}/planned", rule=POST_PLANNER)
def post_planned(request: Request, viewer):
    """Change a post's planned amount (with a decision, or as a proposal)."""
    post = _post_or_404(request.path_params["post_id"])
    return _change_planned(request, viewer, post, None)


@routes.post("/budget/planned-changes/{change_id:int}/approve", rule=CHANGE_APPROVER)
def planned_change_approve(request: Request, viewer):
    """A coordinator approves the treasurer's proposed planned amount: it applies now."""
    with database.atomic():
        change = PlannedChange.get_by_id(request.path_params["change_id"])
        if change.status == "proposed":
            model, target_id = (
                (SubBudget, change.sub_budget_id)
                if change.sub_budget_id
                else (Post, change.post_id)
            )
            old = model.select(model.planned_cents).where(model.id == target_id).scalar()
            model.update(planned_cents=change.new_cents).where(model.id == target_id).execute()
            PlannedChange.update(
                status="applied", approved_by=viewer.person_id, applied_at=now(), old_cents=old
            ).where(PlannedChange.id == change.id).execute()
            audit.record(
                viewer.account_id, "budget.planned.approve", change,
                before={"planned_cents": old}, after={"planned_cents": change.new_cents},
            )  # fmt: skip
    return RedirectResponse("/budget#proposals", status_code=303)


# --- posts, sub-budgets and managers (the treasurer) --------------------------------------


def _people_choices():
    """People with an active or paused membership, by name (one query)."""
    rows = (
        Person.select(Person.id, Person.display_name)
        .join(Membership, on=(Membership.person == Person.id))
        .where((Membership.status != "ended") & Person.display_name.is_null(False))
        .distinct()
        .order_by(Person.display_name)
        .tuples()
    )
    return [("", _("Nobody: the treasurer manages it"))] + [(str(i), n) for i, n in rows]


def _project_choices():
    rows = Project.select(Project.id, Project.name).order_by(Project.name).tuples()
    return [("", _("No project"))] + [(str(i), n) for i, n in rows]


class ManagerForm(TafelForm):
    manager = SelectField(lazy_gettext("Manager of the sub-budget"), choices=[])
    project = SelectField(lazy_gettext("Project"), choices=[])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.manager.choices = _people_choices()
        self.project.choices = _project_choices()


class SubBudgetForm(ManagerForm):
    name = StringField(
        lazy_gettext("Name of the sub-budget"),
        [
            validators.InputRequired(message=lazy_gettext("Give the sub-budget a name.")),
            validators.Length(max=120, message=lazy_gettext("Use at most 120 characters.")),
        ],
    )


class PostForm(TafelForm):
    name = StringField(
        lazy_gettext("Name of the post"),
        [
            validators.InputRequired(message=lazy_gettext("Give the post a name.")),
            validators.Length(max=120, message=lazy_gettext("Use at most 120 characters.")),
        ],
    )
    year = BoundedIntegerField(
        lazy_gettext("Year"),
        [validators.NumberRange(2000, 2200, message=lazy_gettext("Choose a year."))],
    )


def _manager_form(sub):
    return ManagerForm(
        data={"manager": str(sub.manager_id or ""), "project": str(sub.project_id or "")}
    )


@routes.post("/budget/posts", rule=TREASURER)
def post_create(request: Request, viewer):
    """Add a post to a year (planned amount zero: change it with a decision)."""
    form = bind(PostForm, request)
    name = (form.name.data or "").strip()
    if form.validate():
        with database.atomic():
            year = BudgetYear.get_or_none(BudgetYear.year == form.year.data)
            if year is None:
                year = BudgetYear.create(year=form.year.data)
            if Post.select().where((Post.year == year) & (Post.name == name)).exists():
                form.name.errors.append(_("This year already has a post with this name."))
            else:
                created = Post.create(year=year, name=name, planned_cents=0)
                audit.record(
                    viewer.account_id, "budget.post.create", created,
                    after={"name": name, "year": year.year},
                )  # fmt: skip
                return RedirectResponse(f"/budget/posts/{created.id}", status_code=303)
    return _budget_page(request, viewer, post_form=form, status=400)


@routes.post("/budget/posts/{post_id:int}/sub-budgets", rule=POST_TREASURER)
def sub_budget_create(request: Request, viewer):
    """Split a post: a new sub-budget with an optional project and manager."""
    post = _post_or_404(request.path_params["post_id"])
    form = bind(SubBudgetForm, request)
    name = (form.name.data or "").strip()
    if form.validate():
        taken = SubBudget.select().where((SubBudget.post == post) & (SubBudget.name == name))
        if taken.exists():
            form.name.errors.append(_("This post already has a sub-budget with this name."))
        else:
            with database.atomic():
                sub = SubBudget.create(
                    post=post,
                    name=name,
                    planned_cents=0,
                    manager=posted_id(form.manager.data),
                    project=posted_id(form.project.data),
                )
                audit.record(
                    viewer.account_id, "budget.sub_budget.create", sub,
                    project=sub.project_id, person=sub.manager_id,
                    after={"name": name, "manager": sub.manager_id, "project": sub.project_id},
                )  # fmt: skip
            return RedirectResponse(f"/budget/sub-budgets/{sub.id}", status_code=303)
    return _post_page(request, viewer, post, sub_form=form, status=400)


SUB_TREASURER = Rule(
    "treasurer", lambda v, p: v.is_treasurer, project=_found(SubBudget, "sub_budget_id")
)


@routes.post("/budget/sub-budgets/{sub_budget_id:int}/manager", rule=SUB_TREASURER)
def sub_budget_manager(request: Request, viewer):
    """Choose who manages a sub-budget (a right: written in the audit log)."""
    sub = _sub_or_404(request.path_params["sub_budget_id"])
    form = bind(ManagerForm, request)
    if not form.validate():
        return _sub_page(request, viewer, sub, manager_form=form, status=400)
    before = {"manager": sub.manager_id, "project": sub.project_id}
    after = {"manager": posted_id(form.manager.data), "project": posted_id(form.project.data)}
    if before != after:
        with database.atomic():
            SubBudget.update(**after).where(SubBudget.id == sub.id).execute()
            audit.record(
                viewer.account_id, "budget.sub_budget.manager", sub,
                project=after["project"], person=after["manager"], before=before, after=after,
            )  # fmt: skip
    return RedirectResponse(f"/budget/sub-budgets/{sub.id}", status_code=303)


# --- claims --------------------------------------------------------------------------------


def _claim_sub_choices():
    # This calendar year's sub-budgets (claims are for costs made now), else the latest plan.
    year = BudgetYear.get_or_none(BudgetYear.year == today().year) or latest_year()
    if year is None:
        return []
    rows = (
        SubBudget.select(SubBudget.id, SubBudget.name, Post.name)
        .join(Post)
        .where(Post.year == year.id)
        .order_by(Post.name, SubBudget.name)
        .tuples()
    )
    return [("", _("Choose a budget"))] + [
        (str(sub_id), f"{post} – {name}") for sub_id, name, post in rows
    ]


class ClaimForm(TafelForm):
    kind = RadioField(
        lazy_gettext("What kind of costs?"),
        choices=[(k, CLAIM_KIND_LABELS[k]) for k in CLAIM_KINDS],
        default="travel_km",
    )
    sub_budget = SelectField(lazy_gettext("Which budget pays?"), choices=[])
    spent_on = BoundedDateField(
        lazy_gettext("Date"), [validators.InputRequired(message=lazy_gettext("Choose a date."))]
    )
    km = BoundedIntegerField(
        lazy_gettext("Kilometres (only for travel by car or bike)"),
        [validators.Optional()],
    )
    amount = StringField(lazy_gettext("Amount in euro (for other costs)"))
    description = StringField(
        lazy_gettext("What was it for?"),
        [
            validators.InputRequired(message=lazy_gettext("Write what it was for.")),
            validators.Length(max=300, message=lazy_gettext("Use at most 300 characters.")),
        ],
    )
    receipt = FileField(lazy_gettext("Receipt or photo (optional, at most 5 MB)"))
    cents: int | None = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = [(k, str(CLAIM_KIND_LABELS[k])) for k in CLAIM_KINDS]
        self.sub_budget.choices = _claim_sub_choices()

    def validate_sub_budget(self, field):
        if not field.data:
            raise validators.ValidationError(_("Choose which budget pays."))

    def validate_spent_on(self, field):
        if field.data and field.data > today():
            raise validators.ValidationError(_("Choose today or a day before."))

    def compute(self, rate_cents: int) -> bool:
        """Work out the amount in cents; False with an error on the right field."""
        if self.kind.data == "travel_km":
            try:
                self.cents = claim_amount("travel_km", self.km.data, None, rate_cents)
            except BudgetError as err:
                self.km.errors = [_(err.template).format(**err.params)]
                return False
            return True
        try:
            cents = parse_amount(self.amount.data or "")
        except AmountError as err:
            self.amount.errors = [money_error(err)]
            return False
        if cents <= 0:
            self.amount.errors = [_("Write the amount without a minus sign, above zero.")]
            return False
        self.cents = cents
        return True


def _claims_page(request, viewer, form=None, status=200):
    org = Organisation.current()
    Claimant = Person.alias()
    base = (
        Claim.select(Claim, SubBudget.name, SubBudget.manager, Claimant.display_name)
        .join(SubBudget, on=(Claim.sub_budget == SubBudget.id))
        .switch(Claim)
        .join(Claimant, on=(Claim.claimant == Claimant.id))
    )
    mine = list(base.where(Claim.claimant == viewer.person_id).order_by(Claim.created_at.desc()))
    moment = now()
    to_decide, to_pay, times = [], [], []
    if viewer.is_treasurer or _is_manager(viewer):
        waiting = base.where((Claim.status == "submitted") & (Claim.claimant != viewer.person_id))
        if not viewer.is_treasurer:
            waiting = waiting.where(SubBudget.manager == viewer.person_id)
        to_decide = sorted(
            waiting.order_by(Claim.created_at),
            key=lambda c: (moment - c.created_at <= WAITING_TOO_LONG, c.created_at),
        )
    if viewer.is_treasurer:
        to_pay = list(base.where(Claim.status == "approved").order_by(Claim.decided_at))
        times = payment_times()
    return render(
        request,
        "budget/claims.html",
        {
            "form": form or ClaimForm(data={"spent_on": today()}),
            "rate": org.km_rate_cents,
            "mine": mine,
            "to_decide": to_decide,
            "to_pay": to_pay,
            "times": times,
            "now": moment,
            "duration": duration,
            "too_long": WAITING_TOO_LONG,
            "status_labels": CLAIM_STATUS_LABELS,
            "kind_labels": CLAIM_KIND_LABELS,
        },
        status_code=status,
    )


def _is_manager(viewer) -> bool:
    return (
        viewer.person_id is not None
        and SubBudget.select().where(SubBudget.manager == viewer.person_id).exists()
    )


def payment_times(months: int = 12) -> list[dict]:
    """Per month of payment: claims paid, the average and longest time from claim to payment,
    and how many were paid on the day they came in. One query."""
    since = now() - dt.timedelta(days=31 * months)
    rows = (
        Claim.select(Claim.created_at, Claim.paid_at)
        .where((Claim.status == "paid") & (Claim.paid_at >= since))
        .tuples()
    )
    months_seen = defaultdict(list)
    for created, paid in rows:
        months_seen[(paid.year, paid.month)].append(paid - created)
    result = []
    for (year, month), waits in sorted(months_seen.items(), reverse=True):
        total = sum(waits, dt.timedelta())
        result.append(
            {
                "month": dt.date(year, month, 1),
                "count": len(waits),
                "average": duration(total / len(waits)),
                "longest": duration(max(waits)),
                "same_day": sum(1 for w in waits if w < dt.timedelta(days=1)),
            }
        )
    return result


@routes.get("/budget/claims", rule=BUDGET_VIEWER)
def claims_page(request: Request, viewer):
    """Claim costs back; see where your claims are; decide and pay (managers, treasurer)."""
    return _claims_page(request, viewer)


@routes.post("/budget/claims", rule=BUDGET_VIEWER)
def claim_submit(request: Request, viewer):
    """Submit a claim."""
    form = bind(ClaimForm, request)
    org = Organisation.current()
    valid = form.validate()
    valid = form.compute(org.km_rate_cents) and valid
    receipt = read_receipt(form.receipt)
    if not valid or form.receipt.errors or viewer.person_id is None:
        return _claims_page(request, viewer, form=form, status=400)
    with database.atomic():
        claim = Claim.create(
            claimant=viewer.person_id,
            sub_budget=int(form.sub_budget.data),
            kind=form.kind.data,
            km=form.km.data if form.kind.data == "travel_km" else None,
            amount_cents=form.cents,
            spent_on=form.spent_on.data,
            description=form.description.data.strip(),
            receipt=store_receipt(request, receipt),
        )
        audit.record(
            viewer.account_id, "budget.claim.submit", claim, person=viewer.person_id,
            after={"amount_cents": claim.amount_cents, "kind": claim.kind,
                   "sub_budget": claim.sub_budget_id},
        )  # fmt: skip
    return RedirectResponse(f"/budget/claims/{claim.id}", status_code=303)


class RejectForm(TafelForm):
    reason = TextAreaField(
        lazy_gettext("Why not? Explain it in plain words."),
        [
            validators.InputRequired(message=lazy_gettext("Write why the claim is not approved.")),
            validators.Length(max=1000, message=lazy_gettext("Use at most 1000 characters.")),
        ],
    )


def _claim_with_names(claim_id: int) -> Claim:
    Claimant = Person.alias()
    Decider = Person.alias()
    return (
        Claim.select(
            Claim,
            SubBudget.name.alias("sub_name"),
            SubBudget.manager.alias("manager_ref"),
            Claimant.display_name.alias("claimant_name"),
            Decider.display_name.alias("decider_name"),
        )  # fmt: skip
        .join(SubBudget, on=(Claim.sub_budget == SubBudget.id))
        .switch(Claim)
        .join(Claimant, on=(Claim.claimant == Claimant.id))
        .switch(Claim)
        .join(Decider, JOIN.LEFT_OUTER, on=(Claim.decided_by == Decider.id))
        .where(Claim.id == claim_id)
        .objects()
        .get()
    )


def _claim_page(request, viewer, claim_id, reject_form=None, status=200, message=None):
    claim = _claim_with_names(claim_id)
    is_claimant = claim.claimant_id == viewer.person_id
    decider = not is_claimant and (viewer.is_treasurer or claim.manager_ref == viewer.person_id)
    entry_id = LedgerEntry.select(LedgerEntry.id).where(LedgerEntry.claim == claim.id).scalar()
    end = claim.paid_at or claim.decided_at or claim.withdrawn_at
    return render(
        request,
        "budget/claim.html",
        {
            "claim": claim,
            "is_claimant": is_claimant,
            "may_decide": decider and claim.status == "submitted",
            "may_pay": viewer.is_treasurer and not is_claimant and claim.status == "approved",
            "may_withdraw": is_claimant and claim.status == "submitted",
            "reject_form": reject_form or RejectForm(),
            "entry_id": entry_id,
            "took": duration((claim.paid_at or now()) - claim.created_at),
            "ended": end,
            "status_labels": CLAIM_STATUS_LABELS,
            "kind_labels": CLAIM_KIND_LABELS,
            "message": message,
        },
        status_code=status,
    )


@routes.get("/budget/claims/{claim_id:int}", rule=CLAIM_PARTY)
def claim_page(request: Request, viewer):
    """One claim: where it is and how long it has taken."""
    return _claim_page(request, viewer, request.path_params["claim_id"])


@routes.get("/budget/claims/{claim_id:int}/receipt", rule=CLAIM_PARTY)
def claim_receipt(request: Request, viewer):
    """The claim's receipt, for the claimant, the sub-budget's manager and the treasurer."""
    claim = Claim.get_by_id(request.path_params["claim_id"])
    return serve_receipt(request, claim.receipt)


def _move(claim_id: int, source: str, **values) -> bool:
    """Move a claim from one state to the next, only when it is still in `source`."""
    return bool(
        Claim.update(**values).where((Claim.id == claim_id) & (Claim.status == source)).execute()
    )


def _back(claim_id: int) -> RedirectResponse:
    return RedirectResponse(f"/budget/claims/{claim_id}", status_code=303)


# When two people act on one claim at once (approve and reject, say), the first one wins:
# `_move` changes the claim only while it is still where the action expects it. The other
# one is told in plain words, on the claim's page as it now is.
TOO_LATE = {
    "decide": lazy_gettext(
        "Someone else already decided this claim, or it was withdrawn. Nothing was changed."
    ),
    "pay": lazy_gettext("This claim is not waiting to be paid. Nothing was changed."),
    "withdraw": lazy_gettext(
        "This claim was already decided, so it can no longer be withdrawn. Nothing was changed."
    ),
}


def _too_late(request, viewer, claim_id: int, action: str) -> Response:
    return _claim_page(request, viewer, claim_id, status=409, message=TOO_LATE[action])


@routes.post("/budget/claims/{claim_id:int}/approve", rule=CLAIM_DECIDER)
def claim_approve(request: Request, viewer):
    """Approve a claim (the sub-budget's manager or the treasurer, never the claimant)."""
    claim_id = request.path_params["claim_id"]
    with database.atomic():
        if not _move(claim_id, "submitted", status="approved", decided_by=viewer.person_id,
                     decided_at=now()):  # fmt: skip
            return _too_late(request, viewer, claim_id, "decide")
        audit.record(
            viewer.account_id, "budget.claim.approve", Claim(id=claim_id),
            before={"status": "submitted"}, after={"status": "approved"},
        )  # fmt: skip
    return _back(claim_id)


@routes.post("/budget/claims/{claim_id:int}/reject", rule=CLAIM_DECIDER)
def claim_reject(request: Request, viewer):
    """Do not approve a claim, with a reason in plain words."""
    claim_id = request.path_params["claim_id"]
    form = bind(RejectForm, request)
    if not form.validate():
        return _claim_page(request, viewer, claim_id, reject_form=form, status=400)
    with database.atomic():
        if not _move(claim_id, "submitted", status="rejected", reason=form.reason.data.strip(),
                     decided_by=viewer.person_id, decided_at=now()):  # fmt: skip
            return _too_late(request, viewer, claim_id, "decide")
        audit.record(
            viewer.account_id,
            "budget.claim.reject",
            Claim(id=claim_id),
            before={"status": "submitted"},
            after={"status": "rejected", "reason": form.reason.data.strip()},
        )
    return _back(claim_id)


@routes.post("/budget/claims/{claim_id:int}/pay", rule=CLAIM_PAYER)
def claim_pay(request: Request, viewer):
    """Pay an approved claim: books the reimbursement entry in the same transaction."""
    claim_id = request.path_params["claim_id"]
    with database.atomic():
        moment = now()
        if not _move(claim_id, "approved", status="paid", paid_by=viewer.person_id, paid_at=moment):
            return _too_late(request, viewer, claim_id, "pay")
        claim = Claim.get_by_id(claim_id)
        sub = (
            SubBudget.select(SubBudget, Post, BudgetYear)
            .join(Post)
            .join(BudgetYear)
            .where(SubBudget.id == claim.sub_budget_id)
            .get()
        )
        day = today()
        if day.year != sub.post.year.year:
            day = (
                dt.date(sub.post.year.year, 12, 31)
                if day.year > sub.post.year.year
                else (dt.date(sub.post.year.year, 1, 1))
            )
        entry = book(
            date=day,
            post=sub.post,
            sub_budget=sub,
            description=claim.description,
            amount_cents=-claim.amount_cents,
            kind="reimbursement",
            booked_by=viewer.person_id,
            receipt=claim.receipt,
            claim=claim,
        )
        audit.record(
            viewer.account_id, "budget.claim.pay", claim, person=claim.claimant_id,
            before={"status": "approved"},
            after={"status": "paid", "entry": entry.id, "amount_cents": claim.amount_cents},
        )  # fmt: skip
    return _back(claim_id)


@routes.post("/budget/claims/{claim_id:int}/withdraw", rule=CLAIM_OWNER)
def claim_withdraw(request: Request, viewer):
    """The claimant withdraws a claim that is still waiting."""
    claim_id = request.path_params["claim_id"]
    with database.atomic():
        if not _move(claim_id, "submitted", status="withdrawn", withdrawn_at=now()):
            return _too_late(request, viewer, claim_id, "withdraw")
        audit.record(
            viewer.account_id, "budget.claim.withdraw", Claim(id=claim_id),
            before={"status": "submitted"}, after={"status": "withdrawn"},
        )  # fmt: skip
    return RedirectResponse("/budget/claims", status_code=303)


# --- files ---------------------------------------------------------------------------------


class ImportForm(TafelForm):
    file = FileField(lazy_gettext("CSV file"))
    what = HiddenField()


def _files_page(request, viewer, problems=None, done=None, status=200):
    imports = list(LedgerImport.select().order_by(LedgerImport.imported_at.desc()).limit(10))
    years = [y for (y,) in BudgetYear.select(BudgetYear.year).order_by(BudgetYear.year).tuples()]
    return render(
        request,
        "budget/files.html",
        {"problems": problems or [], "done": done, "imports": imports, "years": years},
        status_code=status,
    )


@routes.get("/budget/files", rule=TREASURER)
def files_page(request: Request, viewer):
    """Upload budget.csv or ledger.csv (the treasurer)."""
    return _files_page(request, viewer)


def _upload(request: Request) -> tuple[bytes, str] | None:
    upload = request.state.form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        return None
    data = upload.file.read(MAX_CSV_BYTES + 1)
    return data, upload.filename


def _import(request: Request, viewer, what: str):
    upload = _upload(request)
    if upload is None:
        return _files_page(request, viewer, problems=[_("Choose a CSV file.")], status=400)
    raw, name = upload
    if len(raw) > MAX_CSV_BYTES:
        return _files_page(
            request, viewer, problems=[_("The file is larger than 5 MB.")], status=400
        )
    try:
        if what == "budget":
            counts = budget_files.import_budget(raw, viewer.account_id, viewer.person_id)
            done = _(
                "Imported: %(posts)s posts and %(subs)s sub-budgets.",
                posts=counts["posts"],
                subs=counts["sub_budgets"],
            )
        else:
            count = budget_files.import_ledger(
                raw, viewer.account_id, viewer.person_id, file_name=name
            )
            done = _("Imported: %(count)s ledger entries.", count=count)
    except CsvError as error:
        problems = [budget_files.problem_text(p) for p in error.problems]
        problems.append(_("Nothing was imported. Fix these lines and upload the file again."))
        return _files_page(request, viewer, problems=problems, status=400)
    return _files_page(request, viewer, done=done)


@routes.post("/budget/import/budget", rule=TREASURER)
def import_budget(request: Request, viewer):
    """Import the plan (budget.csv): all or nothing."""
    return _import(request, viewer, "budget")


@routes.post("/budget/import/ledger", rule=TREASURER)
def import_ledger(request: Request, viewer):
    """Import ledger entries (ledger.csv): all or nothing, never the same file twice."""
    return _import(request, viewer, "ledger")


def _csv_response(text: str, name: str) -> Response:
    return Response(
        text.encode("utf-8"),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _excel(request: Request) -> bool:
    return request.query_params.get("excel") == "1"


@routes.get("/budget/export/ledger.csv", rule=BUDGET_VIEWER)
def export_ledger(request: Request, viewer):
    """The ledger as CSV (no names of people), plain or for Excel."""
    year = _query_int(request, "year")
    text = budget_files.export_ledger(year, excel=_excel(request))
    return _csv_response(text, f"ledger-{year}.csv" if year else "ledger.csv")


@routes.get("/budget/export/budget-summary.csv", rule=BUDGET_VIEWER)
def export_summary(request: Request, viewer):
    """The summary per post and sub-budget as CSV: the same numbers as the budget page."""
    year = _year_from(request)
    text = budget_files.export_summary(year, excel=_excel(request))
    return _csv_response(text, f"budget-summary-{year.year if year else ''}.csv")


def treasurers() -> list[str]:
    """Display names of the treasurers, for the "Who may do what?" panel."""
    return [
        name
        for (name,) in Person.select(Person.display_name)
        .join(Account)
        .join(Grant, on=(Grant.account == Account.id))
        .where(Grant.right == "treasurer")
        .tuples()
        if name
    ]
