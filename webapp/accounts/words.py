"""Screen texts of the accounts area used by more than one route: rights and the model's
refusals (the audit log's sentences are in audit_words.py)."""

from models.rules.errors import RuleError
from webapp.i18n import _, lazy_gettext, ngettext

RIGHT_LABELS = {
    "admin": lazy_gettext("Administrator"),
    "coordinator": lazy_gettext("Coordinator"),
    "treasurer": lazy_gettext("Treasurer"),
    "privacy": lazy_gettext("Privacy right"),
}

# The refusals of models/accounts (RuleError templates), named here so the catalog keeps them.
REFUSALS = (
    lazy_gettext("This is the last administrator. First make someone else administrator."),
    lazy_gettext("This person did not ask to be removed."),
)


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
