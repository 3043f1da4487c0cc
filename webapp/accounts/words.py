"""Screen texts of the accounts area used by more than one route: rights, audit actions and
the model's refusals."""

from models.rules.errors import RuleError
from webapp.i18n import _, lazy_gettext, ngettext

RIGHT_LABELS = {
    "admin": lazy_gettext("Administrator"),
    "coordinator": lazy_gettext("Coordinator"),
    "treasurer": lazy_gettext("Treasurer"),
    "privacy": lazy_gettext("Privacy right"),
}

# Plain words for the audit log's actions of this area; other actions show their code.
ACTION_LABELS = {
    "account.create": lazy_gettext("Made an account"),
    "account.reset_password": lazy_gettext("Chose a new password with a link"),
    "account.change_password": lazy_gettext("Changed their password"),
    "link.invite": lazy_gettext("Made an invite link"),
    "link.reset": lazy_gettext("Made a new-password link"),
    "right.grant": lazy_gettext("Gave a right"),
    "right.withdraw": lazy_gettext("Withdrew a right"),
    "person.create": lazy_gettext("Added a person"),
    "person.ask_removal": lazy_gettext("Asked to be removed"),
    "person.erase": lazy_gettext("Removed a person"),
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
