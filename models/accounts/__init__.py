"""The accounts area: accounts, rights, sessions, login counters and one-time links.

It is the bottom area every other area may import (every area writes audit lines, and an
audit line points at an account), so nothing here imports people, meetings or budget: what
gathers across areas (my data and the erasure, removal, reading the audit log, the first run,
whom a coordinator may make a link for) is in models/records/, above them all.

The capabilities are modules of their own: passwords, throttle (login counters), login
(signing in and out), sessions, links (invites and new-password links), trust (whose link an
account holds), calendar_feed (the private calendar address), rights and audit (writing the
audit log).
"""

from models.accounts import cleanup  # noqa: F401 - registers the job clean-sessions-links
from models.accounts.tables import (
    MODELS,
    RIGHTS,
    AccessLink,
    Account,
    CalendarFeed,
    Grant,
    LoginThrottle,
    RemovalRequest,
    UserSession,
)

__all__ = [
    "MODELS",
    "RIGHTS",
    "AccessLink",
    "Account",
    "CalendarFeed",
    "Grant",
    "LoginThrottle",
    "RemovalRequest",
    "UserSession",
]
