"""The core area's forms: projects, notices and the organisation."""

from wtforms import RadioField, StringField, TextAreaField, validators

from models import tenancy
from models.organisation import LADDER_LEVELS, STEERING_TYPES, Project
from models.records.organisations import HOST_TAKEN, checked_host
from models.rules.errors import RuleError
from webapp.accounts.words import refusal
from webapp.core.words import LADDER_EXPLAINED, LADDER_LABELS, STEERING_EXPLAINED, STEERING_LABELS
from webapp.forms import Name, TafelForm
from webapp.i18n import _, lazy_gettext


class ProjectForm(TafelForm):
    name = StringField(
        lazy_gettext("Name"),
        [
            validators.InputRequired(message=lazy_gettext("Give the project a name.")),
            Name(lazy_gettext("Give the project a name.")),
            validators.Length(max=120, message=lazy_gettext("Use at most 120 characters.")),
        ],
    )
    description = TextAreaField(
        lazy_gettext("Short description"),
        [validators.Length(max=2000, message=lazy_gettext("Use at most 2000 characters."))],
    )
    steering_type = RadioField(
        lazy_gettext("Who steers the project?"),
        choices=[(key, STEERING_LABELS[key]) for key in STEERING_TYPES],
        default="client_steered",
        validate_choice=True,
    )
    ladder_level = RadioField(
        lazy_gettext("How much do clients decide?"),
        choices=[(level, LADDER_LABELS[level]) for level in LADDER_LEVELS],
        coerce=int,
        default=4,
    )

    def __init__(self, *args, project_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.project_id = project_id
        # Each choice explained in one line, as the ladder's levels are (issue 22).
        self.steering_type.choices = [
            (k, f"{STEERING_LABELS[k]}: {STEERING_EXPLAINED[k]}") for k in STEERING_TYPES
        ]
        self.ladder_level.choices = [
            (level, f"{level}. {LADDER_LABELS[level]}: {LADDER_EXPLAINED[level]}")
            for level in LADDER_LEVELS
        ]

    def validate_name(self, field):
        field.data = (field.data or "").strip()
        if Project.name_taken(field.data, but_not=self.project_id):
            raise validators.ValidationError(_("Another project already has this name."))

    def values(self) -> dict:
        """What the form sets on a project."""
        return {
            "name": self.name.data,
            "description": self.description.data.strip(),
            "steering_type": self.steering_type.data,
            "ladder_level": self.ladder_level.data,
        }


class AnnouncementForm(TafelForm):
    title = StringField(
        lazy_gettext("Title"),
        [
            validators.InputRequired(message=lazy_gettext("Write a short title.")),
            validators.Length(max=200, message=lazy_gettext("Use at most 200 characters.")),
        ],
    )
    body = TextAreaField(
        lazy_gettext("Message"),
        [
            validators.InputRequired(message=lazy_gettext("Write the message.")),
            validators.Length(max=5000, message=lazy_gettext("Use at most 5000 characters.")),
        ],
    )


class OrganisationForm(TafelForm):
    name = StringField(
        lazy_gettext("Name"),
        [
            validators.InputRequired(message=lazy_gettext("Give the organisation a name.")),
            Name(lazy_gettext("Give the organisation a name.")),
            validators.Length(max=120, message=lazy_gettext("Use at most 120 characters.")),
        ],
    )
    description = TextAreaField(
        lazy_gettext("Short description"),
        [validators.Length(max=2000, message=lazy_gettext("Use at most 2000 characters."))],
    )


class NewOrganisationForm(TafelForm):
    """A new organisation on the federation's page: its name and the host it answers on."""

    name = StringField(
        lazy_gettext("Name of the organisation"),
        [
            validators.InputRequired(message=lazy_gettext("Give the organisation a name.")),
            Name(lazy_gettext("Give the organisation a name.")),
            validators.Length(max=120, message=lazy_gettext("Use at most 120 characters.")),
        ],
    )
    host = StringField(
        lazy_gettext("Host name"),
        [validators.InputRequired(message=lazy_gettext("Give the host name it answers on."))],
        description=lazy_gettext(
            "The address without https://, for example fiets.example.org. Point it at this "
            "installation first."
        ),
    )

    def validate_host(self, field):
        try:
            field.data = checked_host(field.data)
        except RuleError as err:
            raise validators.ValidationError(refusal(err)) from None
        if tenancy.directory.by_host(field.data) is not None:
            raise validators.ValidationError(refusal(RuleError(HOST_TAKEN, host=field.data)))
