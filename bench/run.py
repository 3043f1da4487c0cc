"""The whole bench in one command (issue 23): what `make bench` runs, to fill in
bench/README.md's table on an idle machine.

    .venv/bin/python bench/run.py                       # SQLite, scale 1
    .venv/bin/python bench/run.py --scale 0.1 --out /tmp/bench-0.1.md
    .venv/bin/python bench/run.py --postgresql postgresql://postgres@127.0.0.1:5432/bench_fed

Steps, each printed as it runs; everything also goes into one Markdown file (`--out`,
default bench/results.md), headed by the moment, the commit, the cores and the load average
before and after (an idle machine shows a load average near 0 before it starts):

1. the data: bench/build.py at `--scale` into `--url` (default /tmp/tafel-bench-<scale>.db),
   skipped when that SQLite file exists (`--rebuild` builds it again); bench/check.py always
   checks it (recounts, rotas, claims, every page 200, a write of each kind);
2. every page of bench/pages.py: queries, KB, raw SQL, p50 / p95 at one connection, CPU ms per
   request, then under load with wrk (Debian's `wrk`; without it Python threads) and the
   worker's RSS; the project page's baselines and, with `--datasette`, /budget against
   Datasette;
3. the 51% report on the built data (bench/representation.py): kept, the first call after a
   change (live, published, one project; wall and CPU), with 100 memberships not settled;
4. a year's budget summary (bench/budget.py --existing), wall and CPU;
5. a 10,000-line ledger import with a booking beside it every 20 ms
   (bench/ledger_import.py): it adds 10,000 entries, so it runs last.

With `--postgresql URL` (an empty database: it is built there) the same steps run on
PostgreSQL afterwards (Datasette is SQLite only).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def _git_commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
            check=True,
        ).stdout.strip()  # fmt: skip
    except (OSError, subprocess.CalledProcessError):
        return "?"


class Report:
    """Prints each step's output as it comes and keeps it for the Markdown file."""

    def __init__(self, path: Path):
        self.path = path
        self.parts: list[str] = []

    def say(self, text: str) -> None:
        print(text, flush=True)
        self.parts.append(text)

    def step(self, title: str, command: list[str]) -> bool:
        """Run one step; its output goes in a section of its own. False when it failed."""
        self.say(f"\n### {title}\n")
        self.say("    " + " ".join(command).replace(str(ROOT) + "/", "") + "\n")
        started = time.perf_counter()
        process = subprocess.Popen(
            command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        lines = []
        for line in process.stdout:  # shown as it comes: a step may take minutes
            print("  " + line.rstrip(), flush=True)
            lines.append(line)
        returncode = process.wait()
        took = time.perf_counter() - started
        self.parts.append(_as_text("".join(lines).rstrip()))
        if returncode != 0:
            self.say(f"\n**Failed** (exit {returncode}; its messages are above).")
        self.say(f"\n({took:.0f} s; load average now {os.getloadavg()[0]:.1f})")
        self.write()
        return returncode == 0

    def write(self) -> None:
        self.path.write_text("\n".join(self.parts) + "\n", encoding="utf-8")


def _as_text(text: str) -> str:
    """Output as Markdown: its tables as they are, other lines as a code block."""
    lines, block, out = text.splitlines(), [], []
    for line in lines:
        if line.startswith("|"):
            if block:
                out += ["```", *block, "```"]
                block = []
            out.append(line)
        else:
            block.append(line)
    if block:
        out += ["```", *block, "```"]
    return "\n".join(out)


def run_all(report: Report, url: str, *, rebuild: bool, scale: float, datasette: str) -> bool:
    """The five steps on one database."""
    bench = ROOT / "bench"
    sqlite = url.startswith("sqlite:///")
    exists = sqlite and Path(url[len("sqlite:///") :]).exists()
    if sqlite and exists and not rebuild:
        ok = report.step("The data: checked (built before)", [PYTHON, str(bench / "check.py"),
                                                              "--url", url])  # fmt: skip
    else:
        if sqlite and exists:
            Path(url[len("sqlite:///") :]).unlink()
        ok = report.step(
            f"The data: built at scale {scale} and checked",
            [PYTHON, str(bench / "build.py"), "--scale", str(scale), "--url", url],
        )
    if not ok:
        return False
    pages = [PYTHON, str(bench / "pages.py"), "--url", url]
    if datasette and sqlite:
        pages += ["--datasette", datasette]
    ok &= report.step("The pages", pages)
    ok &= report.step("The 51% report", [PYTHON, str(bench / "representation.py"), url])
    ok &= report.step("A year's summary",
                      [PYTHON, str(bench / "budget.py"), "--existing", "--url", url])  # fmt: skip
    ok &= report.step("A 10,000-line ledger import",
                      [PYTHON, str(bench / "ledger_import.py"), "--url", url])  # fmt: skip
    return ok


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--url", default="", help="default: sqlite:////tmp/tafel-bench-<scale>.db")
    parser.add_argument("--rebuild", action="store_true", help="build the SQLite file again")
    parser.add_argument("--postgresql", default="", help="an empty PostgreSQL database too")
    parser.add_argument("--datasette", default=shutil.which("datasette") or "")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results.md"))
    args = parser.parse_args(argv)
    url = args.url or f"sqlite:////tmp/tafel-bench-{args.scale:g}.db"
    report = Report(Path(args.out))
    report.say(
        f"## Bench run {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, commit {_git_commit()}\n"
    )
    report.say(
        f"{os.cpu_count()} cores; load average before: "
        f"{' / '.join(f'{x:.1f}' for x in os.getloadavg())} (1 / 5 / 15 min). "
        f"wrk: {shutil.which('wrk') or 'not installed (Python threads instead)'}. "
        f"Datasette: {args.datasette or 'not given'}."
    )
    ok = run_all(report, url, rebuild=args.rebuild, scale=args.scale, datasette=args.datasette)
    if args.postgresql:
        report.say("\n## PostgreSQL\n")
        ok &= run_all(report, args.postgresql, rebuild=True, scale=args.scale, datasette="")
    report.say(f"\nLoad average after: {' / '.join(f'{x:.1f}' for x in os.getloadavg())}.")
    report.write()
    print(f"\nwritten to {args.out}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
