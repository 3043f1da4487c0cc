"""Browser tests: a real uvicorn server on a fresh demo database, driven by Debian's chromium
through Playwright, with axe-core checking every page visited.

Without chromium the tests skip with a message; under CI=true a missing chromium fails.
"""

import os
import shutil
import threading
import time

import pytest

from tests.running_server import free_port

CHROMIUM = os.environ.get("TAFEL_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        message = f"chromium is not installed at {CHROMIUM}: browser tests cannot run"
        if os.environ.get("CI") == "true":
            pytest.fail(message + " (CI=true requires them)")
        pytest.skip(message + " (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def live_server(app):
    """The app served by uvicorn on a free port; yields its base URL."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.time() + 10
    while not server.started:
        if time.time() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def browser_page(browser):
    """A function making a new page of the given width (JavaScript on unless told)."""
    contexts = []

    def make(width: int = 320, javascript: bool = True):
        context = browser.new_context(
            viewport={"width": width, "height": 800}, java_script_enabled=javascript, locale="nl-NL"
        )
        contexts.append(context)
        page = context.new_page()
        page.javascript = javascript
        page.set_default_timeout(10_000)
        return page

    yield make
    for context in contexts:
        context.close()


def check_axe(page) -> None:
    """Run axe-core (all its rules) on the page; fail with its report when it finds any
    violation. axe-core is handed to the page only when the page has none yet (a page loaded
    in the same document keeps it), and only the violations come back."""
    from axe_playwright_python.base import AXE_SCRIPT, AxeResults

    assert page.context.pages, "the page is closed"
    # axe-core runs in the page: a page opened with JavaScript off would wait forever.
    assert getattr(page, "javascript", True), "axe needs a page with JavaScript on"
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.evaluate(AXE_SCRIPT)
    violations = page.evaluate(
        "() => axe.run(document, {resultTypes: ['violations']}).then(r => r.violations)"
    )
    results = AxeResults({"violations": violations})
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


def sign_in(page, base_url: str, username: str) -> None:
    """Log in through the form like a person would."""
    from tests.conftest import PASSWORDS

    page.goto(f"{base_url}/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORDS[username])
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base_url}/")


@pytest.fixture
def axe():
    """check_axe, as a fixture."""
    return check_axe


@pytest.fixture
def assert_no_axe_violations():
    """check_axe, as a fixture."""
    return check_axe
