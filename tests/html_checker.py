"""The W3C Nu HTML checker (vnu.jar, from npm's vnu-jar, pinned in package.json; it runs on
the machine's Java) as a local HTTP service: one Java VM per pytest process, started by the
session-scoped fixture `vnu` the first time a test asks for it and stopped at the session's
end. Each `check()` POSTs its documents to it (`?out=json`) instead of starting a VM of its
own: a VM's start, its schemas' loading and the JIT's warm-up are paid once per process.

The service checks as the command line checks (the same parser and the same schemas, chosen
by the doctype); `check()` keeps the errors only, as `vnu.jar --errors-only` did.
"""

import json
import os
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.running_server import free_port, stop

ROOT = Path(__file__).resolve().parents[1]
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


class NuChecker:
    """vnu.jar's servlet on a free port of 127.0.0.1."""

    def __init__(self, jar: Path):
        self.port = free_port()
        self.process = subprocess.Popen(
            [
                "java",
                "-Xss8m",  # deeply nested documents, as the command line was run
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-Dnu.validator.servlet.bind-address=127.0.0.1",
                "-cp",
                str(jar),
                "nu.validator.servlet.Main",
                str(self.port),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.url = f"http://127.0.0.1:{self.port}/?out=json"
        self.ready = False
        # Documents handed on while a test goes on (`submit`) are checked one at a time here.
        self.worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="nu-checker")

    def _wait(self) -> None:
        """Until the service answers (it loads its schemas first: a few seconds)."""
        deadline = time.monotonic() + 120
        while not self.ready:
            if self.process.poll() is not None:
                raise RuntimeError(f"the Nu HTML checker stopped ({self.process.returncode})")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/", timeout=5):
                    self.ready = True
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if time.monotonic() > deadline:
                    raise RuntimeError("the Nu HTML checker did not start") from None
                time.sleep(0.1)

    def errors(self, html: str) -> list[dict]:
        """The checker's errors in one document (its messages of type error; a document it
        could not read is an error too)."""
        self._wait()
        request = urllib.request.Request(
            self.url,
            data=html.encode("utf-8"),
            headers={"Content-Type": "text/html; charset=utf-8"},
        )
        with urllib.request.urlopen(request, timeout=120) as response:
            report = json.load(response)
        return [m for m in report["messages"] if m.get("type") in ("error", "non-document-error")]

    def submit(self, html: str) -> Future:
        """Check a document in the background; the future's result is `errors(html)`."""
        return self.worker.submit(self.errors, html)

    def stop(self) -> None:
        self.worker.shutdown(wait=True)
        stop(self.process, timeout=10)


def described(where: str, messages: list[dict]) -> list[str]:
    """Errors as 'where line N: message'."""
    return [f"{where} line {m.get('lastLine')}: {m['message']}" for m in messages]


def check(vnu: NuChecker, pages: dict[str, str]) -> list[str]:
    """Every page through the checker; its errors, as 'page line N: message'."""
    futures = {where: vnu.submit(html) for where, html in sorted(pages.items())}
    return [line for where, future in futures.items() for line in described(where, future.result())]


@pytest.fixture(scope="session")
def vnu():
    """The checker service of this pytest process (started on first use; skipped without Java
    or vnu.jar, which CI=true does not allow)."""
    missing = [
        what for what, ok in (("java", shutil.which("java")), ("vnu.jar", VNU.exists())) if not ok
    ]
    if missing:
        message = (
            f"{' and '.join(missing)} missing: run `make test` (npm ci) to get the HTML checker"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(message + " (CI=true requires it)")
        pytest.skip(message)
    checker = NuChecker(VNU)
    yield checker
    checker.stop()
