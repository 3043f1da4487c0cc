"""Accounts and access: logging in and the language, links, rights, the audit log, my
account, removals."""

from webapp.accounts import account, audit, links, login, removals, rights, trust

routes = [
    *login.routes,
    *links.routes,
    *rights.routes,
    *audit.routes,
    *account.routes,
    *removals.routes,
    *trust.routes,
]
