"""Moved to models/accounts/privacy.py; the lead removes this shim."""

from models.accounts.privacy import SECTIONS, extra_sections  # noqa: F401
