"""Every page Tafel serves is valid HTML by the W3C Nu HTML checker (vnu.jar, from npm's
vnu-jar, pinned in package.json; it runs on the machine's Java, as one service per pytest
process: tests/html_checker.py, whose fixture `vnu` every checking test takes)."""

from models.db import database
from tests.html_checker import check
from tests.web.test_access import app_routes, tables, url_for

def test_every_page_is_valid_html(app, as_viewer, vnu):
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
    errors = check(vnu, pages)
    assert not errors, "\n".join(errors)
