"""Access to the budget's routes for the four viewers.

The member (anouk) manages the sub-budgets "Papier en inkt" and "Reiskosten vrijwilligers";
the coordinator is an organisation coordinator; the other member (priya) is in another project.
Planned changes: the treasurer (not one of the four) proposes; the coordinator applies a change
with a decision, and approves or rejects the treasurer's proposal (the demo's, on "Gereedschap").
Receipts: the demo entry and claim have none, so those who may see them get 404.
"""

from models.budget import Claim, LedgerEntry, PlannedChange, Post, SubBudget
from models.person import Person

OK, LOGIN, NO, NONE = "ok", "login", 403, 404

#            anonymous, member (sub-budget manager), coordinator, other project's member
ACCESS = {
    "GET /budget": (LOGIN, OK, OK, OK),
    "GET /budget/posts/{post_id:int}": (LOGIN, OK, OK, OK),
    "GET /budget/sub-budgets/{sub_budget_id:int}": (LOGIN, OK, OK, OK),
    "POST /budget/sub-budgets/{sub_budget_id:int}/entries": (LOGIN, OK, NO, NO),
    "POST /budget/posts/{post_id:int}/entries": (LOGIN, NO, NO, NO),
    "POST /budget/entries/{entry_id:int}/reverse": (LOGIN, OK, NO, NO),
    "GET /budget/entries/{entry_id:int}/receipt": (LOGIN, NONE, NONE, NONE),
    "POST /budget/sub-budgets/{sub_budget_id:int}/planned": (LOGIN, NO, OK, NO),
    "POST /budget/posts/{post_id:int}/planned": (LOGIN, NO, OK, NO),
    "POST /budget/planned-changes/{change_id:int}/approve": (LOGIN, NO, OK, NO),
    "POST /budget/planned-changes/{change_id:int}/reject": (LOGIN, NO, OK, NO),
    "POST /budget/posts": (LOGIN, NO, NO, NO),
    "POST /budget/posts/{post_id:int}/sub-budgets": (LOGIN, NO, NO, NO),
    "POST /budget/sub-budgets/{sub_budget_id:int}/manager": (LOGIN, NO, NO, NO),
    "GET /budget/claims": (LOGIN, OK, OK, OK),
    "POST /budget/claims": (LOGIN, OK, OK, OK),
    "GET /budget/claims/{claim_id:int}": (LOGIN, OK, NO, NO),
    "GET /budget/claims/{claim_id:int}/receipt": (LOGIN, NONE, NO, NO),
    "POST /budget/claims/{claim_id:int}/approve": (LOGIN, OK, NO, NO),
    "POST /budget/claims/{claim_id:int}/reject": (LOGIN, OK, NO, NO),
    "POST /budget/claims/{claim_id:int}/pay": (LOGIN, NO, NO, NO),
    "POST /budget/claims/{claim_id:int}/withdraw": (LOGIN, NO, NO, NO),
    "GET /budget/files": (LOGIN, NO, NO, NO),
    "POST /budget/import/budget": (LOGIN, NO, NO, NO),
    "POST /budget/import/ledger": (LOGIN, NO, NO, NO),
    "GET /budget/export/ledger.csv": (LOGIN, OK, OK, OK),
    "GET /budget/export/budget.csv": (LOGIN, OK, OK, OK),
    "GET /budget/export/budget-summary.csv": (LOGIN, OK, OK, OK),
}


def _sub(name="Papier en inkt"):
    return SubBudget.get(SubBudget.name == name)


def _bram_claim():
    bram = Person.get(Person.display_name == "Bram")
    return Claim.get((Claim.claimant == bram) & (Claim.status == "submitted")).id


PARAMS = {
    "post_id": lambda: Post.get(Post.name == "Materialen").id,
    "sub_budget_id": lambda: _sub().id,
    "entry_id": lambda: (
        LedgerEntry.get((LedgerEntry.sub_budget == _sub()) & (LedgerEntry.kind == "spending")).id
    ),
    "change_id": lambda: PlannedChange.get(PlannedChange.status == "proposed").id,
    "claim_id": _bram_claim,
}
