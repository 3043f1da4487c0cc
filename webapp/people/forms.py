"""Every form of the people area: memberships (with the what-if confirmation), goals, client
background, conversations, turns, the ladder, the members import and vacancies."""

import base64

from wtforms import (
    BooleanField,
    FileField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    validators,
)

from models.clock import today
from models.people import (
    BACKGROUND_ANSWERS,
    LAYERS,
    ROLE_CATEGORIES,
    STATUSES,
    Membership,
    Person,
    RoleStep,
)
from webapp.forms import (
    BoundedDateField,
    BoundedIntegerField,
    IdChoiceField,
    Name,
    PersonField,
    PersonOrNobodyField,
    TafelForm,
    search_text,
)
from webapp.i18n import _, lazy_gettext, translated
from webapp.people.words import BACKGROUND_LABELS, GROUP_LABELS, STATUS_LABELS, step_category

BACKGROUND_QUESTION = lazy_gettext(
    "Do you have experience as a client in care yourself, for example mental health care, "
    "addiction care or shelter?"
)
# PRODUCT.md "Vacancies": by default the text invites people with a client background.
DEFAULT_INVITATION = lazy_gettext(
    "We explicitly invite people with experience as a client to respond. "
    "When candidates are equally suited, they go first."
)


def layer_choices():
    return [(key, str(GROUP_LABELS[key])) for key in LAYERS]


def step_choices():
    choices = []
    for s in RoleStep.ladder():
        name, category = str(translated(s.shown_name)), step_category(s)
        choices.append((s.id, f"{name} ({category})" if category else name))
    return choices


class WhatIfForm(TafelForm):
    confirmed = HiddenField(default="")
    accept_below = BooleanField(lazy_gettext("Confirm"))
    # "Vraag een 51%-check" (the second button of the confirming screen), and the answered
    # check the coordinator goes on with (models/people/checks.py; parse_id reads it).
    ask_check = HiddenField(default="")
    check = HiddenField(default="")


class MembershipChangeForm(WhatIfForm):
    step = IdChoiceField(lazy_gettext("Step"))
    layer = SelectField(lazy_gettext("Layer"))
    status = RadioField(lazy_gettext("Status"))
    note = TextAreaField(
        lazy_gettext("Note (optional)"),
        [validators.Length(max=2000, message=lazy_gettext("Use at most 2000 characters."))],
    )

    # PRODUCT.md "Duo functions": two people share one role and count as two people. An
    # absent field keeps the partner (the one-click way back sends no partner); 0 is none;
    # a partner is found by a name search (issue 13), `q`.
    duo_partner = PersonOrNobodyField(lazy_gettext("Duo partner"))
    q = StringField(filters=[search_text])

    def __init__(self, *args, person_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.person_id = person_id
        self.limits = {"besides": person_id}
        self.step.choices = step_choices()
        self.layer.choices = layer_choices()
        self.status.choices = [(key, str(STATUS_LABELS[key])) for key in STATUSES]

    def validate_duo_partner(self, field):
        if field.data == 0 or (field.data is None and not field.unreadable):
            return
        if field.data is None or Person.pickable(field.data, **self.limits) is None:
            raise validators.ValidationError(_("Search for a name and choose one of the names."))


class MembershipNewForm(WhatIfForm):
    # Someone already known, found by a name search (issue 13), or a new name below.
    person = PersonField(lazy_gettext("Who joins?"))
    q = StringField(filters=[search_text])
    new_person = StringField(
        lazy_gettext("Or a new person: display name"),
        [Name(), validators.Length(max=80, message=lazy_gettext("Use at most 80 characters."))],
    )
    step = IdChoiceField(lazy_gettext("Step"))
    layer = SelectField(lazy_gettext("Layer"))
    since = BoundedDateField(
        lazy_gettext("Start date"),
        [validators.InputRequired(message=lazy_gettext("Choose a date."))],
        default=today,
    )
    tasks = TextAreaField(
        lazy_gettext("Tasks"),
        [validators.Length(max=2000, message=lazy_gettext("Use at most 2000 characters."))],
    )
    # A coordinator fills this in for someone else: their wish, not "I want to".
    chair = BooleanField(lazy_gettext("Wants to chair"))
    minutes = BooleanField(lazy_gettext("Wants to take minutes"))

    def __init__(self, *args, project_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.limits = {"outside": Membership.people_in(project_id)}
        self.step.choices = step_choices()
        self.layer.choices = layer_choices()

    def validate_person(self, field):
        if field.data and Person.pickable(field.data, **self.limits) is None:
            raise validators.ValidationError(_("Search for a name and choose one of the names."))

    def validate_new_person(self, field):
        field.data = (field.data or "").strip()
        if not field.data and not self.person.data:
            raise validators.ValidationError(_("Choose a person or write a new name."))
        if field.data and Person.name_taken(field.data):
            raise validators.ValidationError(_("Someone already has this name; choose them."))


class GoalsForm(TafelForm):
    dream = TextAreaField(
        lazy_gettext("What is your dream?"),
        [validators.Length(max=2000, message=lazy_gettext("Use at most 2000 characters."))],
    )
    learn = TextAreaField(
        lazy_gettext("What do you want to learn?"),
        [validators.Length(max=2000, message=lazy_gettext("Use at most 2000 characters."))],
    )
    wants_paid_work = BooleanField(lazy_gettext("I would like paid work"))


class BackgroundForm(TafelForm):
    answer = RadioField(BACKGROUND_QUESTION)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.answer.choices = [(key, str(BACKGROUND_LABELS[key])) for key in BACKGROUND_ANSWERS]


# Whom a person lets know their client-background answer (Person.share_background).
SHARE_CHOICES = {
    "only": lazy_gettext("Only the people who guard privacy"),
    "also": lazy_gettext("Also the coordinators of my projects"),
}


class ShareForm(TafelForm):
    share = RadioField(lazy_gettext("Who may know your answer?"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.share.choices = [(key, str(label)) for key, label in SHARE_CHOICES.items()]


class ShareQuestionForm(TafelForm):
    """The one question, asked once (issue 22): may the coordinators of your projects know
    your answer? "No" is the default."""

    share = RadioField(
        lazy_gettext("May the coordinators of your projects know your answer?"),
        choices=[("no", lazy_gettext("No")), ("yes", lazy_gettext("Yes"))],
        default="no",
        validators=[validators.InputRequired(message=lazy_gettext("Choose an answer."))],
    )
    next = HiddenField(default="")


class RecordBackgroundForm(BackgroundForm):
    consent = BooleanField(
        lazy_gettext("This person told me their answer and agreed that I record it."),
        [validators.InputRequired(message=lazy_gettext("Record only with their consent."))],
    )
    consent_on = BoundedDateField(
        lazy_gettext("Date of consent"),
        [validators.InputRequired(message=lazy_gettext("Choose a date."))],
        default=today,
    )


class ConversationForm(TafelForm):
    on = BoundedDateField(
        lazy_gettext("Date"),
        [validators.InputRequired(message=lazy_gettext("Choose a date."))],
        default=today,
    )
    participants = StringField(
        lazy_gettext("Who took part"),
        [validators.Length(max=500, message=lazy_gettext("Use at most 500 characters."))],
    )
    notes = TextAreaField(
        lazy_gettext("Notes (the person can read these)"),
        [validators.Length(max=5000, message=lazy_gettext("Use at most 5000 characters."))],
    )


class StepForm(TafelForm):
    name = StringField(
        lazy_gettext("Name"),
        [
            validators.InputRequired(message=lazy_gettext("Give the step a name.")),
            Name(lazy_gettext("Give the step a name.")),
            validators.Length(max=80, message=lazy_gettext("Use at most 80 characters.")),
        ],
    )
    position = BoundedIntegerField(
        lazy_gettext("Place on the ladder"),
        [validators.InputRequired(message=lazy_gettext("Write a number."))],
        minimum=1,
        maximum=999,
    )
    category = SelectField(lazy_gettext("Role category"))
    description = TextAreaField(
        lazy_gettext("Typical tasks"),
        [validators.Length(max=2000, message=lazy_gettext("Use at most 2000 characters."))],
    )

    def __init__(self, *args, step_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.step_id = step_id
        self.category.choices = [(key, str(GROUP_LABELS[key])) for key in ROLE_CATEGORIES]

    def validate_name(self, field):
        field.data = (field.data or "").strip()
        if RoleStep.name_taken(field.data, except_id=self.step_id):
            raise validators.ValidationError(_("Another step already has this name."))


class VacancyForm(TafelForm):
    title = StringField(
        lazy_gettext("Title"),
        [
            validators.InputRequired(message=lazy_gettext("Write a short title.")),
            validators.Length(max=200, message=lazy_gettext("Use at most 200 characters.")),
        ],
    )
    step = IdChoiceField(lazy_gettext("Step"))
    layer = SelectField(lazy_gettext("Layer"))
    text = TextAreaField(
        lazy_gettext("Text"),
        [validators.Length(max=5000, message=lazy_gettext("Use at most 5000 characters."))],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.step.choices = step_choices()
        self.layer.choices = layer_choices()
        if not self.text.data:
            self.text.data = str(DEFAULT_INVITATION)


class PickedPersonForm(TafelForm):
    """A form with a person chosen from a name search (templates/_person_picker.html): the
    id must be someone the picker could offer (`Person.pickable` with `limits`); `q` is the
    search, kept so a refused form shows the same names again."""

    person = PersonField(lazy_gettext("Person"))
    q = StringField(filters=[search_text])

    def __init__(self, *args, limits=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.limits = limits or {}
        self.picked = None

    def validate_person(self, field):
        if not field.data:
            raise validators.ValidationError(_("Choose a person."))
        self.picked = Person.pickable(field.data, **self.limits)
        if self.picked is None:
            raise validators.ValidationError(_("Search for a name and choose one of the names."))


class CommitteeForm(PickedPersonForm):
    remove = HiddenField(default="")  # "1": take the person off the committee

    def validate_person(self, field):
        if self.remove.data == "1" and field.data:
            return  # taking a seat away: whoever holds it, even after their removal
        super().validate_person(field)


class FillForm(PickedPersonForm, WhatIfForm):
    person = PersonField(lazy_gettext("Who gets the role?"))


class TurnsForm(TafelForm):
    """Opt in or out of chairing and minute-taking (PRODUCT.md "Rotation")."""

    chair = BooleanField(lazy_gettext("I want to chair"))
    minutes = BooleanField(lazy_gettext("I want to take minutes"))


class CheckAnswerForm(TafelForm):
    """A holder of the privacy right answers a 51% check for the whole change."""

    answer = RadioField(
        lazy_gettext("Your answer"),
        choices=[
            ("stays", lazy_gettext("stays above 51%")),
            ("falls", lazy_gettext("comes below 51%")),
        ],
        validators=[validators.InputRequired(message=lazy_gettext("Choose an answer."))],
    )
    note = TextAreaField(
        lazy_gettext("Note (optional, about the groups, never about one person)"),
        validators=[validators.Optional(), validators.Length(max=500)],
    )


class MembersImportForm(WhatIfForm):
    """members.csv to import (DATA-EXCHANGE.md): an uploaded file, or (on the confirming
    screen of the 51% what-if) the same file sent back as `content`."""

    file = FileField(lazy_gettext("CSV file"))
    content = HiddenField(default="")

    def validate_file(self, field):
        if self.content.data:
            if self.raw() is None:
                raise validators.StopValidation(_("Choose a CSV file."))
            return
        upload = field.data
        if upload is None or isinstance(upload, str) or not upload.filename:
            raise validators.StopValidation(_("Choose a CSV file."))

    def raw(self) -> bytes | None:
        """The file's bytes: uploaded, or sent back from the confirming screen."""
        if self.content.data:
            try:
                return base64.b64decode(self.content.data.encode("ascii"), validate=True)
            except (ValueError, UnicodeEncodeError):
                return None
        return self.file.data.file.read()
