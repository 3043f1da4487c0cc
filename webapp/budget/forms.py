"""The budget's forms: booking and correcting, planned amounts, posts and sub-budgets,
claims, and budget files."""

from wtforms import (
    Field,
    FileField,
    HiddenField,
    RadioField,
    StringField,
    TextAreaField,
    validators,
)

from models.budget import claims, plan
from models.budget.tables import CLAIM_KINDS, BudgetError
from models.clock import today
from models.person import Person
from models.rules.ids import parse_id
from models.rules.money import AmountError, parse_amount
from webapp.budget.words import CLAIM_KIND_LABELS, rule_error
from webapp.forms import (
    BoundedDateField,
    BoundedIntegerField,
    IdChoiceField,
    Name,
    PersonOrNobodyField,
    TafelForm,
    search_text,
)
from webapp.i18n import _, current_language, lazy_gettext
from webapp.meetings.words import OUTCOMES
from webapp.templating import show_date

ABOVE_ZERO = lazy_gettext("Write the amount without a minus sign, above zero.")


class AmountField(StringField):
    """An amount typed the Dutch or English way, read by parse_amount into cents."""

    cents: int | None = None

    def pre_validate(self, form):
        self.cents = None
        try:
            cents = parse_amount(self.data or "", convention=current_language.get())
        except AmountError as err:
            raise validators.StopValidation(rule_error(err)) from None
        if cents <= 0:
            raise validators.StopValidation(str(ABOVE_ZERO))
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
    receipt = FileField(lazy_gettext("Receipt (photo or PDF, at most 10 MB, optional)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.direction.choices = [("spending", _("Money out")), ("income", _("Money in"))]

    def in_year(self, year: int) -> bool:
        """The date lies in the budget's year; else False with an error on the date."""
        if self.date.data.year != year:
            self.date.errors.append(_("Choose a date in %(year)s.", year=year))
            return False
        return True

    @property
    def signed_cents(self) -> int:
        """The amount as the ledger books it: money in positive, money out negative."""
        return self.amount.cents if self.direction.data == "income" else -self.amount.cents


class ReverseForm(TafelForm):
    reason = StringField(
        lazy_gettext("Why is this corrected?"),
        [
            validators.InputRequired(message=lazy_gettext("Write why this is corrected.")),
            validators.Length(max=300, message=lazy_gettext("Use at most 300 characters.")),
        ],
    )


class PlannedForm(TafelForm):
    # Not "amount": the booking form on the same page has that field (one id per page).
    planned_amount = StringField(lazy_gettext("New planned amount in euro"))
    # Any readable id: the model says whether that decision may back the change (NotBacking).
    decision = IdChoiceField(
        lazy_gettext("Which decision of a meeting backs this?"), choices=[], validate_choice=False
    )
    # The search the choices came from, sent along so a refused form shows the same choices.
    decision_q = HiddenField()
    cents: int | None = None

    def offer(self, decisions) -> "PlannedForm":
        """Offer these decisions from the register (newest first) as the choices."""
        self.decision.choices = [("", _("Choose a decision"))] + [
            (d.id, decision_choice(d)) for d in decisions
        ]
        return self

    def validate_planned_amount(self, field):
        try:
            cents = parse_amount(field.data or "", convention=current_language.get())
        except AmountError as err:
            raise validators.ValidationError(rule_error(err)) from None
        if cents < 0:
            raise validators.ValidationError(_("A planned amount cannot be below zero."))
        self.cents = cents

    def validate_decision(self, field):
        if not field.data:
            raise validators.ValidationError(
                _("Choose the meeting decision that backs this change.")
            )

    @property
    def decision_id(self) -> int | None:
        return self.decision.data or None

    @property
    def search(self) -> str:
        return decision_search(self.decision_q.data)


def decision_search(value) -> str:
    """A search in the decision picker: plain text, at most 100 characters."""
    return str(value or "").replace("\x00", "").strip()[:100]


def decision_choice(decision) -> str:
    """A decision as the picker shows it (a row of `decisions_for_budget`): item, its text
    (shortened), project, date and outcome."""
    text = " ".join(decision.text.split())
    return _(
        "%(title)s: %(text)s · %(project)s, %(date)s · %(outcome)s",
        title=decision.title,
        text=text if len(text) <= 60 else text[:59] + "…",
        project=decision.project_name,
        date=show_date(decision.decided_on),
        outcome=OUTCOMES.get(decision.outcome, decision.outcome),
    )


class PlanRejectForm(TafelForm):
    reason = TextAreaField(
        lazy_gettext("Why not? Everyone who sees the budget can read this."),
        [
            validators.InputRequired(message=lazy_gettext("Write why the change is not approved.")),
            validators.Length(max=1000, message=lazy_gettext("Use at most 1000 characters.")),
        ],
    )

    def validate_reason(self, field):
        if not (field.data or "").strip():
            raise validators.ValidationError(_("Write why the change is not approved."))


class ManagerForm(TafelForm):
    # Found by a name search among the members (issue 13: no list of everyone); 0 or
    # nothing: the treasurer manages it.
    manager = PersonOrNobodyField(lazy_gettext("Manager of the sub-budget"))
    q = StringField(filters=[search_text])
    # "" is "no project"; anything else must be one of the projects offered.
    project = IdChoiceField(lazy_gettext("Project"), choices=[], validate_choice=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.project.choices = [("", _("No project"))] + [
            (str(i), n) for i, n in plan.projects_by_name()
        ]

    @classmethod
    def of(cls, sub, search: str = ""):
        """The form filled with the sub-budget's manager and project (and a name search)."""
        return cls(
            data={"manager": sub.manager_id or 0, "project": str(sub.project_id or ""), "q": search}
        )

    # The manager there is now: kept as it is even when their membership ended meanwhile (the
    # picker offers them), so the project can change without choosing a new manager.
    current_manager: int | None = None

    def validate_manager(self, field):
        if field.data is None and not field.unreadable:
            return
        if field.data == 0 or (field.data and field.data == self.current_manager):
            return
        if not field.data or Person.pickable(field.data, among=plan.manager_pool()) is None:
            raise validators.ValidationError(_("Search for a name and choose one of the names."))

    @property
    def manager_id(self) -> int | None:
        return self.manager.data or None

    def validate_project(self, field):
        posted = field.raw_data[0] if field.raw_data else ""
        if not str(posted).strip():
            field.data = None
            return
        offered = {value for value, _label in field.choices if value}
        if field.data is None or str(field.data) not in offered:
            raise validators.ValidationError(_("Choose one of the options."))

    @property
    def project_id(self) -> int | None:
        return self.project.data or None


class SubBudgetForm(ManagerForm):
    name = StringField(
        lazy_gettext("Name of the sub-budget"),
        [
            validators.InputRequired(message=lazy_gettext("Give the sub-budget a name.")),
            Name(lazy_gettext("Give the sub-budget a name.")),
            validators.Length(max=120, message=lazy_gettext("Use at most 120 characters.")),
        ],
    )


class PostForm(TafelForm):
    name = StringField(
        lazy_gettext("Name of the post"),
        [
            validators.InputRequired(message=lazy_gettext("Give the post a name.")),
            Name(lazy_gettext("Give the post a name.")),
            validators.Length(max=120, message=lazy_gettext("Use at most 120 characters.")),
        ],
    )
    year = BoundedIntegerField(
        lazy_gettext("Year"),
        [validators.NumberRange(2000, 2200, message=lazy_gettext("Choose a year."))],
    )


class ClaimForm(TafelForm):
    kind = RadioField(
        lazy_gettext("What kind of costs?"),
        choices=[(k, CLAIM_KIND_LABELS[k]) for k in CLAIM_KINDS],
        default="travel_km",
    )
    sub_budget = IdChoiceField(
        lazy_gettext("Which budget pays?"),
        choices=[],
        message=lazy_gettext("Choose which budget pays."),
    )
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
    receipt = FileField(lazy_gettext("Receipt or photo (optional, at most 10 MB)"))
    cents: int | None = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = [(k, str(CLAIM_KIND_LABELS[k])) for k in CLAIM_KINDS]
        rows = claims.claimable_sub_budgets()
        self.sub_budget.choices = (
            [("", _("Choose a budget"))] + [(i, f"{post} – {name}") for i, name, post in rows]
            if rows is not None
            else []
        )

    def validate_spent_on(self, field):
        if field.data and field.data > today():
            raise validators.ValidationError(_("Choose today or a day before."))

    def compute(self, rate_cents: int) -> bool:
        """Work out the amount in cents; False with an error on the right field."""
        if self.kind.data == "travel_km":
            try:
                self.cents = claims.claim_amount("travel_km", self.km.data, None, rate_cents)
            except BudgetError as err:
                self.km.errors = [rule_error(err)]
                return False
            return True
        try:
            cents = parse_amount(self.amount.data or "", convention=current_language.get())
        except AmountError as err:
            self.amount.errors = [rule_error(err)]
            return False
        if cents <= 0:
            self.amount.errors = [str(ABOVE_ZERO)]
            return False
        self.cents = cents
        return True

    @property
    def sub_budget_id(self) -> int | None:
        return self.sub_budget.data or None


class RejectForm(TafelForm):
    reason = TextAreaField(
        lazy_gettext("Why not? Explain it in plain words."),
        [
            validators.InputRequired(message=lazy_gettext("Write why the claim is not approved.")),
            validators.Length(max=1000, message=lazy_gettext("Use at most 1000 characters.")),
        ],
    )


class LinesField(Field):
    """Line numbers of a file, ticked one by one (checkboxes of one name): the readable ones,
    anything else left out."""

    def process_formdata(self, valuelist):
        self.data = frozenset(n for n in (parse_id(value) for value in valuelist) if n)

    def _value(self):
        return ""


class ImportForm(TafelForm):
    file = FileField(lazy_gettext("CSV file"))
    # The look-alike rows' confirmation sends the file back (base64) with the lines to book.
    content = HiddenField()
    file_name = HiddenField()
    confirm = HiddenField()
    book = LinesField()

    @property
    def confirmed(self) -> frozenset[int] | None:
        """The lines to book of the look-alike rows, when this is their confirmation."""
        return (self.book.data or frozenset()) if self.confirm.data == "1" else None
