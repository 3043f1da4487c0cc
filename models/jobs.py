"""Background jobs: work that must happen at a moment even when nobody visits Tafel (closing
a proposal at its closing moment, a reminder before it closes, sending push messages,
cleaning expired sessions and links).

A job is a function of the current moment that does whatever is due and returns how many
things it did. It is registered by the area that owns the work (`@job("name")` at import)
and run by `run_due`: from each server process's ticker every few seconds
(webapp/jobs.py, TAFEL_JOBS) and by `tafel jobs run` (for cron, or after a restart).

Exactly once, with any number of workers and hosts: a job never relies on being the only
one running. Each thing it does is a unit of work that claims its row inside the
transaction and re-checks that it is still due ("closed_at IS NULL", a unique key for a
reminder, `lock_for_update` or `UPDATE … WHERE … IS NULL` on PostgreSQL; SQLite's
transactions begin IMMEDIATE, so they run one after another). A second worker that comes
to the same thing finds it done and skips it. Catching up after a restart needs nothing
more: a job looks for everything due up to now, not only what became due since the last
tick. No lease per job and no task queue (huey): docs/deploy.md "Background jobs on several
hosts" says why.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass

from models import clock

log = logging.getLogger("tafel.jobs")


@dataclass(frozen=True)
class Job:
    name: str
    run: Callable  # (now: datetime) -> int, how many things it did


JOBS: dict[str, Job] = {}


def job(name: str):
    """Register the decorated function as the job `name` (one name, one function)."""

    def register(function):
        existing = JOBS.get(name)
        if existing is not None and existing.run is not function:
            raise ValueError(f"Two jobs are named {name!r}.")
        JOBS[name] = Job(name, function)
        return function

    return register


def run_due(moment=None) -> dict[str, int]:
    """Run every registered job once for `moment` (default: now); returns what each did.

    A job that fails is logged (its name and the error's type only: a job's data may be
    about people) and does not stop the others; its unit of work was rolled back, so the
    next tick tries again.
    """
    moment = moment or clock.now()
    done = {}
    for name in sorted(JOBS):
        try:
            done[name] = JOBS[name].run(moment) or 0
        except Exception as error:  # noqa: BLE001 - one job's failure must not stop the rest
            log.error("job %s failed: %s", name, type(error).__name__)
            done[name] = 0
    return done
