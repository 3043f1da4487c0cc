"""The people area: persons, the ladder, memberships and their steps over time, development
conversations, the 51% check and vacancies.

Here: the area's tables and MODELS. The capabilities are modules of their own: growth
(start/change with the duo rule, the rota, the audit line), path, background, visibility
(who may see whom), overview, ladder, representation (the 51% report), whatif, vacancies and
exchange (members.csv, representation.csv).
"""

from models.people.checks import CheckRequest
from models.people.edge_watch import EdgeEvent
from models.people.kept_counts import ReportCount, ReportPerson
from models.people.tables import (
    BACKGROUND_ANSWERS,
    CHANGE_KINDS,
    DEFAULT_LADDER,
    LAYERS,
    ROLE_CATEGORIES,
    STATUSES,
    VACANCY_STATES,
    Conversation,
    Membership,
    Person,
    ReportVersion,
    RoleStep,
    StepChange,
)
from models.people.vacancy_tables import CommitteeSeat, Vacancy, VacancyInterest

# The area's tables in dependency order (Membership and Vacancy also point to core's Project).
MODELS = [
    Person,
    RoleStep,
    Membership,
    StepChange,
    Conversation,
    Vacancy,
    VacancyInterest,
    CommitteeSeat,
    ReportVersion,
    ReportCount,
    ReportPerson,
    EdgeEvent,
    CheckRequest,
]

__all__ = [
    "BACKGROUND_ANSWERS",
    "CHANGE_KINDS",
    "CheckRequest",
    "DEFAULT_LADDER",
    "LAYERS",
    "MODELS",
    "ROLE_CATEGORIES",
    "STATUSES",
    "VACANCY_STATES",
    "CommitteeSeat",
    "Conversation",
    "EdgeEvent",
    "Membership",
    "Person",
    "ReportVersion",
    "RoleStep",
    "StepChange",
    "Vacancy",
    "VacancyInterest",
]
