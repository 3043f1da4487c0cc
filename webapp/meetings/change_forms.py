"""The forms of moving, cancelling and adding a meeting (webapp/meetings/changes.py)."""

from wtforms import StringField, TextAreaField, TimeField, validators

from webapp.forms import BoundedDateField, Name, TafelForm
from webapp.i18n import lazy_gettext


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


class CancelForm(TafelForm):
    reason = TextAreaField(
        lazy_gettext("Why is the meeting cancelled?"),
        [
            validators.InputRequired(message=lazy_gettext("Write why the meeting is cancelled.")),
            validators.Length(max=500, message=lazy_gettext("Use at most 500 characters.")),
        ],
    )
