"""Rights: an administrator grants and withdraws them; there is always an administrator left."""

from peewee import fn

from models.accounts import audit
from models.accounts.tables import Account, Grant
from models.accounts.trust import makers_holding
from models.db import database, lowered
from models.organisation import Project
from models.paging import keyset_page
from models.person import SEARCH_LIMIT, Person, holds
from models.rules.errors import RuleError
from models.words import Text

LAST_ADMIN = Text("This is the last administrator. First make someone else administrator.")
HELD_ACCOUNT = Text(
    "A link made by someone else still holds this account. First the person takes their "
    "account back, in person; then give the right."
)


def rights_overview(after: int | None = None, before: int | None = None) -> dict:
    """A page of the accounts that hold a right, by name (issue 13: not every account),
    their grants per account id, and the projects."""
    holders = (
        Account.select(Account, Person)
        .join(Person)
        .where(Account.id.in_(Grant.select(Grant.account)))
    )
    keys = lambda a: [fn.COALESCE(Person.display_name, ""), a.id]  # noqa: E731
    page = keyset_page(holders, keys, Account, after=after, before=before, descending=False)
    return {
        "accounts": page,
        "grants": Grant.by_account(account_ids=[a.id for a in page]),
        "projects": list(Project.by_name()),
    }


def names_holding(right: str) -> list[str]:
    """The names of the people who hold a right for the whole organisation, by name (one
    query): whom to ask, for a page that says so."""
    query = (
        Person.select(Person.display_name)
        .join(Account)
        .join(Grant, on=(Grant.account == Account.id))
        .where((Grant.right == right) & Grant.project.is_null() & Person.erased_at.is_null())
        .order_by(Person.display_name)
        .distinct()
    )
    return [name for (name,) in query.tuples() if name]


def accounts_matching(search: str, account_id: int | None = None) -> list[Account]:
    """Accounts to give a right to: those whose person's name or username holds `search`
    (at most SEARCH_LIMIT, none for an empty search), or the one with `account_id`."""
    query = Account.select(Account.id, Account.username, Person.id, Person.display_name).join(
        Person
    )
    if account_id is not None:
        return list(query.where(Account.id == account_id))
    text = " ".join((search or "").split())[:80].lower()
    if not text:
        return []
    matching = Person.name_matches(text) | holds(lowered(Account.username), text)
    order = (fn.COALESCE(Person.display_name, ""), Account.id)
    return list(query.where(matching).order_by(*order).limit(SEARCH_LIMIT))


def grant_right(actor: int, account: Account, right: str, project_id: int | None) -> None:
    """Give the account a right (a coordinator's for one project, or the whole organisation
    when `project_id` is None); nothing changes when it holds it already. Refused
    (RuleError) while a link made by someone else holds the account: its maker could use
    the right as that person (models/accounts/trust.py)."""
    with database.atomic():
        if Grant.held(account.id, right, project_id):
            return
        if makers_holding(account.person_id):
            raise RuleError(HELD_ACCOUNT)
        grant = Grant.create(account=account.id, right=right, project=project_id, granted_by=actor)
        audit.record(
            actor,
            "right.grant",
            grant,
            project=project_id,
            person=account.person_id,
            after={"right": right, "username": account.username},
        )


def withdraw_right(actor: int, grant: Grant) -> None:
    """Withdraw a right (loaded with its account); refuses (RuleError) to withdraw the last
    administrator's."""
    with database.atomic():
        if grant.right == "admin" and Grant.administrators() <= 1:
            raise RuleError(LAST_ADMIN)
        grant.delete_instance()
        audit.record(
            actor,
            "right.withdraw",
            grant,
            project=grant.project_id,
            person=grant.account.person_id,
            before={"right": grant.right, "username": grant.account.username},
        )
