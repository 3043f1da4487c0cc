"""Login throttling and one-time links (invites and password resets) for people without email."""

import datetime as dt
import hashlib
import math
import secrets

from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField

from models import audit
from models.accounts import Account, Grant
from models.clock import now
from models.db import BaseModel, lock_for_update
from models.person import Person

# Throttling (issue "Accounts and access", Login): five free tries, then a wait that doubles
# from 30 seconds up to 15 minutes. A counter nobody touched for a day starts again at zero.
FREE_FAILURES = 5
FIRST_WAIT = dt.timedelta(seconds=30)
LONGEST_WAIT = dt.timedelta(minutes=15)
FORGET_AFTER = dt.timedelta(days=1)

LINK_LIFETIME = dt.timedelta(days=7)
LINK_KINDS = ("invite", "reset")


class LoginThrottle(BaseModel):
    """Failed logins for one username ("user:…") or one client address ("addr:…")."""

    key = CharField(max_length=120, unique=True)
    failures = IntegerField(default=0)
    last_failure_at = DateTimeField(default=now)
    locked_until = DateTimeField(null=True)


def wait_after(failures: int) -> dt.timedelta:
    """How long to wait after this many failures in a row (zero for the first few)."""
    if failures < FREE_FAILURES:
        return dt.timedelta(0)
    return min(FIRST_WAIT * 2 ** min(failures - FREE_FAILURES, 10), LONGEST_WAIT)


def throttle_keys(username: str, address: str | None) -> list[str]:
    """The counters one login attempt counts against."""
    return [f"user:{username[:100]}", f"addr:{(address or 'unknown')[:100]}"]


def seconds_to_wait(keys: list[str]) -> int:
    """Seconds until a login with these keys may be tried again (0: now)."""
    moment = now()
    longest = 0
    for row in LoginThrottle.select().where(LoginThrottle.key.in_(keys)):
        if row.locked_until and row.locked_until > moment:
            longest = max(longest, math.ceil((row.locked_until - moment).total_seconds()))
    return longest


def count_failure(keys: list[str]) -> None:
    """Count one failed login against each key (call inside a transaction)."""
    moment = now()
    # Counters untouched for a day are forgotten, so the table stays small.
    LoginThrottle.delete().where(LoginThrottle.last_failure_at < moment - FORGET_AFTER).execute()
    for key in keys:
        # Many people behind one address may fail at the same moment: the row is made if
        # missing (never twice) and locked, so no failure is lost and none ends in an error.
        LoginThrottle.insert(
            key=key, failures=0, last_failure_at=moment
        ).on_conflict_ignore().execute()
        row = lock_for_update(LoginThrottle.select().where(LoginThrottle.key == key)).get()
        if moment - row.last_failure_at > FORGET_AFTER:
            row.failures = 0
        row.failures += 1
        row.last_failure_at = moment
        wait = wait_after(row.failures)
        row.locked_until = moment + wait if wait else None
        row.save()


def clear_failures(key: str) -> None:
    """Forget the failures of one key (a username after a good login)."""
    LoginThrottle.delete().where(LoginThrottle.key == key).execute()


class AccessLink(BaseModel):
    """A one-time link to make an account (invite) or choose a new password (reset).

    Only the hash of the token is stored; the link itself is shown once to the coordinator.
    `rights` holds rights to grant when an invited person makes their account ("admin,...").
    """

    token_hash = CharField(max_length=64, unique=True)
    kind = CharField(max_length=8)
    person = ForeignKeyField(Person, backref="access_links", on_delete="CASCADE")
    created_by = ForeignKeyField(Account, null=True, on_delete="SET NULL")
    created_at = DateTimeField(default=now)
    expires_at = DateTimeField()
    used_at = DateTimeField(null=True)
    rights = CharField(max_length=60, default="")

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @property
    def usable(self) -> bool:
        return self.used_at is None and self.expires_at > now()

    @classmethod
    def find(cls, token: str):
        """The usable link with this token, or None."""
        link = (
            cls.select(cls, Person)
            .join(Person)
            .where(cls.token_hash == cls.hash_token(token or ""))
            .first()
        )
        return link if link is not None and link.usable else None


def make_link(person: Person, created_by=None, rights: tuple = ()) -> tuple[AccessLink, str]:
    """A new invite (no account yet) or reset link for the person; older open links stop working.

    Returns the link and its token (the token is not stored; call inside a transaction)."""
    has_account = Account.select().where(Account.person == person.id).exists()
    moment = now()
    AccessLink.update(expires_at=moment).where(
        (AccessLink.person == person.id) & AccessLink.used_at.is_null()
    ).execute()
    token = secrets.token_urlsafe(24)
    link = AccessLink.create(
        token_hash=AccessLink.hash_token(token),
        kind="reset" if has_account else "invite",
        person=person,
        created_by=created_by,
        created_at=moment,
        expires_at=moment + LINK_LIFETIME,
        rights=",".join(rights),
    )
    return link, token


def invite(name: str, rights: tuple = ()) -> tuple[Person, AccessLink, str]:
    """The person called `name` (made when missing) and a new one-time link for them.

    Someone without an account gets an invite that grants `rights` when they make their
    account; someone with an account gets the rights now and a new-password link. Every
    change is in the audit log; call inside a transaction (`tafel user add`, `tafel setup`).
    """
    person = Person.get_or_none(Person.display_name == name)
    if person is None:
        person = Person.create(display_name=name)
        audit.record(None, "person.create", person, person=person.id, after={"display_name": name})
    account = Account.get_or_none(Account.person == person.id)
    if account is not None:
        for right in rights:
            held = Grant.select().where(
                (Grant.account == account.id) & (Grant.right == right) & Grant.project.is_null()
            )
            if not held.exists():
                grant = Grant.create(account=account, right=right)
                audit.record(None, "right.grant", grant, person=person.id, after={"right": right})
    link, token = make_link(person, rights=() if account is not None else rights)
    audit.record(None, f"link.{link.kind}", link, person=person.id, after={"kind": link.kind})
    return person, link, token


def link_url(base_url: str, token: str) -> str:
    """The address a person opens to use the link."""
    return f"{base_url.rstrip('/')}/welcome/{token}"
