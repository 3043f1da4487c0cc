"""Every page Tafel serves is valid HTML by the W3C Nu HTML checker (vnu.jar, from npm's
vnu-jar, pinned in package.json; it runs on the machine's Java, as one service per pytest
process: tests/html_checker.py, whose fixture `vnu` every checking test takes)."""

from models.db import database
from tests.html_checker import check
from tests.web.test_access import app_routes, tables, url_for


def test_every_page_is_valid_html(app, as_viewer, vnu):
    """Every GET answer in HTML that the browser's every-page walk does not check (fragments
    and the like: tests/browser/test_every_page.py sends every page, as each role that may
    open it and in both languages, to the same checker), as it looks to no account, a member
    and a coordinator (one checker run)."""
    from tests.browser.test_every_page import VISITS

    _, params = tables()
    with database.connection_context():
        urls = {
            url_for(route.path, params)
            for key, route in app_routes(app)
            if key.startswith("GET ") and not isinstance(VISITS.get(key), tuple)
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
    assert len(pages) >= 2
    errors = check(vnu, pages)
    assert not errors, "\n".join(errors)


def test_the_checker_finds_what_is_wrong(vnu):
    """The checker service finds errors, each with its line (a checker that found nothing in
    anything would pass every test above)."""
    page = (
        '<!DOCTYPE html>\n<html lang="nl"><head><meta charset="utf-8"><title>x</title></head>\n'
        '<body><p id="a">Een</p><p id="a">twee</p>\n<img src="x.png"></body></html>\n'
    )
    errors = check(vnu, {"bad": page})
    assert errors == [
        "bad line 3: Duplicate ID “a”.",
        "bad line 4: An “img” element must have an “alt” attribute, except under certain"
        " conditions. For details, consult guidance on providing text alternatives for images.",
    ]
    good = page.replace('id="a">twee', 'id="b">twee').replace("<img", '<img alt=""')
    assert check(vnu, {"good": good}) == []
