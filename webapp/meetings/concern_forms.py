"""The forms of a quiet concern (docs/rules.md "A quiet concern"): sending one, reading what
became of it with the reading code, and the trusted person's two ways to pass it on."""

from wtforms import SelectField, StringField, TextAreaField, validators

from models.meetings.concerns import ANSWER_STATUSES, CODE_GROUP, CODE_GROUPS, clean_code
from webapp.forms import IdChoiceField, TafelForm
from webapp.i18n import _, lazy_gettext
from webapp.meetings.words import SIGNAL_STATUSES

LONGEST = validators.Length(max=4000, message=lazy_gettext("Use at most 4000 characters."))


class ConcernForm(TafelForm):
    """A concern and whom it goes to: 0 the organisation's trusted persons, or a project's."""

    to = IdChoiceField(lazy_gettext("To whom?"), message=lazy_gettext("Choose one of the options."))
    text = TextAreaField(
        lazy_gettext("What is your concern?"),
        [validators.InputRequired(message=lazy_gettext("Write your concern.")), LONGEST],
    )

    def offer(self, choices) -> "ConcernForm":
        """Offer these (id, label) pairs (0: the organisation)."""
        self.to.choices = list(choices)
        return self


class ReadingForm(TafelForm):
    code = StringField(
        lazy_gettext("Your reading code"),
        [validators.InputRequired(message=lazy_gettext("Fill in the reading code."))],
    )

    def validate_code(self, field):
        field.data = clean_code(field.data or "")
        if len(field.data) != CODE_GROUPS * (CODE_GROUP + 1) - 1:
            raise validators.ValidationError(
                _("A reading code has 12 letters and digits, like K7QD-MX3A-9PWE.")
            )


class ConcernAgendaForm(TafelForm):
    project = IdChoiceField(lazy_gettext("On the agenda of which project?"))
    title = StringField(
        lazy_gettext("Agenda item"),
        [
            validators.InputRequired(message=lazy_gettext("Write a title.")),
            validators.Length(max=200, message=lazy_gettext("Use at most 200 characters.")),
        ],
    )
    explanation = TextAreaField(lazy_gettext("Explanation"), [LONGEST])


class ConcernSignalForm(TafelForm):
    project = IdChoiceField(lazy_gettext("In which project?"))
    text = TextAreaField(
        lazy_gettext("The concern, as the project reads it"),
        [validators.InputRequired(message=lazy_gettext("Write the concern.")), LONGEST],
    )
    status = SelectField(lazy_gettext("Status"), choices=[])
    answer = TextAreaField(
        lazy_gettext("Answer"),
        [validators.InputRequired(message=lazy_gettext("Write an answer.")), LONGEST],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.status.choices = [(k, str(SIGNAL_STATUSES[k])) for k in ANSWER_STATUSES]

    def validate_answer(self, field):
        field.data = (field.data or "").strip()
        if self.status.data == "not_possible" and len(field.data) < 10:
            raise validators.ValidationError(_("Explain in a sentence why it is not possible."))


def offer_projects(form, projects) -> None:
    """The project choices of a trusted person's form."""
    form.project.choices = list(projects)
