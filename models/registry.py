"""Every model in dependency order: what migrations must build and what the schema test checks.

Each area lists its own tables (`models.<area>.MODELS`); core's tables and the audit log are
named here.
"""

from models import accounts, budget, meetings, news, people
from models.accounts.audit import AuditEntry
from models.organisation import Announcement, Organisation, Project
from models.person import Person

MODELS = [
    Person,
    Organisation,
    Project,
    Announcement,
    *(model for model in people.MODELS if model is not Person),
    *accounts.MODELS,
    AuditEntry,
    *news.MODELS,
    *meetings.MODELS,
    *budget.MODELS,  # a planned change points at a decision (a proposal)
]
