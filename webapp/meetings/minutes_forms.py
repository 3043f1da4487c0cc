"""The forms of the minutes: the minute-taker's notes (general, and one text per agenda item)
on top of a version, approving, and comments or corrections."""

from wtforms import StringField, TextAreaField, validators

from webapp.forms import BoundedIntegerField, TafelForm, posted_id
from webapp.i18n import _, lazy_gettext
from webapp.templating import show_number

# The longest general notes Tafel keeps: a longer text is refused whole, never cut.
MINUTES_LENGTH = 100_000
# The longest notes on one agenda item.
ITEM_NOTES_LENGTH = 20_000
OUT_OF_DATE = "Nothing was saved: copy your text, reload the page and put it back."


def at_most(maximum: int):
    """A validator: the text (None read as empty) has at most `maximum` characters."""

    def check(form, field):
        field.data = field.data or ""
        if len(field.data) > maximum:
            raise validators.ValidationError(
                _(
                    "Use at most %(maximum)s characters; this text has %(length)s. "
                    "Nothing was saved.",
                    maximum=show_number(maximum),
                    length=show_number(len(field.data)),
                )
            )

    return check


class MinutesForm(TafelForm):
    """The general notes and the version the writer started from; `for_items` adds a notes
    field per agenda item (`item_<id>`)."""

    text = TextAreaField(lazy_gettext("General notes"), [at_most(MINUTES_LENGTH)])
    # The version the writer started from (a hidden field): a stale one is a conflict.
    version = BoundedIntegerField(
        lazy_gettext("Version"),
        [validators.InputRequired(message=lazy_gettext("This page is out of date."))],
        message=lazy_gettext("This page is out of date."),
    )

    @classmethod
    def for_items(cls, item_ids) -> type["MinutesForm"]:
        """The form with a notes field for each of these agenda items (of the meeting whose
        minutes these are: a posted field for any other item is not read)."""
        fields = {
            f"item_{item_id}": TextAreaField(
                lazy_gettext("Notes on this item"), [at_most(ITEM_NOTES_LENGTH)]
            )
            for item_id in item_ids
        }
        return type("MinutesItemsForm", (cls,), fields)

    def item_fields(self) -> dict[int, object]:
        """The notes fields per agenda item id."""
        return {
            int(name[len("item_") :]): field
            for name, field in self._fields.items()
            if name.startswith("item_")
        }

    def item_notes(self) -> dict[int, str]:
        """The posted notes per agenda item; an item whose field was not sent is left out
        (so it keeps what it has)."""
        return {
            item_id: field.data or ""
            for item_id, field in self.item_fields().items()
            if field.raw_data
        }

    def first_error(self) -> str | None:
        """The first sentence saying why the texts were refused (not the version's)."""
        for name, field in self._fields.items():
            if name != "version" and field.errors:
                return field.errors[0]
        return None


class ApproveForm(TafelForm):
    # Empty: "no objections"; else the id of the decision that approved the minutes.
    proposal = StringField()

    def decision(self) -> tuple[bool, int | None]:
        """(whether a decision was named, its id when it is one)."""
        raw = self.proposal.data or ""
        return bool(raw), posted_id(raw)


class NoteForm(TafelForm):
    text = TextAreaField(
        lazy_gettext("Your note"),
        [
            validators.InputRequired(message=lazy_gettext("Write your note.")),
            validators.Length(max=4000, message=lazy_gettext("Use at most 4000 characters.")),
        ],
    )
