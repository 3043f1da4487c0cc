"""Every model in dependency order: what migrations must build and what the schema test checks."""

from models.accounts import Account, Grant, UserSession
from models.audit import AuditEntry
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
    *MEETING_MODELS,
]
