"""The transparent budget: posts, sub-budgets, the ledger, claims, budget files."""

from webapp.routes import budget

routes = budget.routes
