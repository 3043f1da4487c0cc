"""A real organisation's first day: is this a fresh installation, and setting it up.

`tafel migrate` leaves the organisation's record and the default ladder (migration
0006_first_day); `tafel setup` names the organisation and invites its first administrator.
"""

from models.accounts import audit
from models.accounts.links import invite
from models.accounts.tables import AccessLink, Account, Grant
from models.clock import now
from models.db import database
from models.organisation import Organisation, Project
from models.people import RoleStep
from models.rules.errors import RuleError

# The first administrator manages the installation (accounts, rights, the ladder) and holds
# the privacy right: someone has to see the 51% counts and the client-background answers
# that members.csv brings in. Coordinating projects (planning meetings) is a separate right
# the administrator grants on /admin/rights, to someone else or to themselves.
FIRST_ADMIN_RIGHTS = ("admin", "privacy")

ORGANISATION_NAME_LENGTH = 120
PERSON_NAME_LENGTH = 80

BAD_ORGANISATION_NAME = "Give the organisation a name of 1 to {length} characters."
BAD_PERSON_NAME = "Give the administrator a name of 1 to {length} characters."
ALREADY_SET_UP = (
    "This organisation already has an administrator; use `tafel user add NAME --admin` to add one."
)


def clean_name(text: str | None) -> str:
    """A name with its spaces tidied (leading, trailing and doubled spaces removed)."""
    return " ".join((text or "").split())


def has_accounts() -> bool:
    """True once anyone can log in (a fresh installation has no accounts)."""
    return Account.any_exist()


def has_administrator() -> bool:
    """True when an account holds the administrator right."""
    return Grant.any_administrator()


def needs_first_project() -> bool:
    """True while the organisation has no projects yet."""
    return not Project.select().exists()


def set_up(organisation_name: str, admin_name: str | None) -> tuple[AccessLink, str, int]:
    """Name the organisation and invite its first administrator; returns the invite, its
    token and how many earlier links stopped working. Refuses (RuleError, nothing changed)
    once an administrator exists. `admin_name` None: the administrator writes their own name
    when they open the invite (`tafel org add` without --admin).

    One transaction. Running it again before the invite is used gives a new link:
    every earlier open administrator invite stops working, so only one is ever usable (the
    command says so: issue 22).
    """
    organisation_name = clean_name(organisation_name)
    if not organisation_name or len(organisation_name) > ORGANISATION_NAME_LENGTH:
        raise RuleError(BAD_ORGANISATION_NAME, length=ORGANISATION_NAME_LENGTH)
    if admin_name is not None:
        admin_name = clean_name(admin_name)
        if not admin_name or len(admin_name) > PERSON_NAME_LENGTH:
            raise RuleError(BAD_PERSON_NAME, length=PERSON_NAME_LENGTH)
    with database.atomic():
        if has_administrator():
            raise RuleError(ALREADY_SET_UP)
        organisation = Organisation.current()
        if organisation.name != organisation_name:
            before = {"name": organisation.name}
            organisation.name = organisation_name
            organisation.save()
            audit.record(
                None,
                "organisation.update",
                organisation,
                before=before,
                after={"name": organisation_name},
            )
        RoleStep.ensure_default()
        moment = now()
        ended = (
            AccessLink.update(expires_at=moment)
            .where(
                AccessLink.used_at.is_null()
                & AccessLink.rights.contains("admin")
                & (AccessLink.expires_at > moment)
            )
            .execute()
        )
        _person, link, token = invite(admin_name, FIRST_ADMIN_RIGHTS)
    return link, token, ended
