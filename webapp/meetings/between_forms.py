"""The form of a proposal between meetings (models/meetings/between.py): a title, the text and
the closing moment, which a person gives as a date and a time in Dutch time (stored naive UTC)."""

import datetime as dt

from wtforms import StringField, TextAreaField, TimeField, validators

from models.clock import AMSTERDAM, exists_here, now
from models.meetings.between import LONGEST_OPEN, SHORTEST_OPEN, default_closing
from webapp.forms import BoundedDateField, TafelForm
from webapp.i18n import _, lazy_gettext
from webapp.meetings.change_forms import no_such_time


def _fail(field, message) -> bool:
    field.errors = [message]
    return False


class BetweenForm(TafelForm):
    title = StringField(
        lazy_gettext("Title"),
        [
            validators.InputRequired(message=lazy_gettext("Write a short title.")),
            validators.Length(max=200, message=lazy_gettext("Use at most 200 characters.")),
        ],
    )
    text = TextAreaField(
        lazy_gettext("Proposal"),
        [
            validators.InputRequired(message=lazy_gettext("Write the proposal.")),
            validators.Length(max=4000, message=lazy_gettext("Use at most 4000 characters.")),
        ],
    )
    close_date = BoundedDateField(
        lazy_gettext("Closes on"),
        [validators.InputRequired(message=lazy_gettext("Choose a date."))],
    )
    close_time = TimeField(
        lazy_gettext("At (time)"),
        [validators.InputRequired(message=lazy_gettext("Choose a time."))],
    )

    @classmethod
    def fresh(cls) -> "BetweenForm":
        """An empty form closing a week from now (in Dutch time, to the minute)."""
        moment = default_closing().replace(tzinfo=dt.UTC).astimezone(AMSTERDAM)
        return cls(data={"close_date": moment.date(), "close_time": moment.time()})

    def closes_at(self) -> dt.datetime:
        """The closing moment as stored: naive UTC."""
        local = dt.datetime.combine(self.close_date.data, self.close_time.data, tzinfo=AMSTERDAM)
        return local.astimezone(dt.UTC).replace(tzinfo=None, second=0, microsecond=0)

    def validate_moment(self) -> bool:
        """Valid, with a closing moment at least 24 hours and at most three months away."""
        if not self.validate():
            return False
        for field in (self.title, self.text):
            field.data = field.data.strip()
            if not field.data:
                return _fail(field, _("Write more than spaces."))
        if not exists_here(self.close_date.data, self.close_time.data):
            return _fail(self.close_time, no_such_time())
        closes_at = self.closes_at()
        if closes_at < now() + SHORTEST_OPEN:
            return _fail(self.close_date, too_soon())
        if closes_at > now() + LONGEST_OPEN:
            return _fail(self.close_date, too_far())
        return True


def too_soon() -> str:
    return _("Choose a moment at least 24 hours from now, so everyone has time to answer.")


def too_far() -> str:
    return _("Choose a moment at most three months from now.")
