"""Benchmark: the 51% report on 50,000 memberships (5,000 people, 200 projects).

    .venv/bin/python bench/representation.py [DATABASE_URL]

Builds a fresh database (default: a temporary SQLite file), then times the report (best and
median of 7 runs): kept (nothing changed since the last call), the first call after a
counted change (a membership paused or back, committed before each run: issue 23's "within
10 ms on every call"), live, published and for one project, and with 100 memberships not
settled; and the recount the kept counts replace. Not a test: the figures go into the
README.
"""

import datetime as dt
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from peewee import fn  # noqa: E402

from models import schema  # noqa: E402
from models.clock import today  # noqa: E402
from models.db import database, open_database  # noqa: E402
from models.organisation import Project  # noqa: E402
from models.people import LAYERS, Membership, RoleStep  # noqa: E402
from models.people.representation import _tally, representation_report  # noqa: E402
from models.people.tables import SETTLE_DAYS  # noqa: E402
from models.person import Person  # noqa: E402

PEOPLE, PROJECTS, PER_PERSON = 5_000, 200, 10


def build():
    rng = random.Random(51)
    RoleStep.ensure_default()
    steps = [s.id for s in RoleStep.select()]
    with database.atomic():
        Person.insert_many(
            [
                {
                    "display_name": f"Persoon {n}",
                    "client_background": rng.choice(("yes", "yes", "no", "not_said")),
                }
                for n in range(PEOPLE)
            ]
        ).execute()
        Project.insert_many([{"name": f"Project {n:03d}"} for n in range(PROJECTS)]).execute()
        people = [p.id for p in Person.select(Person.id)]
        projects = [p.id for p in Project.select(Project.id)]
        rows = []
        for person in people:
            for project in rng.sample(projects, PER_PERSON):
                rows.append(
                    {
                        "person": person,
                        "project": project,
                        "layer": rng.choice(LAYERS),
                        "step": rng.choice(steps),
                        "status": rng.choice(("active", "active", "active", "paused", "ended")),
                    }
                )
        for start in range(0, len(rows), 5_000):
            Membership.insert_many(rows[start : start + 5_000]).execute()


def measure(fn, runs=5, before=None):
    """Best and median ms of `fn` over `runs` calls; `before()` runs (untimed) before each."""
    times = []
    for _ in range(runs):
        if before is not None:
            before()
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return min(times), statistics.median(times)


def _change():
    """A counted change, committed: one membership paused or back (the report's token moves,
    so the next report is its first call after a change)."""
    membership = Membership.select().where(Membership.status != "ended").order_by(fn.RANDOM())
    membership = membership.first()
    status = "paused" if membership.status == "active" else "active"
    with database.atomic():
        Membership.update(status=status).where(Membership.id == membership.id).execute()


def _unsettle(count: int) -> None:
    """`count` memberships changed lately (not settled): the published figures count them
    afresh."""
    ids = [m.id for m in Membership.select(Membership.id).order_by(Membership.id).limit(count)]
    with database.atomic():
        Membership.update(
            prior_layer=Membership.layer, prior_step=Membership.step,
            prior_status=Membership.status, settles_on=today() + dt.timedelta(days=SETTLE_DAYS),
        ).where(Membership.id.in_(ids)).execute()  # fmt: skip


def figures(runs: int = 7) -> dict:
    """The report's figures in ms (best, median): kept, the first call after a change (live,
    published, one project), and the old recount for comparison. Call inside a connection."""
    project = Project.select().order_by(Project.name).first()
    representation_report()  # warm up
    out = {
        "kept call (organisation)": measure(representation_report, runs),
        "first call after a change (organisation, live)": measure(
            representation_report, runs, _change
        ),
        "first call after a change (organisation, published)": measure(
            lambda: representation_report(published=True), runs, _change
        ),
        "first call after a change (one project)": measure(
            lambda: representation_report(project), runs, _change
        ),
        "the recount it replaces (organisation, live)": measure(lambda: _tally(None), 3),
    }
    _unsettle(100)
    out["first call after a change, 100 memberships unsettled (published)"] = measure(
        lambda: representation_report(published=True), runs, _change
    )
    return out


def cpu_first_call(runs: int = 20) -> float:
    """The process's CPU time of the organisation's published report on the first call after
    a change, ms (the change itself not counted)."""
    total = 0.0
    for _ in range(runs):
        _change()
        start = time.process_time()
        representation_report(published=True)
        total += time.process_time() - start
    return total * 1000 / runs


def main():
    url = sys.argv[1] if len(sys.argv) > 1 else None
    if url is None:
        url = f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    open_database(url)
    with database.connection_context():
        schema.migrate()
        if not Membership.select().exists():
            started = time.perf_counter()
            build()
            print(
                f"built {Membership.select().count()} memberships in "
                f"{time.perf_counter() - started:.1f} s"
            )
        for name, (best, median) in figures().items():
            print(f"{name}: best {best:.1f} ms, median {median:.1f} ms")
        cpu = cpu_first_call()
        print(f"CPU per first call after a change (organisation, published): {cpu:.1f} ms")


if __name__ == "__main__":
    main()
