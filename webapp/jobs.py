"""The background jobs' ticker in each server process, and `tafel jobs run`.

Every server process runs the registered jobs (models/jobs.py) once when it starts (catching
up on whatever became due while no process ran) and then every TAFEL_JOBS seconds, in a
worker thread with a database connection of its own. Several processes, or cron beside them,
may run the same jobs at once: each thing a job does is claimed in its own transaction, so
it happens once.
"""

import logging

import anyio

from models.db import request_connection
from models.jobs import run_due

log = logging.getLogger("tafel.jobs")


def run_jobs_once() -> dict[str, int]:
    """Run every due job now, in this thread's database connection."""
    with request_connection():
        return run_due()


async def tick(interval: int) -> None:
    """Run the jobs now and then every `interval` seconds, until cancelled."""
    while True:
        try:
            await anyio.to_thread.run_sync(run_jobs_once)
        except Exception as error:  # noqa: BLE001 - the ticker outlives a failing run
            log.error("background jobs failed: %s", type(error).__name__)
        await anyio.sleep(interval)
