"""Where one page's CPU goes: requests in process (the signed-in coordinator of
bench/pages.py, Starlette's TestClient, the same app) on a built bench database, and a summary
of a py-spy recording of them.

    # CPU per request (process time, client included; compare before/after, not absolute):
    .venv/bin/python bench/profile_page.py --url sqlite:////tmp/tafel-bench-1.db \
        --page "a meeting" --rounds 200
    # where it goes (pip install py-spy into the venv; the route runs in a worker thread,
    # which cProfile would not see):
    .venv/bin/py-spy record -r 400 --format raw -o /tmp/meeting.txt -- \
        .venv/bin/python bench/profile_page.py --url … --page "a meeting" --rounds 200
    .venv/bin/python bench/profile_page.py --summarise /tmp/meeting.txt --through meeting_page

--page takes a name of bench/pages.py (or a path starting with "/"), and may be repeated.
The summary: the share of the samples through `--through` (a function name) spent in each
function (inclusive) and in each function itself (self).
"""

from __future__ import annotations

import argparse
import collections
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def measure(url: str, names: list[str], rounds: int) -> None:
    from pages import PASSWORD, USER, targets
    from starlette.testclient import TestClient

    from models.db import queries
    from webapp.app import create_app

    pages, _ = targets(url)
    with TestClient(create_app(url)) as client:
        page = client.get("/login").text
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        client.post(
            "/login", data={"username": USER, "password": PASSWORD, "csrf_token": token},
            follow_redirects=False,
        )  # fmt: skip
        for name in names:
            path = name if name.startswith("/") else pages[name]
            for _ in range(5):
                response = client.get(path)
                assert response.status_code == 200, (path, response.status_code)
            queries.count = 0
            client.get(path)
            count, cpu = queries.count, []
            for _ in range(rounds):
                start = time.process_time()
                client.get(path)
                cpu.append(time.process_time() - start)
            cpu.sort()
            print(f"{name} ({path}): {count} queries, {len(response.content) / 1024:.0f} KB, "
                  f"CPU ms per request median {1000 * cpu[len(cpu) // 2]:.2f}, "
                  f"best {1000 * cpu[0]:.2f}")  # fmt: skip


def _name(frame: str) -> str:
    """A py-spy frame, "function (path/file.py:line)", as "function (file.py)"."""
    function, _, where = frame.partition(" (")
    return f"{function} ({where.split(':')[0].split('/')[-1]})" if where else frame


def summarise(path: str, through: str, top: int) -> None:
    inclusive, own = collections.Counter(), collections.Counter()
    total = 0
    for line in open(path):
        stack, _, n = line.rstrip().rpartition(" ")
        if through not in stack:
            continue
        frames = [_name(f) for f in stack.split(";")]
        total += int(n)
        for frame in set(frames):
            inclusive[frame] += int(n)
        own[frames[-1]] += int(n)
    print(f"{total} samples through {through}")
    for title, counter in (("inclusive", inclusive), ("self", own)):
        print(f"-- {title}")
        for frame, n in counter.most_common(top):
            print(f"{100 * n / max(total, 1):5.1f}% {frame}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="sqlite:////tmp/tafel-bench-1.db")
    parser.add_argument("--page", action="append", default=[])
    parser.add_argument("--rounds", type=int, default=100)
    parser.add_argument("--summarise", default="", help="a py-spy --format raw file")
    parser.add_argument("--through", default="make_route", help="keep stacks through this")
    parser.add_argument("--top", type=int, default=40)
    args = parser.parse_args(argv)
    if args.summarise:
        summarise(args.summarise, args.through, args.top)
    if args.page:
        measure(args.url, args.page, args.rounds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
