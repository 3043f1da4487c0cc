"""Who may use the budget's routes (PRODUCT.md "Budget").

Everyone with an active or paused membership of any project, every coordinator, the
treasurer and administrators see the whole budget and every ledger line. Managers of a
sub-budget book on it and decide its claims; the treasurer books anywhere and pays claims;
planned amounts change with a meeting's decision or the treasurer's proposal that a
coordinator approves.

A rule about one object (a post, sub-budget, entry, claim or planned change) loads it once
with `target`: its test gets the object, and the handler finds it as `request.state.target`.
"""

from models.budget import claims, ledger, plan
from models.budget.tables import Claim, LedgerEntry, PlannedChange, Post, SubBudget
from webapp.access import Permission, target


def sees_budget(viewer) -> bool:
    """Every active member of any project, coordinators, the treasurer, administrators."""
    return (
        bool(viewer.member_of)
        or viewer.is_treasurer
        or viewer.is_any_coordinator
        or viewer.is_admin
    )


def manages(viewer, sub: SubBudget) -> bool:
    """The manager of this sub-budget, or the treasurer."""
    return viewer.is_treasurer or (
        viewer.person_id is not None and sub.manager_id == viewer.person_id
    )


def _sees_receipt(viewer, entry: LedgerEntry) -> bool:
    if entry.kind == "reimbursement":  # a claim's receipt may show who was reimbursed
        return ledger.may_know_who(viewer, entry.manager_ref)
    return sees_budget(viewer)


def _planner(viewer) -> bool:
    return viewer.is_treasurer or viewer.is_org_coordinator


POST = target(Post.with_year, "post_id")
SUB_BUDGET = target(SubBudget.with_post, "sub_budget_id")
ENTRY = target(LedgerEntry.with_manager, "entry_id")
CLAIM = target(Claim.with_names, "claim_id")
CHANGE = target(PlannedChange.numbered, "change_id")

BUDGET_VIEWER = Permission(
    "member of any project, coordinator or treasurer", lambda v, p: sees_budget(v)
)
POST_VIEWER = Permission("sees the budget", lambda v, post: sees_budget(v), target=POST)
SUB_VIEWER = Permission("sees the budget", lambda v, sub: sees_budget(v), target=SUB_BUDGET)
SUB_MANAGER = Permission("manager of this sub-budget, or the treasurer", manages, target=SUB_BUDGET)
SUB_TREASURER = Permission("treasurer", lambda v, sub: v.is_treasurer, target=SUB_BUDGET)
POST_TREASURER = Permission("treasurer", lambda v, post: v.is_treasurer, target=POST)
ENTRY_MANAGER = Permission(
    "manager of the entry's sub-budget, or the treasurer",
    lambda v, entry: ledger.may_know_who(v, entry.manager_ref),
    target=ENTRY,
)
ENTRY_RECEIPT = Permission("may see this entry's receipt", _sees_receipt, target=ENTRY)
SUB_PLANNER = Permission(
    "treasurer or organisation coordinator", lambda v, sub: _planner(v), target=SUB_BUDGET
)
POST_PLANNER = Permission(
    "treasurer or organisation coordinator", lambda v, post: _planner(v), target=POST
)
CHANGE_APPROVER = Permission(
    "an organisation coordinator who did not propose the change", plan.may_approve, target=CHANGE
)
CLAIM_PARTY = Permission(
    "the claimant, the sub-budget's manager or the treasurer", claims.is_party, target=CLAIM
)
# Four eyes: the claimant never approves, rejects or pays their own claim.
CLAIM_DECIDER = Permission(
    "the sub-budget's manager or the treasurer, never the claimant",
    claims.may_decide,
    target=CLAIM,
)
CLAIM_PAYER = Permission("the treasurer, never the claimant", claims.may_pay, target=CLAIM)
CLAIM_OWNER = Permission("the claimant", claims.is_claimant, target=CLAIM)
