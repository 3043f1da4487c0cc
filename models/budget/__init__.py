"""The transparent budget: years, posts, sub-budgets, an append-only ledger and claims.

tables.py holds the peewee models; summary.py the year's totals; ledger.py booking and
corrections (and who may see who was reimbursed); claims.py claims with the four-eyes rule;
plan.py posts, sub-budgets and planned amounts; receipts.py the stored receipts; exchange.py
the budget files.
"""

from models.budget.ledger import book, check_sign, reverse
from models.budget.summary import Summary, Totals, latest_year, summary
from models.budget.tables import (
    CLAIM_KINDS,
    ENTRY_KINDS,
    MAX_KM,
    MODELS,
    BudgetError,
    BudgetYear,
    Claim,
    LedgerEntry,
    LedgerImport,
    PlannedChange,
    Post,
    SubBudget,
)

__all__ = [
    "CLAIM_KINDS",
    "ENTRY_KINDS",
    "MAX_KM",
    "MODELS",
    "BudgetError",
    "BudgetYear",
    "Claim",
    "LedgerEntry",
    "LedgerImport",
    "PlannedChange",
    "Post",
    "SubBudget",
    "Summary",
    "Totals",
    "book",
    "check_sign",
    "reverse",
    "latest_year",
    "summary",
]
