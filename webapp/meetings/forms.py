"""Every WTForms form of the meetings area: what a person may post, checked server-side, with
the reasons shown next to the field in the viewer's language."""

from wtforms import (
    BooleanField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
    validators,
)

from models.meetings import vocabulary
from models.meetings.actions import is_decision_of
from webapp.forms import (
    BoundedDateField,
    BoundedIntegerField,
    IdChoiceField,
    Name,
    TafelForm,
    posted_id,
)
from webapp.i18n import _, lazy_gettext
from webapp.meetings.words import STANCES, words


def _fail(field, message) -> bool:
    field.errors = [message]
    return False


def _unreadable(field: IdChoiceField) -> bool:
    """Something was posted for the choice, but it is no id (text, too big, negative): the
    field gets its sentence. Not posted at all is the field's default (nobody)."""
    return bool(field.raw_data) and field.data is None


def _person_choice(label, **kwargs) -> IdChoiceField:
    """A choice among the project's members (checked by the form's `validate_for`, since
    the members are known only per request); 0 for nobody where the form allows it."""
    return IdChoiceField(label, validate_choice=False, **kwargs)


class PlanForm(TafelForm):
    start = BoundedDateField(
        lazy_gettext("First meeting"),
        [validators.InputRequired(message=lazy_gettext("Choose a date."))],
    )
    count = BoundedIntegerField(
        lazy_gettext("How many meetings"),
        [
            validators.InputRequired(message=lazy_gettext("Give a number.")),
            validators.NumberRange(1, 24, message=lazy_gettext("Choose between 1 and 24.")),
        ],
        default=6,
    )
    time = TimeField(lazy_gettext("Time"), [validators.Optional()])
    place = StringField(lazy_gettext("Place"), [Name(), validators.Length(max=200)])


class AgendaForm(TafelForm):
    title = StringField(
        lazy_gettext("Title"),
        [
            validators.InputRequired(message=lazy_gettext("Write a short title.")),
            validators.Length(max=200, message=lazy_gettext("Use at most 200 characters.")),
        ],
    )
    explanation = TextAreaField(
        lazy_gettext("Short explanation"),
        [validators.Length(max=2000, message=lazy_gettext("Use at most 2000 characters."))],
    )
    time_box = BoundedIntegerField(
        lazy_gettext("Time needed in minutes (optional)"),
        [
            validators.Optional(),
            validators.NumberRange(1, 240, message=lazy_gettext("Choose between 1 and 240.")),
        ],
    )


class ProposalForm(TafelForm):
    text = TextAreaField(
        lazy_gettext("Proposal"),
        [
            validators.InputRequired(message=lazy_gettext("Write the proposal.")),
            validators.Length(max=4000, message=lazy_gettext("Use at most 4000 characters.")),
        ],
    )


class StanceForm(TafelForm):
    kind = RadioField(
        lazy_gettext("What do you think?"),
        choices=[(k, "") for k in STANCES],
        validators=[validators.InputRequired(message=lazy_gettext("Choose an answer."))],
    )
    reason = TextAreaField(
        lazy_gettext("Your reason"),
        [validators.Length(max=2000, message=lazy_gettext("Use at most 2000 characters."))],
    )
    person = _person_choice(lazy_gettext("For whom"), default=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = list(STANCES.items())

    def validate_reason(self, field):
        field.data = (field.data or "").strip()
        if self.kind.data == "concern" and not field.data:
            raise validators.ValidationError(_("Write what your concern is."))
        if self.kind.data == "block" and not field.data:
            raise validators.ValidationError(_("Write why it may not go ahead."))

    def validate_for(self, members: set[int], person_id, can_record: bool) -> bool:
        """Valid, for an active member; only the minute-taker (or chair) records a stance
        for someone else."""
        if not self.validate():
            return False
        if _unreadable(self.person):
            return _fail(self.person, _("Only active members of the project take a stance."))
        whom = self.person.data or person_id
        if whom != person_id and not can_record:
            return _fail(
                self.person,
                _("Only the chair, minute-taker or a coordinator may answer for others."),
            )
        if whom not in members:
            return _fail(self.person, _("Only active members of the project take a stance."))
        return True


class CloseForm(TafelForm):
    statement = TextAreaField(
        lazy_gettext("Outcome in a few words"),
        [
            validators.InputRequired(message=lazy_gettext("Write a short outcome statement.")),
            validators.Length(max=2000, message=lazy_gettext("Use at most 2000 characters.")),
        ],
    )
    # The second step: the chair saw who asked for more time and closes anyway.
    despite_more_time = BooleanField()


class ActionForm(TafelForm):
    description = TextAreaField(
        lazy_gettext("What will be done"),
        [
            validators.InputRequired(message=lazy_gettext("Write what will be done.")),
            validators.Length(max=1000, message=lazy_gettext("Use at most 1000 characters.")),
        ],
    )
    owner = _person_choice(lazy_gettext("Who does it"))
    duo_owner = _person_choice(lazy_gettext("Together with (optional)"), default=0)
    due = BoundedDateField(lazy_gettext("Ready by (optional)"), [validators.Optional()])
    proposal = IdChoiceField(
        lazy_gettext("Comes from decision (optional)"), validate_choice=False, default=0
    )

    def validate_for(self, project_id: int, members: set[int]) -> bool:
        """Valid, owners are active members and the decision is one of the project's."""
        if not self.validate():
            return False
        if self.owner.data not in members:
            return _fail(self.owner, _("Choose who does it."))
        duo = self.duo_owner.data
        if _unreadable(self.duo_owner) or (duo and duo not in members):
            return _fail(self.duo_owner, _("Choose an active member of the project."))
        if _unreadable(self.proposal) or (
            self.proposal.data and not is_decision_of(self.proposal.data, project_id)
        ):
            return _fail(self.proposal, _("Choose a decision of this project."))
        return True


class ActionStatusForm(TafelForm):
    status = SelectField(
        lazy_gettext("Status"),
        choices=[(k, "") for k in vocabulary.ACTION_STATUSES],
    )
    reason = TextAreaField(
        lazy_gettext("Why is it dropped?"),
        [validators.Length(max=1000, message=lazy_gettext("Use at most 1000 characters."))],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.status.choices = [(k, str(v)) for k, v in words()["action_words"].items()]

    def validate_reason(self, field):
        field.data = (field.data or "").strip()
        if self.status.data == "dropped" and not field.data:
            raise validators.ValidationError(_("Write why the action is dropped."))


# The forms below read what a page's buttons and checkboxes post; the page draws those inputs
# itself, so these fields have no label of their own.


class AttendanceForm(TafelForm):
    # The members ticked as present (ids; anything else names nobody).
    present = SelectMultipleField(coerce=posted_id, validate_choice=False)

    def people(self) -> set[int]:
        return set(self.present.data or []) - {None}


class ApologiesForm(TafelForm):
    # "1" takes the apologies back.
    take_back = StringField()

    def taking_back(self) -> bool:
        return self.take_back.data == "1"


class StartForm(TafelForm):
    # Sent by the "Yes, start now" button, after a start long before the meeting's date.
    sure = BooleanField()


class MoveForm(TafelForm):
    direction = SelectField(choices=[("up", ""), ("down", "")])


class ProvisionalForm(TafelForm):
    """The chair's answer to a provisional decision of the meeting before: confirm it, or
    talk about it again in a new round."""

    proposal = StringField()
    do = SelectField(choices=[("confirm", ""), ("reopen", "")])

    def proposal_id(self) -> int | None:
        return posted_id(self.proposal.data)


class OverrideForm(TafelForm):
    chair = _person_choice(lazy_gettext("Chair"))
    chair_duo = _person_choice(lazy_gettext("Chairs together with (duo, optional)"), default=0)
    minute_taker = _person_choice(lazy_gettext("Minute-taker"))
    reason = TextAreaField(
        lazy_gettext("Why do you change the rota?"),
        [
            validators.InputRequired(message=lazy_gettext("Write the reason.")),
            validators.Length(max=1000, message=lazy_gettext("Use at most 1000 characters.")),
        ],
    )

    def validate_for(self, meeting, members: set[int]) -> bool:
        """Valid, and the three are different active members at a meeting not closed."""
        if not self.validate():
            return False
        for field in (self.chair, self.chair_duo, self.minute_taker):
            if _unreadable(field):
                return _fail(field, _("Choose active members of the project."))
        chair, duo, taker = self.chosen()
        if chair and chair == taker:
            return _fail(self.minute_taker, _("The minute-taker cannot also be the chair."))
        if duo and duo in (chair, taker):
            return _fail(self.chair_duo, _("Choose someone else to chair together with."))
        if any(p and p not in members for p in (chair, duo, taker)):
            return _fail(self.chair, _("Choose active members of the project."))
        if meeting.state == "closed":
            return _fail(self.chair, _("The meeting is closed."))
        return True

    def chosen(self) -> tuple:
        """(chair, duo, minute-taker), None for nobody."""
        return self.chair.data or None, self.chair_duo.data or None, self.minute_taker.data or None


class DuoForm(TafelForm):
    chair_duo = _person_choice(lazy_gettext("Chair together with"), default=0)

    def validate_for(self, meeting, members: set[int]) -> bool:
        """Valid, and the duo (if any) is another active member at a meeting not closed."""
        if not self.validate():
            return False
        duo = self.chair_duo.data or None
        taken = (meeting.chair_id, meeting.minute_taker_id)
        if _unreadable(self.chair_duo) or (duo and (duo not in members or duo in taken)):
            return _fail(self.chair_duo, _("Choose someone else to chair together with."))
        if meeting.state == "closed":
            return _fail(self.chair_duo, _("The meeting is closed."))
        return True


class SwapForm(TafelForm):
    role = SelectField(lazy_gettext("Which turn"), choices=[(k, "") for k in vocabulary.TURN_ROLES])
    asked_to = _person_choice(lazy_gettext("Ask"))

    def validate_for(self, meeting, members: set[int], person_id) -> bool:
        """Valid, the turn is the person's own at a meeting not started, and they ask another
        active member."""
        if not self.validate():
            return False
        mine = meeting.chair_id if self.role.data == "chair" else meeting.minute_taker_id
        if mine != person_id or meeting.state != "planned":
            return _fail(
                self.role, _("You can only swap your own turn at a meeting that has not started.")
            )
        if self.asked_to.data not in members or self.asked_to.data == person_id:
            return _fail(self.asked_to, _("Choose another active member of the project."))
        return True


class SwapAnswerForm(TafelForm):
    answer = SelectField(choices=[("accept", ""), ("decline", "")])


class SignalForm(TafelForm):
    kind = RadioField(
        lazy_gettext("Is it an idea or a problem?"),
        choices=[(k, "") for k in vocabulary.SIGNAL_KINDS],
        default="idea",
    )
    text = TextAreaField(
        lazy_gettext("Tell us"),
        [
            validators.InputRequired(message=lazy_gettext("Write your idea or problem.")),
            validators.Length(max=4000, message=lazy_gettext("Use at most 4000 characters.")),
        ],
    )
    anonymous = BooleanField(lazy_gettext("Do not show my name to other members"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = [(k, str(v)) for k, v in words()["signal_kinds"].items()]


class AnswerForm(TafelForm):
    status = SelectField(lazy_gettext("Status"), choices=[])
    answer = TextAreaField(
        lazy_gettext("Answer"),
        [
            validators.InputRequired(message=lazy_gettext("Write an answer.")),
            validators.Length(max=4000, message=lazy_gettext("Use at most 4000 characters.")),
        ],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.status.choices = [(k, str(v)) for k, v in words()["signal_statuses"].items()]

    def validate_answer(self, field):
        field.data = (field.data or "").strip()
        if self.status.data == "not_possible" and len(field.data) < 10:
            raise validators.ValidationError(_("Explain in a sentence why it is not possible."))


class SuccessForm(TafelForm):
    text = StringField(
        lazy_gettext("What went well?"),
        [
            validators.InputRequired(message=lazy_gettext("Write what went well.")),
            validators.Length(max=300, message=lazy_gettext("Use at most 300 characters.")),
        ],
    )


# The query strings of the area's GET pages, read through forms like posted data
# (`bind_query`); where a list starts is read by `page_params`.


class DecisionSearchForm(TafelForm):
    # ?q=: the register's search, at most 100 characters.
    q = StringField()

    def text(self) -> str:
        return (self.q.data or "").strip()[:100]


class DownloadForm(TafelForm):
    # ?excel=1: the file for Dutch Excel (DATA-EXCHANGE.md).
    excel = StringField()

    def for_excel(self) -> bool:
        return self.excel.data == "1"
