"""Sessions: a signed-in browser holds a random key; the database keeps only its hash.

A session ends after a time without requests (idle) and after a fixed time however active
it is (absolute), so a stolen or forgotten cookie does not live for ever.
"""

import datetime as dt
import secrets

from models.accounts.tables import Account, Grant, UserSession
from models.clock import now
from models.person import Person

# How often a session's last-seen moment is written (not on every request).
TOUCH_AFTER = dt.timedelta(seconds=60)


def begin(account: Account, old_key: str | None = None) -> str:
    """A brand-new session for the account (an old key is forgotten); returns its key."""
    if old_key:
        end(old_key)
    key = secrets.token_urlsafe(32)
    UserSession.create(key_hash=UserSession.hash_key(key), account=account)
    return key


def end(key: str) -> None:
    """Forget the session with this key."""
    UserSession.delete().where(UserSession.key_hash == UserSession.hash_key(key)).execute()


def find(key: str, idle: dt.timedelta, longest: dt.timedelta) -> tuple[str, UserSession | None]:
    """("ok", session with its account and person) for a live key, ("expired", None) for one
    that just ran out (and is forgotten now), ("unknown", None) otherwise."""
    row = (
        UserSession.select(UserSession, Account, Person)
        .join(Account)
        .join(Person)
        .where(UserSession.key_hash == UserSession.hash_key(key))
        .first()
    )
    if row is None:
        return "unknown", None
    moment = now()
    if moment - row.last_seen_at > idle or moment - row.created_at > longest:
        row.delete_instance()
        return "expired", None
    if moment - row.last_seen_at > TOUCH_AFTER:
        UserSession.update(last_seen_at=moment).where(UserSession.id == row.id).execute()
    return "ok", row


def rights_of(account_id: int) -> tuple[set, set]:
    """(rights, ids of the projects coordinated): "org_coordinator" for the organisation's
    coordinators, the other rights by name."""
    rights, coordinates = set(), set()
    for grant in Grant.select(Grant.right, Grant.project).where(Grant.account == account_id):
        if grant.right != "coordinator":
            rights.add(grant.right)
        elif grant.project_id is None:
            rights.add("org_coordinator")
        else:
            coordinates.add(grant.project_id)
    return rights, coordinates
