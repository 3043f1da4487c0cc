"""What row-level security costs with fifty organisations against one (issue 24, point 6):
every page of bench/pages.py, its SQL as Tafel sends it, replayed on the raw driver as the
app's role, alternating between the two databases, so both meet the same machine.

    .venv/bin/python bench/federation_cost.py \
        --one postgresql://tafel_app@127.0.0.1:5432/bench_one \
        --fifty postgresql://tafel_app@127.0.0.1:5432/bench_fifty --rounds 9

Both databases are built by bench/build.py at the same scale (the first with
`--organisations 1`, the second with `--organisations 50`, each with `--app-url` naming the
app's role). The big organisation answers on bench.example in the second; in the first it is
the only one. Prints per page the query counts and the median of the rounds' medians (ms) on
each, and the sum over the pages: the figure the issue's "at most 10% slower" reads.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# No background jobs in this process: at the start they run for every organisation, and
# their queries would be counted with the first pages' (fifty organisations, fifty runs).
os.environ["TAFEL_JOBS"] = "0"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))


def statements_of(url: str, host: str) -> tuple[dict[str, int], dict[str, list], int | None]:
    """The pages' query counts and statements on one database, and its organisation's id."""
    import load as bench_load
    import pages

    from models import tenancy
    from models.db import database

    bench_load.HOST = os.environ["TAFEL_BENCH_HOST"] = host
    tenancy.directory.forget()
    targets, _year = pages.targets(url)
    counted, statements = pages.query_counts(url, targets)
    with pages._organisation():
        organisation = tenancy.current_id()
    database.close()
    return counted, statements, organisation


def main(argv=None) -> int:
    from baselines import replay

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--one", required=True, help="the database with one organisation")
    parser.add_argument("--fifty", required=True, help="the database with fifty")
    parser.add_argument("--host", default="bench.example")
    parser.add_argument("--rounds", type=int, default=9)
    args = parser.parse_args(argv)

    sides = {"one": args.one, "fifty": args.fifty}
    captured = {side: statements_of(url, args.host) for side, url in sides.items()}
    names = list(captured["one"][0])
    times: dict[tuple[str, str], list[float]] = {}
    for _ in range(args.rounds):
        for name in names:
            for side, url in sides.items():  # alternating: one, fifty, one, fifty, …
                _counted, statements, organisation = captured[side]
                ms = replay(url, statements[name], runs=10, organisation=organisation)
                times.setdefault((name, side), []).append(ms)
    print(f"{args.rounds} rounds, load average at the end {os.getloadavg()[0]:.1f}")
    print("| page | queries, one | queries, fifty | raw SQL ms, one | raw SQL ms, fifty "
          "| fifty/one |")  # fmt: skip
    print("| --- | --- | --- | --- | --- | --- |")
    total = {"one": 0.0, "fifty": 0.0}
    for name in names:
        one = statistics.median(times[(name, "one")])
        fifty = statistics.median(times[(name, "fifty")])
        total["one"] += one
        total["fifty"] += fifty
        print(f"| {name} | {captured['one'][0][name]} | {captured['fifty'][0][name]} "
              f"| {one:.2f} | {fifty:.2f} | {fifty / one:.2f} |")  # fmt: skip
    ratio = total["fifty"] / total["one"]
    print(f"| all pages | | | {total['one']:.1f} | {total['fifty']:.1f} | {ratio:.2f} |")
    same = all(captured["one"][0][n] == captured["fifty"][0][n] for n in names)
    print(f"query counts the same: {'yes' if same else 'NO'}; fifty against one: {ratio - 1:+.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
