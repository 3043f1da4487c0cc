"""The forms of moving, cancelling and adding a meeting (webapp/meetings/changes.py)."""

from wtforms import StringField, TextAreaField, TimeField, validators

from models.clock import exists_here
from webapp.forms import BoundedDateField, Name, TafelForm
from webapp.i18n import _, lazy_gettext


def no_such_time() -> str:
    """The sentence for a time the clocks skip (models/clock.py `exists_here`)."""
    return _(
        "This time does not exist on that day: the clocks go forward an hour. Choose another time."
    )


class MeetingMomentForm(TafelForm):
    """When and where a meeting is: to move one, or to add an extra one."""

    date = BoundedDateField(
        lazy_gettext("Date"), [validators.InputRequired(message=lazy_gettext("Choose a date."))]
    )
    time = TimeField(
        lazy_gettext("Time (optional)"),
        [validators.Optional()],
        render_kw={"step": "60"},
    )
    place = StringField(
        lazy_gettext("Place"),
        [Name(), validators.Length(max=200, message=lazy_gettext("Use at most 200 characters."))],
    )

    def validate_time(self, field):
        if field.data and self.date.data and not exists_here(self.date.data, field.data):
            raise validators.StopValidation(no_such_time())


class CancelForm(TafelForm):
    reason = TextAreaField(
        lazy_gettext("Why is the meeting cancelled?"),
        [
            validators.InputRequired(message=lazy_gettext("Write why the meeting is cancelled.")),
            validators.Length(max=500, message=lazy_gettext("Use at most 500 characters.")),
        ],
    )
