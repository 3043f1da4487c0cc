"""Profile one page in process: cProfile over N requests of the signed-in coordinator, after a
warm-up, through the same app (Starlette's TestClient), on a built bench database.

    .venv/bin/python bench/profile_page.py --url sqlite:////tmp/tafel-bench-0.1.db \
        --page "a meeting" --rounds 50 [--sort tottime] [--lines 40]

--page takes a name of bench/pages.py (or a path starting with "/"). Prints the CPU time per
request (process time, the profiler off) and then the profile (profiler on).
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from pages import PASSWORD, USER, targets  # noqa: E402


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="sqlite:////tmp/tafel-bench-0.1.db")
    parser.add_argument("--page", action="append", required=True)
    parser.add_argument("--rounds", type=int, default=50)
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--lines", type=int, default=45)
    parser.add_argument("--no-profile", action="store_true", help="only the CPU time")
    args = parser.parse_args(argv)

    from starlette.testclient import TestClient

    from models.db import queries
    from webapp.app import create_app

    pages, _ = targets(args.url)
    app = create_app(args.url)
    with TestClient(app) as client:
        page = client.get("/login").text
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        client.post(
            "/login", data={"username": USER, "password": PASSWORD, "csrf_token": token},
            follow_redirects=False,
        )  # fmt: skip
        for name in args.page:
            path = name if name.startswith("/") else pages[name]
            for _ in range(5):
                response = client.get(path)
                assert response.status_code == 200, (path, response.status_code)
            queries.count = 0
            client.get(path)
            count = queries.count
            cpu = []
            for _ in range(args.rounds):
                start = time.process_time()
                client.get(path)
                cpu.append(time.process_time() - start)
            cpu.sort()
            print(f"{name} ({path}): {count} queries, {len(response.content) / 1024:.0f} KB, "
                  f"CPU ms per request median {1000 * cpu[len(cpu) // 2]:.2f}, "
                  f"best {1000 * cpu[0]:.2f}")  # fmt: skip
            if args.no_profile:
                continue
            profile = cProfile.Profile()
            profile.enable()
            for _ in range(args.rounds):
                client.get(path)
            profile.disable()
            pstats.Stats(profile).strip_dirs().sort_stats(args.sort).print_stats(args.lines)
    return 0


if __name__ == "__main__":
    sys.exit(main())
