"""Accounts and access: logging in, links, rights, the audit log, my data."""

from webapp.routes import accounts

routes = accounts.routes
