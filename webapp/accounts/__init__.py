"""Accounts and access: links, rights, the audit log, my account, removals."""

from webapp.accounts import account, audit, links, removals, rights

routes = [*links.routes, *rights.routes, *audit.routes, *account.routes, *removals.routes]
