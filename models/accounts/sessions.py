"""Sessions: a signed-in browser holds a random key; the database keeps only its hash.

A session ends after a time without requests (idle) and after a fixed time however active
it is (absolute), so a stolen or forgotten cookie does not live for ever.
"""

import datetime as dt
import secrets

from peewee import Value

from models.accounts.tables import AccessLink, Account, Grant, UserSession
from models.clock import now
from models.person import Person
from models.sql_once import Prepared, Slot

# The marker of a maker's row in rights_of (no right is called this).
ACTS_FOR = "~acts_for"
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


# Every signed-in request's queries, their SQL built once (models/sql_once.py).
_SESSION = Prepared(
    lambda: (
        UserSession.select(UserSession, Account, Person)
        .join(Account)
        .join(Person)
        .where(UserSession.key_hash == Slot("key_hash"))
        .limit(1)
    )
)


def _rights(with_person: bool):
    grants = Grant.select(Grant.right, Grant.project).where(Grant.account == Slot("account"))
    if not with_person:
        return grants.tuples()
    maker = Account.alias()
    makers = (
        AccessLink.select(Value(ACTS_FOR).alias("right"), maker.person.alias("project"))
        .join(maker, on=(AccessLink.created_by == maker.id))
        .where(
            (AccessLink.person == Slot("person"))
            & AccessLink.used_at.is_null(False)
            & AccessLink.taken_back_at.is_null()
            & (maker.person != Slot("person"))
        )
    )
    return grants.union_all(makers).tuples()


_RIGHTS = {True: Prepared(lambda: _rights(True)), False: Prepared(lambda: _rights(False))}


def find(
    key: str, idle: dt.timedelta, longest: dt.timedelta, touch: bool = True
) -> tuple[str, UserSession | None]:
    """("ok", session with its account and person) for a live key, ("expired", None) for one
    that just ran out (and is forgotten now), ("unknown", None) otherwise.

    `touch=False` leaves the session's last-seen moment as it was: a quiet route (sending a
    concern, docs/rules.md "A quiet concern") leaves no activity stamp at its moment."""
    row = _SESSION.first(key_hash=UserSession.hash_key(key))
    if row is None:
        return "unknown", None
    moment = now()
    if moment - row.last_seen_at > idle or moment - row.created_at > longest:
        row.delete_instance()
        return "expired", None
    if touch and moment - row.last_seen_at > TOUCH_AFTER:
        UserSession.update(last_seen_at=moment).where(UserSession.id == row.id).execute()
    return "ok", row


def rights_of(account_id: int, person_id: int | None = None) -> tuple[set, set, set, set]:
    """(rights, ids of the projects coordinated, people the account acts for, ids of the
    projects the account is a trusted person for), in one query: "org_coordinator" for the
    organisation's coordinators, "trusted" for the organisation's trusted persons, the other
    rights by name; and the
    makers of a used link for the person's account that the owner has not taken back
    (models/accounts/trust.py `makers_holding`, folded in as rows of their own)."""
    rights, coordinates, acts_for, trusted_in = set(), set(), set(), set()
    rows = _RIGHTS[person_id is not None].rows(account=account_id, person=person_id)
    for right, project in rows:
        if right == ACTS_FOR:
            acts_for.add(project)
        elif right == "trusted" and project is not None:
            trusted_in.add(project)
        elif right != "coordinator":
            rights.add(right)
        elif project is None:
            rights.add("org_coordinator")
        else:
            coordinates.add(project)
    return rights, coordinates, acts_for, trusted_in
