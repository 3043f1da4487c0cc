"""Signing in and out: each a unit of work of its own (docs/rules.md "The login's counted
attempt").

A login is two transactions, on purpose:

1. `reserve_attempt` counts the attempt against the username and the client address and
   commits *before* the password is checked (models/accounts/throttle.py). A wrong password
   keeps that count: it is the failure the throttle counts, and no rollback can undo it. A
   crash or an error while the password is checked keeps it too (it counts as a failure).
2. Only a right password opens the second transaction: the login is noted (with a fresh hash
   when the hashing costs changed), the attempt is given back (`attempt_succeeded`) and a new
   session begins, all or nothing.
"""

from dataclasses import dataclass

from models.accounts import sessions
from models.accounts.links import unanswered_notices
from models.accounts.passwords import dummy_hash, verify_password
from models.accounts.tables import Account
from models.accounts.throttle import attempt_succeeded, reserve_attempt, seconds_to_wait
from models.db import database


@dataclass(frozen=True)
class LoginResult:
    """What a login attempt came to: a session `key` for `account`, or `wait` seconds before
    the next try (0 with no key: a wrong username or password); `notices`: how many links made
    for the person wait for their answer."""

    account: Account | None = None
    key: str | None = None
    wait: int = 0
    notices: int = 0


def log_in(username: str, password: str, keys: list[str], old_key: str | None) -> LoginResult:
    """Check a username and password, counted against the throttle `keys` first; a right
    password begins a new session (the browser's old one, `old_key`, ends)."""
    with database.atomic():
        wait, attempt = reserve_attempt(keys)
    if wait:
        return LoginResult(wait=wait)
    account = Account.by_username(username)
    ok, new_hash = verify_password(password, account.password_hash if account else dummy_hash())
    if account is None or not ok:
        return LoginResult(wait=seconds_to_wait(keys))
    with database.atomic():
        account.note_login(new_hash)
        attempt_succeeded(attempt)
        key = sessions.begin(account, old_key=old_key)
    # Links made for the person that they have not answered: shown at every login until they
    # do (a login marks nothing as seen, so whoever logs in first cannot hide them).
    return LoginResult(account=account, key=key, notices=unanswered_notices(account.person_id))


def log_out(key: str | None) -> None:
    """Sign this browser out: the server forgets its session."""
    if key:
        with database.atomic():
            sessions.end(key)


def choose_language(account_id: int, language: str) -> None:
    """Remember the account's language."""
    with database.atomic():
        Account.choose_language(account_id, language)
