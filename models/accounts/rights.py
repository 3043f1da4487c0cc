"""Rights: an administrator grants and withdraws them; there is always an administrator left."""

from models import audit
from models.accounts.tables import Account, Grant
from models.organisation import Project
from models.rules.errors import RuleError

LAST_ADMIN = "This is the last administrator. First make someone else administrator."


def rights_overview() -> dict:
    """Every account with its person, their grants per account id, and the projects."""
    return {
        "accounts": Account.everyone(),
        "grants": Grant.by_account(),
        "projects": list(Project.by_name()),
    }


def grant_right(actor: int, account: Account, right: str, project_id: int | None) -> None:
    """Give the account a right (a coordinator's for one project, or the whole organisation
    when `project_id` is None); nothing changes when it holds it already. Call inside a
    transaction."""
    if Grant.held(account.id, right, project_id):
        return
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
    administrator's. Call inside a transaction."""
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
