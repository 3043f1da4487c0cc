"""The background jobs' ticker in each server process, and `tafel jobs run`.

Every server process runs the registered jobs (models/jobs.py) once when it starts (catching
up on whatever became due while no process ran) and then every TAFEL_JOBS seconds, in a
worker thread with a database connection of its own, for each organisation in turn.
Several processes, or cron beside them, may run the same jobs at once: each thing a job
does is claimed in its own transaction, so it happens once.
"""

import datetime as dt
import logging

import anyio

from models import tenancy
from models.accounts.cleanup import keep_sessions
from models.db import request_connection
from models.jobs import run_due
from webapp.news.setup import configure_push

log = logging.getLogger("tafel.jobs")


def configure_jobs(settings) -> None:
    """What the jobs take from the settings, the same in a server process and in `tafel jobs
    run`: the push keys, and the sessions' lifetimes (the cleaning job forgets a session after
    the same time as a request does)."""
    configure_push(settings)
    keep_sessions(
        dt.timedelta(minutes=settings.session_idle_minutes),
        dt.timedelta(hours=settings.session_max_hours),
    )


def run_jobs_once() -> dict[str, int]:
    """Run every due job now for each organisation that is not suspended (a federation,
    docs/federation.md: the organisation is set for each in turn, so a job sees that
    organisation's rows only), in this thread's database connection; what each job did, in
    all organisations together."""
    done: dict[str, int] = {}
    for _entry in tenancy.each_organisation():
        with request_connection():
            for name, count in run_due().items():
                done[name] = done.get(name, 0) + count
    return done


async def tick(interval: int) -> None:
    """Run the jobs now and then every `interval` seconds, until cancelled."""
    while True:
        try:
            await anyio.to_thread.run_sync(run_jobs_once)
        except Exception as error:  # noqa: BLE001 - the ticker outlives a failing run
            log.error("background jobs failed: %s", type(error).__name__)
        await anyio.sleep(interval)
