"""Every model in dependency order: what migrations must build and what the schema test checks."""

from models.accounts import Account, Grant, UserSession
from models.accounts.tables import AccessLink, LoginThrottle
from models.audit import AuditEntry
from models.budget import (
    BudgetYear,
    Claim,
    LedgerEntry,
    LedgerImport,
    PlannedChange,
    Post,
    SubBudget,
)
from models.growth import CommitteeSeat, Conversation, StepChange, Vacancy, VacancyInterest
from models.meetings import MODELS as MEETING_MODELS
from models.organisation import Announcement, Organisation, Project
from models.people import Membership, RoleStep
from models.person import Person

MODELS = [
    Person,
    Organisation,
    Project,
    Announcement,
    RoleStep,
    Membership,
    Account,
    Grant,
    UserSession,
    AuditEntry,
    LoginThrottle,
    AccessLink,
    StepChange,
    Conversation,
    Vacancy,
    VacancyInterest,
    CommitteeSeat,
    BudgetYear,
    Post,
    SubBudget,
    Claim,
    LedgerEntry,
    PlannedChange,
    LedgerImport,
    *MEETING_MODELS,
]
