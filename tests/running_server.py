"""A real Tafel server for tests that need one: uvicorn in a subprocess, on a free port.

`create_app` is the factory the server imports (`uvicorn --factory
tests.running_server:create_app`): webapp.app's app set up as the suite sets itself up (the
fixed clock of TAFEL_TEST_MOMENT, light password hashing), in every worker.
"""

import datetime as dt
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx2 as httpx

ROOT = Path(__file__).resolve().parent.parent


def create_app():
    """webapp.app's app, on the fixed clock named by TAFEL_TEST_MOMENT (an ISO datetime) and
    with the suite's light password hashing (the demo's hashes are light: a login at production
    costs would rehash them, half a second each)."""
    from webapp.app import create_app as tafel_app

    as_the_suite()
    return tafel_app()


def tafel(argv: list[str]) -> int:
    """The `tafel` command itself (webapp.cli.main, which the installed `tafel` runs), as the
    suite: `python -m tests.running_server serve …` is `tafel serve …` on the suite's clock
    and hashing. With one worker, `tafel serve` builds its app in this same process."""
    from webapp.cli import main

    as_the_suite()
    return main(argv)


def as_the_suite() -> None:
    """This process on the fixed clock of TAFEL_TEST_MOMENT, with light password hashing."""
    from models import clock
    from models.accounts import passwords

    passwords.use_light_hashing()
    moment = os.environ.get("TAFEL_TEST_MOMENT")
    if moment:
        clock.fixed(dt.datetime.fromisoformat(moment)).__enter__()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def stop(process: subprocess.Popen, timeout: float) -> None:
    """End a server process: ask it to stop, and kill it if it has not within `timeout` s."""
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


class RunningServer:
    """uvicorn serving Tafel on `database_url`; use as a context manager."""

    def __init__(self, database_url: str, data_dir: Path, *, workers: int, moment: dt.datetime):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = Path(data_dir) / f"server-{self.port}.log"
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "TAFEL_DATA_DIR": str(data_dir),
            "TAFEL_SECRET_KEY": "a-key-for-the-running-server-tests-only",
            "TAFEL_TEST_MOMENT": moment.isoformat(),
        }
        self.env.pop("TAFEL_ENV", None)
        self.workers = workers
        self.process = None

    def __enter__(self):
        self.start()
        self.wait_until_ready()
        return self

    def command(self) -> list[str]:
        """What starts the server: uvicorn with the suite's app factory."""
        return [
            sys.executable, "-m", "uvicorn", "--factory", "tests.running_server:create_app",
            "--host", "127.0.0.1", "--port", str(self.port),
            "--workers", str(self.workers), "--log-level", "info", "--no-access-log",
        ]  # fmt: skip

    def start(self) -> None:
        """Start the server without waiting for it (`wait_until_ready`): several servers
        started one after another this way start at the same moment."""
        self._log = open(self.log_path, "w")  # noqa: SIM115 - closed in __exit__
        self.process = subprocess.Popen(
            self.command(), cwd=ROOT, env=self.env, stdout=self._log, stderr=subprocess.STDOUT
        )

    def wait_until_ready(self, timeout: float = 30.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server stopped: {self.log()}")
            # Every worker says so when it is ready; then the first request may go to any.
            if self.log().count("Application startup complete") >= self.workers:
                try:
                    if (
                        httpx.get(self.url + "/healthz", timeout=1.0, verify=False).status_code
                        == 200
                    ):
                        return
                except httpx.TransportError:
                    pass
            time.sleep(0.1)
        raise RuntimeError(f"the server did not start in {timeout} seconds: {self.log()}")

    def log(self) -> str:
        """What the server wrote (errors and tracebacks go here), also once it stopped."""
        if not self._log.closed:
            self._log.flush()
        return self.log_path.read_text()

    def __exit__(self, *exc):
        stop(self.process, timeout=15)
        self._log.close()


if __name__ == "__main__":
    sys.exit(tafel(sys.argv[1:]))
