"""Moved to models/people/ (tables.py, growth.py); the lead removes this shim."""

from models.people.growth import change_membership, kind_of_change, start_membership  # noqa: F401
from models.people.tables import (  # noqa: F401
    CHANGE_KINDS,
    VACANCY_STATES,
    CommitteeSeat,
    Conversation,
    StepChange,
    Vacancy,
    VacancyInterest,
)
