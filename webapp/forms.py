"""The base for every form: server-side validation with messages in the viewer's language.

CSRF is checked centrally for every unsafe request (webapp.access), so forms don't repeat it.

Every number and date a person types goes through one of the bounded fields below (and every
id through `posted_id`), so no input can reach the database or date arithmetic out of range.
The limits:

- whole numbers: 0 to 2**31 - 1 unless a form narrows them (PostgreSQL's `integer` is 32-bit,
  SQLite's 64-bit: the smaller one holds everywhere);
- ids: 1 to 2**31 - 1 (`models.rules.ids`, the same 32-bit column, the one parser of ids
  that URLs, forms, query strings and CSV files share): anything else names nothing. A form
  field that holds an id is an `IdChoiceField` (a choice among ids) or a `PersonField`, never
  a `SelectField(coerce=int)`;
- dates: 1 January 1900 to 31 December 2999 (`models.clock.FIRST_DATE`, `LAST_DATE`, which
  CSV imports use too): room for every real date, and for date arithmetic without passing
  the year 9999.

Every name a person gives (a post, a sub-budget, a project, a ladder step, a new person, a
meeting place) goes through `Name`, the rule of models/rules/names.py that the CSV imports
use too: trimmed, never only spaces, never with characters that turn the writing direction.
"""

import datetime as dt

from babel.numbers import format_decimal
from markupsafe import Markup, escape
from starlette.requests import Request
from wtforms import DateField, Field, Form, IntegerField, SelectField
from wtforms.validators import StopValidation
from wtforms.widgets import HiddenInput, Select, html_params

from models.clock import FIRST_DATE, LAST_DATE
from models.rules.errors import RuleError
from models.rules.ids import MAX_ID, parse_id
from models.rules.names import clean_name
from webapp.i18n import current_language, gettext, lazy_gettext

MAX_INTEGER = 2**31 - 1  # PostgreSQL's integer column
NO_SUCH_DATE = "This date does not exist; check the day and the month."
# models.rules.names.BIDI_IN_NAME, named here so the translators' template has it.
BIDI_IN_NAME = lazy_gettext(
    "Remove the hidden characters that turn the writing direction; a name cannot hold them."
)


class TafelForm(Form):
    """A WTForms form whose built-in messages follow the current language."""

    class Meta:
        @property
        def locales(self):
            return [current_language.get(), "en"]


def bind(form_class: type[Form], request: Request, obj=None, data=None, **options) -> Form:
    """The form filled from the posted data (POST) or from `obj`/`data` (GET): the one way
    into what a request sends. `options` go to the form's own constructor."""
    formdata = request.state.form if request.method == "POST" else None
    return form_class(formdata=formdata, obj=obj, data=data, **options)


def safe_next(value: str | None, default: str = "/") -> str:
    """A local path to go to after a form, never another site."""
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return default


def bind_query(form_class: type[Form], request: Request, **options) -> Form:
    """The form filled from the query string (a GET search or filter): the same fields and
    parsers as a posted form, so an id or a number in a URL is read the one way."""
    return form_class(formdata=request.query_params, **options)


def posted_id(value) -> int | None:
    """A database id sent in a form, URL or query string; None when it is not one (too big,
    zero, negative, text)."""
    return parse_id(value)


def posted_date(value) -> dt.date | None:
    """A date written as YYYY-MM-DD between FIRST_DATE and LAST_DATE, else None."""
    try:
        day = dt.date.fromisoformat(str(value or "").strip())
    except ValueError:
        return None
    return day if FIRST_DATE <= day <= LAST_DATE else None


def date_range_message() -> str:
    """The plain sentence for a date outside FIRST_DATE…LAST_DATE."""
    return gettext("Choose a date between 1 January 1900 and 31 December 2999.")


class BoundedIntegerField(IntegerField):
    """A whole number between `minimum` and `maximum` (by default 0 and MAX_INTEGER).

    `message` replaces the sentences for text and for a number out of range; a form's
    NumberRange may narrow the range further with its own message.
    """

    def __init__(
        self, label=None, validators=None, minimum=0, maximum=MAX_INTEGER, message=None, **kwargs
    ):
        super().__init__(label, validators, **kwargs)
        self.minimum, self.maximum, self.message = minimum, maximum, message

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(
                str(self.message or gettext("Write a whole number, for example 12."))
            ) from None

    def pre_validate(self, form):
        if self.data is not None and not self.minimum <= self.data <= self.maximum:
            self.data = None
            raise StopValidation(
                str(self.message)
                if self.message
                else gettext(
                    "Choose a number between %(minimum)s and %(maximum)s.",
                    minimum=format_decimal(self.minimum, locale=current_language.get()),
                    maximum=format_decimal(self.maximum, locale=current_language.get()),
                )
            )


class BoundedDateField(DateField):
    """A date (YYYY-MM-DD) between FIRST_DATE and LAST_DATE."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(gettext(NO_SUCH_DATE)) from None

    def pre_validate(self, form):
        if self.data is not None and not FIRST_DATE <= self.data <= LAST_DATE:
            self.data = None
            raise StopValidation(date_range_message())


class Name:
    """The validator of every name field; put it after InputRequired and before Length.

    It trims the name (spaces and invisible characters at either end) and refuses one with a
    character that turns the writing direction. `message` is the field's own sentence for a
    missing name ("Give the post a name."): with it, a name of only spaces is refused too;
    without it the name is optional and may be left empty.
    """

    def __init__(self, message=None):
        self.message = message

    def __call__(self, form, field):
        try:
            field.data = clean_name(field.data if isinstance(field.data, str) else "")
        except RuleError:
            raise StopValidation(str(BIDI_IN_NAME)) from None
        if not field.data and self.message is not None:
            raise StopValidation(str(self.message))


def search_text(value, limit: int = 100) -> str:
    """A search typed in a query string: spaces folded, at most `limit` characters."""
    return " ".join(str(value or "").split())[:limit]


def page_params(params, after: str = "after", before: str = "before") -> dict:
    """Where a paged list starts (models/paging.py): the ids in `after`/`before`, None when
    absent or not an id (junk shows the first page)."""
    return {"after": posted_id(params.get(after)), "before": posted_id(params.get(before))}


class PersonField(Field):
    """A person chosen from a name search (issue 13: no list of everyone): posted as a radio
    button per match (or a hidden field); anything that is no id is None. The form checks
    the id against whom its picker may offer (`Person.pickable`)."""

    widget = HiddenInput()

    def process_formdata(self, valuelist):
        self.data = posted_id(valuelist[0]) if valuelist else None

    def _value(self) -> str:
        return str(self.data or "")


class PersonOrNobodyField(PersonField):
    """A person chosen from a name search, or nobody: a person's id; 0 for nobody; None when
    absent or empty (the caller decides: keep what there is, or nobody); anything else
    `unreadable`."""

    unreadable = False

    def process_formdata(self, valuelist):
        if valuelist and str(valuelist[0]).strip() == "0":
            self.data = 0
            return
        super().process_formdata(valuelist)
        self.unreadable = bool(valuelist) and bool(str(valuelist[0]).strip()) and not self.data


class QuickSelect(Select):
    """WTForms' `Select` widget, the same HTML, written with one f-string per option instead
    of a Markup, `html_params` and a signature check each: a meeting's page draws seven
    choices among every member of the project (issue 23: a quarter of its CPU went to the
    options). Multiple choices, groups and options with their own attributes are left to
    WTForms."""

    def __call__(self, field, **kwargs):
        plain = getattr(field, "plain_choices", None)
        options = None if self.multiple else plain() if plain else None
        # Plain (value, label) pairs have no groups: has_groups() builds a SelectChoice per
        # option to find that out (a tenth of the claims page's form).
        if self.multiple or (options is None and field.has_groups()):
            return super().__call__(field, **kwargs)
        kwargs.setdefault("id", field.id)
        flags = getattr(field, "flags", {})
        for k in dir(flags):
            if k in self.validation_attrs and k not in kwargs:
                kwargs[k] = getattr(flags, k)
        html = [f"<select {html_params(name=field.name, **kwargs)}>"]
        if options is None:
            options = []
            for choice in field.iter_choices():
                if choice.render_kw:
                    options.append((None, Select.render_option(choice), None))
                else:
                    options.append((choice.value, choice.label, choice.selected))
        for value, label, selected in options:
            if selected is None:  # an option with its own attributes, drawn by WTForms
                html.append(label)
                continue
            label = escape(label or value)
            value = str(value) if isinstance(value, bool) else value
            # html_params sorts the attributes: "selected" comes before "value".
            selected = "selected " if selected else ""
            html.append(f'<option {selected}value="{escape(value)}">{label}</option>')
        html.append("</select>")
        return Markup("".join(html))


class IdChoiceField(SelectField):
    """A choice among database ids (an owner, a decision, a chair): the posted value is read
    by the one id parser (`models.rules.ids.parse_id`), so text, a negative number or one past
    the id column is no choice, never an error. `choices` are `(id, label)` pairs; 0 may be
    one of them for "nobody".

    `data` is the chosen id (0 for nobody), or None when nothing readable was posted. Unless
    `validate_choice=False`, a value outside `choices` is refused with `message` (the field's
    plain sentence, by default "Choose one of the options.").
    """

    widget = QuickSelect()

    def __init__(self, label=None, validators=None, message=None, **kwargs):
        kwargs["coerce"] = id_or_nobody
        super().__init__(label, validators, **kwargs)
        self.message = message

    def process_formdata(self, valuelist):
        if valuelist:
            self.data = id_or_nobody(valuelist[0])

    def plain_choices(self) -> list | None:
        """(value, label, selected) per choice for QuickSelect when the choices are (id,
        label) pairs, as iter_choices would give them without building two objects per
        option; None otherwise (WTForms' own way)."""
        choices = self.choices
        if type(choices) is not list or not all(type(c) is tuple and len(c) == 2 for c in choices):
            return None
        data = self.data
        return [(value, label, id_or_nobody(value) == data) for value, label in choices]

    def pre_validate(self, form):
        if not self.validate_choice:
            return
        allowed = {id_or_nobody(value) for value, *_ in self.choices or ()}
        if self.data is None or self.data not in allowed:
            raise StopValidation(str(self.message or gettext("Choose one of the options.")))


def id_or_nobody(value) -> int | None:
    """0 for "nobody", an id, or None for anything else."""
    if type(value) is int:  # the choices' own ids: read once per option of every choice
        return value if 0 <= value <= MAX_ID else None
    if str(value if value is not None else "").strip() == "0":
        return 0
    return parse_id(value)
