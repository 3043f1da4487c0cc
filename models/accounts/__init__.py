"""The accounts area: accounts, rights, sessions, login counters and one-time links.

The capabilities are modules of their own: passwords, throttle (login counters), links
(invites and new-password links), calendar_feed (the private calendar address), rights,
privacy (my data and the erasure), removal (asking for, starting and confirming a removal),
audit_log (the audit page's lines) and setup (the first run).
"""

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
