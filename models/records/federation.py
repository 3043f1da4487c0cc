"""The federation administrator (issue 24.4): an account of the installation's first
organisation holding the right "federation" sees the federation page (webapp/core/
federation_page.py) and adds, suspends or resumes organisations there.

The right is given by `tafel org admin USERNAME` only, never on an organisation's rights page
(it is not among models.accounts.tables.RIGHTS, the choices of that page), and counts only on
the first organisation's host: a grant in any other organisation gives nothing.
"""

from models import tenancy
from models.accounts import audit
from models.accounts.tables import Account, Grant
from models.db import database, lowered
from models.organisation import Organisation
from models.paging import Page
from models.records.organisations import (
    Overview,
    add_organisation,
    federation_overview,
    set_suspended,
)
from models.rules.errors import RuleError
from models.words import Text

FEDERATION = "federation"
PAGE_SIZE = 20

NO_FEDERATION = Text("This installation has no organisation yet.")
NO_ACCOUNT = Text("The first organisation has no account with the username {username}.")
HOME_STAYS = Text(
    "This is the installation's own organisation, where this page lives: it cannot be "
    "suspended here."
)
UNKNOWN_ORGANISATION = Text("This organisation does not exist (any more).")


def home() -> tenancy.Entry:
    """The installation's first organisation (its home)."""
    first = tenancy.directory.first()
    if first is None:
        raise RuleError(NO_FEDERATION)
    return first


def on_home() -> bool:
    """Whether the work at hand is for the installation's first organisation."""
    first = tenancy.directory.first()
    return first is not None and tenancy.current_id() == first.id


def set_federation_right(username: str, holds: bool = True) -> str:
    """Give (or withdraw) the federation right to the first organisation's account with this
    username; returns the username as stored. Nothing changes when it holds it already."""
    first = home()
    with tenancy.working_for(first.id), database.connection_context(), database.atomic():
        account = Account.get_or_none(lowered(Account.username) == username.strip().lower())
        if account is None:
            raise RuleError(NO_ACCOUNT, username=username.strip())
        grant = Grant.get_or_none(
            (Grant.account == account.id) & (Grant.right == FEDERATION) & Grant.project.is_null()
        )
        if holds and grant is None:
            grant = Grant.create(account=account.id, right=FEDERATION, project=None)
            audit.record(None, "right.grant", grant, person=account.person_id,
                         after={"right": FEDERATION, "username": account.username})  # fmt: skip
        elif not holds and grant is not None:
            grant.delete_instance()
            audit.record(None, "right.withdraw", grant, person=account.person_id,
                         before={"right": FEDERATION, "username": account.username})  # fmt: skip
        return account.username


def federation_page(after: int | None = None, before: int | None = None) -> Page:
    """A page of PAGE_SIZE organisations (by id) with their Overview: the directory is in the
    process, and each organisation shown costs the same few queries (Overview)."""
    entries = tenancy.directory.entries(fresh=True)
    if after is not None:
        chosen = [e for e in entries if e.id > after][: PAGE_SIZE + 1]
        more_before, more_after = True, len(chosen) > PAGE_SIZE
        chosen = chosen[:PAGE_SIZE]
    elif before is not None:
        earlier = [e for e in entries if e.id < before]
        chosen = earlier[-PAGE_SIZE:]
        more_before, more_after = len(earlier) > PAGE_SIZE, True
    else:
        chosen = entries[: PAGE_SIZE + 1]
        more_before, more_after = False, len(chosen) > PAGE_SIZE
        chosen = chosen[:PAGE_SIZE]
    rows: list[Overview] = federation_overview(chosen) if chosen else []
    return Page(
        rows=rows,
        newer=chosen[0].id if chosen and more_before else None,
        older=chosen[-1].id if chosen and more_after else None,
        restart=not chosen and (after is not None or before is not None),
    )


def add(actor: int, name: str, host: str) -> tuple[int, str]:
    """A new organisation on its own host, as `tafel org add "Naam" --host HOST` makes it:
    its first administrator writes their own name on opening the invite. Returns its id and
    the invite's token (shown once). All or nothing, the line `organisation.add` in the home's
    audit log included (organisations.add_organisation)."""
    organisation_id, _link, token = add_organisation(name, host, by_account=actor)
    return organisation_id, token


def suspend(actor: int, organisation_id: int, suspended: bool) -> None:
    """Suspend an organisation (its host answers "not here"; nothing is deleted) or let it
    answer again, as `tafel org suspend/resume` do; written in the home's audit log. The home
    itself is never suspended here (the page would be gone with it)."""
    entry = next(
        (e for e in tenancy.directory.entries(fresh=True) if e.id == organisation_id), None
    )
    if entry is None:
        raise RuleError(UNKNOWN_ORGANISATION)
    if entry.id == home().id:
        if not suspended:
            return
        raise RuleError(HOME_STAYS)
    if entry.suspended == suspended:
        return
    set_suspended(entry.host, suspended)
    with database.atomic():
        audit.record(
            actor,
            "organisation.suspend" if suspended else "organisation.resume",
            Organisation(id=entry.id),
            after={"host": entry.host, "name": entry.name},
        )
