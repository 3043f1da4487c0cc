"""Every page Tafel serves is valid HTML by the W3C Nu HTML checker (vnu.jar, from npm's
vnu-jar, pinned in package.json; it runs on the machine's Java)."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from models.db import database
from tests.web.test_access import app_routes, tables, url_for

VNU = (
    Path(__file__).resolve().parents[2] / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
)


@pytest.fixture(scope="module")
def vnu():
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
    return VNU


def check(vnu: Path, pages: dict[str, str], folder: Path) -> list[str]:
    """Run the checker once over every page; its errors, as 'url line: message'."""
    files = {}
    for number, (url, html) in enumerate(sorted(pages.items())):
        path = folder / f"page{number}.html"
        path.write_text(html, encoding="utf-8")
        files[path.name] = url
    result = subprocess.run(
        [
            "java",
            "-Xss8m",
            "-jar",
            str(vnu),
            "--errors-only",
            "--format",
            "json",
            *map(str, folder.glob("page*.html")),
        ],
        capture_output=True,
        text=True,
    )
    report = json.loads(result.stderr or '{"messages": []}')
    return [
        f"{files.get(m.get('url', '').rsplit('/', 1)[-1])} line {m.get('lastLine')}: {m['message']}"
        for m in report["messages"]
    ]


def test_every_page_is_valid_html(app, as_viewer, vnu, tmp_path):
    """Every GET page as it looks to no account, a member and a coordinator (one checker run)."""
    _, params = tables()
    with database.connection_context():
        urls = {
            url_for(route.path, params) for key, route in app_routes(app) if key.startswith("GET ")
        }
    pages = {}
    for viewer in ("anonymous", "member", "coordinator"):
        client = as_viewer(viewer)
        for url in sorted(urls):
            response = client.get(url, follow_redirects=False)
            if response.status_code == 200 and response.headers["content-type"].startswith(
                "text/html"
            ):
                pages[f"{url} as {viewer}"] = response.text
    assert len(pages) >= 30
    errors = check(vnu, pages, tmp_path)
    assert not errors, "\n".join(errors)
