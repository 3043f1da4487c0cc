"""The transparent budget: the year's summary, posts and sub-budgets, the ledger, planned
amounts, claims and budget files. `routes` in the order they are matched."""

from webapp.budget import claims, files, ledger, overview, plan

routes = [*overview.routes, *ledger.routes, *plan.routes, *claims.routes, *files.routes]
