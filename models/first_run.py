"""Moved to models/accounts/setup.py; the lead removes this shim."""

from models.accounts.setup import (  # noqa: F401
    FIRST_ADMIN_RIGHTS,
    clean_name,
    has_accounts,
    has_administrator,
    needs_first_project,
    set_up,
)
