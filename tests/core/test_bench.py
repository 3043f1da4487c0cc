"""The federation benchmark's builder and page runner still work (a tiny scale, not a timing:
the figures are in bench/README.md and no test depends on them)."""

import os
import subprocess
import sys

from webapp.settings import ROOT


def run(*args, env=None, timeout=60):
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=timeout, check=False,
    )  # fmt: skip


def test_the_builder_and_the_page_benchmark_run_at_a_tiny_scale(tmp_path, data_dir):
    url = f"sqlite:///{tmp_path / 'federation.db'}"
    env = {**os.environ, "TAFEL_DATA_DIR": str(data_dir)}
    built = run("bench/build.py", "--scale", "0.002", "--url", url, env=env)
    assert built.returncode == 0, built.stderr
    assert "2,000 ledger" in built.stdout, built.stdout
    pages = run(
        "bench/pages.py", "--url", url, "--rounds", "2", "--seconds", "0.2",
        "--only", "project page,/budget,sub-budget ledger", "--datasette", "", env=env,
    )  # fmt: skip
    assert pages.returncode == 0, pages.stderr
    table = pages.stdout
    assert "| project page |" in table and "| sub-budget ledger |" in table, table
    assert "bare Starlette + Jinja" in table, table
