"""Benchmark: the 51% report on 50,000 memberships (5,000 people, 200 projects).

    .venv/bin/python bench/representation.py [DATABASE_URL]

Builds a fresh database (default: a temporary SQLite file), then times the report for the
organisation and for one project (best of 5 runs, plus the median). Not a test: the figures
go into the README.
"""

import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from models import schema  # noqa: E402
from models.db import database, open_database  # noqa: E402
from models.organisation import Project  # noqa: E402
from models.people import LAYERS, Membership, RoleStep  # noqa: E402
from models.people.representation import representation_report
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


def measure(fn, runs=5):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return min(times), statistics.median(times)


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
        project = Project.select().order_by(Project.name).first()
        representation_report()  # warm up
        best, median = measure(representation_report)
        print(f"organisation and all projects: best {best:.0f} ms, median {median:.0f} ms")
        best, median = measure(lambda: representation_report(project))
        print(f"one project: best {best:.1f} ms, median {median:.1f} ms")


if __name__ == "__main__":
    main()
