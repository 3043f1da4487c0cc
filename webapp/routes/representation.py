"""Moved to webapp/people/representation.py; the lead removes this shim."""

from webapp.people.representation import banner_for_project  # noqa: F401
