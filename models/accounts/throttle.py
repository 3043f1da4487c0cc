"""Login throttling (issue "Accounts and access", Login; issue 11 point 7).

Counted per username and per client address, separately, in the database (a restart forgets
nothing): a username has five free tries, an address (everyone behind one NAT or proxy)
twenty, then a wait that doubles from 30 seconds up to 15 minutes. A counter nobody touched
for a day starts again at zero.

An attempt is counted *before* its password is checked, in one transaction that also checks
the wait (`reserve_attempt`): however many attempts arrive at once, no more passwords are
checked than the counters allow. A right password then gives its attempt back
(`attempt_succeeded`): the username's counter is forgotten, the address's loses the one
attempt counted for it.
"""

import datetime as dt
import math
from dataclasses import dataclass, field

from models.accounts.tables import LoginThrottle
from models.clock import now
from models.db import lock_for_update

FREE_FAILURES = 5
# One address is many people in a community centre or behind a provider's NAT: their typos
# add up, so an address may fail more often before it waits (a username still waits after
# FREE_FAILURES, wherever its attempts come from).
ADDRESS_FREE_FAILURES = 20
FIRST_WAIT = dt.timedelta(seconds=30)
LONGEST_WAIT = dt.timedelta(minutes=15)
FORGET_AFTER = dt.timedelta(days=1)


def wait_after(failures: int, free: int = FREE_FAILURES) -> dt.timedelta:
    """How long to wait after this many failures in a row (zero for the first `free` - 1)."""
    if failures < free:
        return dt.timedelta(0)
    return min(FIRST_WAIT * 2 ** min(failures - free, 10), LONGEST_WAIT)


def free_failures(key: str) -> int:
    """How many failures a counter allows before it waits."""
    return ADDRESS_FREE_FAILURES if key.startswith("addr:") else FREE_FAILURES


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


@dataclass
class Attempt:
    """An attempt counted before its check: per key, the count it made and the wait before."""

    counted: dict = field(default_factory=dict)


def _locked_rows(keys: list[str], moment: dt.datetime) -> list[LoginThrottle]:
    """The counters of these keys, made when missing (never twice) and locked until the
    transaction ends, always in the same order (two attempts never wait for each other)."""
    rows = []
    for key in sorted(set(keys)):
        LoginThrottle.insert(
            key=key, failures=0, last_failure_at=moment
        ).on_conflict_ignore().execute()
        rows.append(lock_for_update(LoginThrottle.select().where(LoginThrottle.key == key)).get())
    return rows


def _count(row: LoginThrottle, moment: dt.datetime) -> None:
    if moment - row.last_failure_at > FORGET_AFTER:
        row.failures = 0
    row.failures += 1
    row.last_failure_at = moment
    wait = wait_after(row.failures, free_failures(row.key))
    row.locked_until = moment + wait if wait else None
    row.save()


def reserve_attempt(keys: list[str]) -> tuple[int, Attempt | None]:
    """Check and count one login attempt against each key, atomically, before its password
    is checked. Returns (0, the attempt) when the password may be checked, or (seconds to
    wait, None) when a counter waits (then nothing is counted). Call inside a transaction."""
    moment = now()
    # While a counter waits, the attempt writes nothing: no row for a new username tried from
    # a locked address (an attacker's list of names would fill the table).
    waiting = seconds_to_wait(keys)
    if waiting:
        return waiting, None
    # Counters untouched for a day are forgotten, so the table stays small.
    LoginThrottle.delete().where(LoginThrottle.last_failure_at < moment - FORGET_AFTER).execute()
    rows = _locked_rows(keys, moment)
    waits = [
        math.ceil((row.locked_until - moment).total_seconds())
        for row in rows
        if row.locked_until and row.locked_until > moment
    ]
    if waits:
        return max(waits), None
    attempt = Attempt()
    for row in rows:
        before = row.locked_until
        _count(row, moment)
        attempt.counted[row.key] = (row.failures, before)
    return 0, attempt


def attempt_succeeded(attempt: Attempt) -> None:
    """The password was right: forget the username's failures and give the address back the
    attempt counted for it (call inside a transaction)."""
    for key, (count, wait_before) in attempt.counted.items():
        if key.startswith("user:"):
            clear_failures(key)
            continue
        row = lock_for_update(LoginThrottle.select().where(LoginThrottle.key == key)).first()
        if row is None:
            continue
        if row.failures == count:
            # Nothing was counted since: the counter is as it was before this attempt.
            row.locked_until = wait_before
        row.failures = max(row.failures - 1, 0)
        row.save()


def clear_failures(key: str) -> None:
    """Forget the failures of one key (a username after a good login)."""
    LoginThrottle.delete().where(LoginThrottle.key == key).execute()
