"""Login throttling (issue "Accounts and access", Login): five free tries, then a wait that
doubles from 30 seconds up to 15 minutes. A counter nobody touched for a day starts again at
zero. Counted per username and per client address, in the database (a restart forgets
nothing)."""

import datetime as dt
import math

from models.accounts.tables import LoginThrottle
from models.clock import now
from models.db import lock_for_update

FREE_FAILURES = 5
FIRST_WAIT = dt.timedelta(seconds=30)
LONGEST_WAIT = dt.timedelta(minutes=15)
FORGET_AFTER = dt.timedelta(days=1)


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
