"""Passwords: hashing with passlib's API (the libpass distribution, argon2id), the rules for a
new password, and changing one's own."""

import functools
from pathlib import Path

from passlib.context import CryptContext

from models.accounts import audit
from models.accounts.tables import Account, CalendarFeed, UserSession
from models.db import database

# argon2id with passlib's current defaults; `needs_update` tells login to rehash when these
# parameters change.
context = CryptContext(schemes=["argon2"], argon2__type="ID", deprecated="auto")


def use_light_hashing() -> None:
    """Real argon2id with the smallest costs, for the test suite only.

    The suite signs in hundreds of times; at the production costs (64 MiB, three passes)
    each sign-in takes a quarter of a second or more on a small machine. The hashes stay
    argon2id, verified by the same code; `tests/accounts` checks the production costs.
    """
    context.update(argon2__memory_cost=1024, argon2__rounds=1, argon2__parallelism=1)
    dummy_hash.cache_clear()


def hash_password(password: str) -> str:
    """An argon2id hash of the password."""
    return context.hash(password)


def verify_password(password: str, password_hash: str) -> tuple[bool, str | None]:
    """Whether the password fits the hash, and a new hash when the parameters changed.

    A password longer than any Tafel accepts fits no hash (passlib would raise on it).
    """
    if len(password) > MAX_LENGTH:
        return False, None
    return context.verify_and_update(password, password_hash)


@functools.cache
def dummy_hash() -> str:
    """A hash to verify against for unknown usernames, so every failure takes as long."""
    return context.hash("not a real password, only for timing")


MIN_LENGTH = 10
# passlib refuses secrets over 4096 bytes; 1000 characters stay below it in any UTF-8.
MAX_LENGTH = 1000
COMMON_FILE = Path(__file__).with_name("common_passwords.txt")


@functools.cache
def common_passwords() -> frozenset:
    """The short list of the most common passwords (models/accounts/common_passwords.txt)."""
    lines = COMMON_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line and not line.startswith("#"))


def password_problem(password: str, username: str = "") -> str | None:
    """Why a new password cannot be used ("short", "long", "common"), or None when it is fine."""
    if len(password) < MIN_LENGTH:
        return "short"
    if len(password) > MAX_LENGTH:
        return "long"
    lowered = password.lower()
    if lowered in common_passwords() or (username and lowered == username.lower()):
        return "common"
    return None


def is_password_of(account: Account, password: str) -> bool:
    """Whether `password` is the account's password now."""
    return verify_password(password, account.password_hash)[0]


def change_password(account: Account, password: str, keep_session: int | None) -> None:
    """The account's own new password; every other browser signed in as the person is signed
    out (all but `keep_session`), and the calendar address stops working (issue 19: whoever
    held the account before may have made one)."""
    new_hash = hash_password(password)
    with database.atomic():
        Account.update(password_hash=new_hash).where(Account.id == account.id).execute()
        UserSession.end_all(account.id, keep=keep_session)
        CalendarFeed.delete().where(CalendarFeed.account == account.id).execute()
        audit.record(account.id, "account.change_password", account, person=account.person_id)
