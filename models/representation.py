"""Moved to models/people/representation.py and whatif.py; the lead removes this shim."""

from models.people.representation import failing_groups, representation_report  # noqa: F401
from models.people.whatif import simulate  # noqa: F401
