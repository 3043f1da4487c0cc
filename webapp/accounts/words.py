"""Screen texts of the accounts area used by more than one route: rights, the model's
refusals and the labels of the my-data page (the audit log's sentences are in
audit_words.py)."""

from models.rules.errors import RuleError
from webapp.budget.words import CLAIM_KIND_LABELS, CLAIM_STATUS_LABELS
from webapp.i18n import _, lazy_gettext, ngettext
from webapp.meetings.words import ACTION_STATUSES, SIGNAL_KINDS, SIGNAL_STATUSES, STANCES
from webapp.news.words import sentence as news_sentence
from webapp.people.words import BACKGROUND_LABELS, GROUP_LABELS, KIND_LABELS, STATUS_LABELS

RIGHT_LABELS = {
    "admin": lazy_gettext("Administrator"),
    "coordinator": lazy_gettext("Coordinator"),
    "treasurer": lazy_gettext("Treasurer"),
    "privacy": lazy_gettext("Privacy right"),
    # Receives quiet concerns (docs/rules.md "A quiet concern").
    "trusted": lazy_gettext("Trusted person"),
    # Given by `tafel org admin` only, never on this page (models/records/federation.py).
    "federation": lazy_gettext("Federation administrator"),
}

# The refusals of models/accounts (RuleError templates), named here so the catalog keeps them.
REFUSALS = (
    lazy_gettext("This is the last administrator. First make someone else administrator."),
    lazy_gettext(
        "A link made by someone else still holds this account. First the person takes their "
        "account back, in person; then give the right."
    ),
    lazy_gettext("This person did not ask to be removed."),
    lazy_gettext(
        "This person has an account. They can ask to be removed themselves, on My account."
    ),
    lazy_gettext("This person has already been removed."),
    lazy_gettext("A removal of this person has already been started. Look at it below."),
    lazy_gettext("This removal has been confirmed or cancelled meanwhile. Look below."),
    lazy_gettext("You started this removal yourself. Another coordinator has to confirm it."),
    lazy_gettext(
        "This account was opened or reset with a link you made. Someone else has to remove "
        "this person."
    ),
    lazy_gettext("This notice has been answered already."),
    lazy_gettext("This link does not wait for approval any more."),
    lazy_gettext("You made this link, or it is for you. Another administrator has to approve it."),
    lazy_gettext("This account is its owner's already: nobody else's link holds it."),
    lazy_gettext(
        "You made a link for this account, or it is yours. Someone else with the right has to "
        "confirm it."
    ),
)

NOTE_KINDS = {"comment": lazy_gettext("Comment"), "correction": lazy_gettext("Correction")}


def my_data_words() -> dict:
    """The labels the my-data page shows the stored values with (each area's own words)."""
    return {
        "right_labels": RIGHT_LABELS,
        "background_labels": BACKGROUND_LABELS,
        "group_labels": GROUP_LABELS,
        "kind_labels": KIND_LABELS,
        "status_labels": STATUS_LABELS,
        "stance_words": STANCES,
        "action_words": ACTION_STATUSES,
        "signal_kinds": SIGNAL_KINDS,
        "signal_statuses": SIGNAL_STATUSES,
        "note_kinds": NOTE_KINDS,
        "claim_kinds": CLAIM_KIND_LABELS,
        "claim_statuses": CLAIM_STATUS_LABELS,
        "news_sentence": news_sentence,
    }


def refusal(err: RuleError) -> str:
    """A model's refusal in the viewer's language."""
    return _(err.template).format(**err.params)


def wait_message(seconds: int) -> str:
    """The throttling message in plain words: how long to wait, rounded up to whole minutes."""
    if seconds < 60:
        return ngettext(
            "You typed a wrong password too often. Try again in %(num)s second.",
            "You typed a wrong password too often. Try again in %(num)s seconds.",
            seconds,
        )
    minutes = -(-seconds // 60)
    return ngettext(
        "You typed a wrong password too often. Try again in %(num)s minute.",
        "You typed a wrong password too often. Try again in %(num)s minutes.",
        minutes,
    )
