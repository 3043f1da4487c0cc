"""The job that cleans what ran out: sessions past their idle or absolute lifetime, and links
that were never used, ran out long ago and whose notice the person answered.

A request already forgets an expired session when its cookie comes back; this job forgets
the ones whose cookie never comes back (a closed laptop, a cleared browser), so the
`user_session` table holds only live sessions.

Which links go, and which stay (docs/deploy.md "Background jobs on several hosts"):
- A used link stays: it is the record of who made an account for whom, and it counts for
  the four-eyes rules until the owner takes the account back (models/accounts/trust.py).
- A link nobody used stays while its notice waits for the person's answer (every login
  shows it: models/accounts/links.py `link_notices`) or while they answered "this was not
  me" (the privacy page shows it).
- A link nobody used, that ran out more than LINK_RETENTION ago and that the person answered
  with "I used this link myself", tells nothing any more: it goes.
A person's removal deletes all their links at once (models/records/privacy.py).

Exactly once on any number of hosts: each run deletes in one transaction, and on PostgreSQL
it takes only rows no other run holds (`FOR UPDATE SKIP LOCKED`), so two hosts that clean at
the same moment never wait for each other and never count a row twice. On SQLite the
transaction begins IMMEDIATE, so runs go one after another.
"""

import datetime as dt

from models.accounts.tables import AccessLink, UserSession
from models.db import database, is_sqlite
from models.jobs import job

# How long a link nobody used is kept after it ran out (the "links made for you" page and
# the audit log tell about it meanwhile).
LINK_RETENTION = dt.timedelta(days=30)

# The sessions' lifetimes; the server sets them from its settings (webapp/app.py), these are
# the settings' defaults (TAFEL_SESSION_IDLE_MINUTES, TAFEL_SESSION_MAX_HOURS).
_lifetimes = {"idle": dt.timedelta(minutes=240), "longest": dt.timedelta(hours=24 * 14)}


def keep_sessions(idle: dt.timedelta, longest: dt.timedelta) -> None:
    """The lifetimes after which the job forgets a session (the same as a request uses)."""
    _lifetimes.update(idle=idle, longest=longest)


def _delete(model, condition) -> int:
    ids = model.select(model.id).where(condition)
    if not is_sqlite():
        ids = ids.for_update("FOR UPDATE SKIP LOCKED")
    return model.delete().where(model.id.in_(ids)).execute()


@job("clean-sessions-links")
def clean(moment: dt.datetime) -> int:
    """Forget the sessions and links that ran out (see above); how many rows this run took."""
    idle, longest = _lifetimes["idle"], _lifetimes["longest"]
    with database.atomic():
        sessions = _delete(
            UserSession,
            (UserSession.last_seen_at < moment - idle)
            | (UserSession.created_at < moment - longest),
        )
        links = _delete(
            AccessLink,
            AccessLink.used_at.is_null()
            & (AccessLink.expires_at < moment - LINK_RETENTION)
            & (AccessLink.answer == "mine"),
        )
    return sessions + links
