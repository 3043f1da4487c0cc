"""The accounts area's forms: new account, new password, links, rights and removals."""

import re

from wtforms import (
    BooleanField,
    HiddenField,
    PasswordField,
    SelectField,
    StringField,
    TextAreaField,
    ValidationError,
    validators,
)

from models.accounts.passwords import password_problem
from models.accounts.tables import RIGHTS, Account
from models.person import Person
from models.records.removal import REASON_MAX
from webapp.accounts.words import RIGHT_LABELS
from webapp.forms import IdChoiceField, Name, PersonField, TafelForm, posted_id, search_text
from webapp.i18n import _, lazy_gettext
from webapp.people.forms import WhatIfForm

USERNAME_PATTERN = re.compile(r"^[a-z0-9._-]{3,60}$")


def new_password_rule(form, field):
    """Length 10 or more and not one of the most common passwords."""
    username = form.username.data if hasattr(form, "username") else ""
    problem = password_problem(field.data or "", username or "")
    if problem == "short":
        raise ValidationError(
            _("Choose a password of at least 10 characters, for example a short sentence.")
        )
    if problem == "long":
        raise ValidationError(_("Choose a password of at most 1000 characters."))
    if problem == "common":
        raise ValidationError(
            _("Many people use this password, so choose another one, for example a short sentence.")
        )


def password_fields():
    return (
        PasswordField(
            lazy_gettext("New password"),
            [
                validators.InputRequired(message=lazy_gettext("Fill in a new password.")),
                new_password_rule,
            ],
            description=lazy_gettext("At least 10 characters. A short sentence works well."),
        ),
        PasswordField(
            lazy_gettext("New password again"),
            [
                validators.InputRequired(message=lazy_gettext("Type the new password again.")),
                validators.EqualTo(
                    "password", message=lazy_gettext("Type the same password twice.")
                ),
            ],
        ),
    )


def username_rule(form, field):
    value = (field.data or "").strip().lower()
    if not USERNAME_PATTERN.match(value):
        raise ValidationError(_("Use 3 to 60 letters or digits for your username, without spaces."))
    if Account.username_taken(value):
        raise ValidationError(_("Someone already has this username, so choose another one."))


class NewAccountForm(TafelForm):
    username = StringField(
        lazy_gettext("Username"),
        [validators.InputRequired(message=lazy_gettext("Fill in a username.")), username_rule],
        description=lazy_gettext("You log in with this name. Letters and digits, no spaces."),
    )
    password, repeat = password_fields()


class NamedAccountForm(NewAccountForm):
    """An invite that asks the person's own name too (AccessLink.asks_name)."""

    name = StringField(
        lazy_gettext("Your name"),
        [
            validators.InputRequired(message=lazy_gettext("Write your name.")),
            Name(lazy_gettext("Write your name.")),
            validators.Length(max=80, message=lazy_gettext("Use at most 80 characters.")),
        ],
        description=lazy_gettext("Others in Tafel see this name, for example Anouk or Anouk B."),
    )

    def validate_name(self, field):
        if Person.name_taken(field.data):
            raise ValidationError(
                _("Someone here already has this name; add your surname or an initial.")
            )


class ResetForm(TafelForm):
    password, repeat = password_fields()


class ChangePasswordForm(TafelForm):
    current = PasswordField(
        lazy_gettext("Your password now"),
        [validators.InputRequired(message=lazy_gettext("Fill in your password now."))],
    )
    password, repeat = password_fields()


class LinkForm(TafelForm):
    # Found by a name search (issue 13: no list of everyone); the route checks the id.
    person = PersonField(lazy_gettext("Who is the link for?"))
    q = StringField(filters=[search_text])

    def validate_person(self, field):
        if not field.data:
            raise validators.ValidationError(_("Choose a person."))


class GrantForm(TafelForm):
    # Found by a search on the name or username (issue 13); the route checks the id.
    account = PersonField(lazy_gettext("Who gets the right?"))
    q = StringField(filters=[search_text])
    right = SelectField(lazy_gettext("Right"), choices=[(r, RIGHT_LABELS[r]) for r in RIGHTS])
    project = IdChoiceField(
        lazy_gettext("For which project (coordinators and trusted persons only)"),
        description=lazy_gettext("Choose the whole organisation or one project."),
    )

    def offer(self, projects) -> "GrantForm":
        """Offer the whole organisation or one of these projects."""
        self.project.choices = [(0, _("The whole organisation"))] + [
            (p.id, p.name) for p in projects
        ]
        return self

    def validate_account(self, field):
        if not field.data:
            raise ValidationError(_("Choose a person."))


class LoginForm(TafelForm):
    username = StringField(
        lazy_gettext("Username"),
        [validators.InputRequired(message=lazy_gettext("Fill in your username."))],
    )
    password = PasswordField(
        lazy_gettext("Password"),
        [validators.InputRequired(message=lazy_gettext("Fill in your password."))],
    )
    next = HiddenField()


class LanguageForm(TafelForm):
    """The language switch in every page's footer (any unknown code means the default)."""

    language = HiddenField()
    next = HiddenField()


class RemovalStartForm(TafelForm):
    """Why a coordinator starts the removal of someone without an account."""

    reason = TextAreaField(
        lazy_gettext("Why should this person be removed?"),
        [
            validators.DataRequired(message=lazy_gettext("Write the reason.")),
            validators.Length(max=REASON_MAX, message=lazy_gettext("Use at most 1000 characters.")),
        ],
        filters=[lambda value: (value or "").strip()],
        description=lazy_gettext(
            "The coordinator who confirms reads this. Write nothing about health or experience"
            " as a client."
        ),
    )


class RemovalAnswerForm(WhatIfForm):
    """Confirming or cancelling: the id of the request the page showed (and, when confirming,
    the what-if of the 51% check: confirmed, and the box for a fall below 51%)."""

    request = HiddenField()

    def request_id(self) -> int | None:
        return posted_id(self.request.data)


class NoticeAnswerForm(TafelForm):
    """The person's answer to the notice of one link made for them."""

    link = HiddenField()
    answer = HiddenField()
    next = HiddenField()

    def link_id(self) -> int | None:
        return posted_id(self.link.data)


class TakeBackForm(TafelForm):
    """Taking an account back in person: the owner types a new password on the screen of the
    second person, who ticks that they saw the owner."""

    password, repeat = password_fields()
    seen = BooleanField(
        lazy_gettext("I saw this person myself, and they say this account is theirs."),
        [validators.InputRequired(message=lazy_gettext("Tick the box to confirm."))],
    )
