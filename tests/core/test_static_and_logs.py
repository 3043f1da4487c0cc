"""Static files compressed and cached by version; one log line per request, nothing secret."""

import logging
import re

import pytest
from starlette.testclient import TestClient

from models.accounts.links import make_link
from models.db import database
from models.person import Person
from tests.conftest import PASSWORDS, csrf_of, ids, login, owner_execute
from webapp.security import CSP
from webapp.static import LONG_CACHE, SHORT_CACHE, content_hash, static_url


def asset_urls(html: str) -> list[str]:
    return re.findall(r'(?:href|src)="(/static/[^"]+)"', html)


def test_the_page_links_its_assets_by_version_and_has_a_favicon_and_description(client):
    html = client.get("/login").text
    urls = asset_urls(html)
    assert f"/static/css/tafel.css?v={content_hash('css/tafel.css')}" in urls
    assert "/static/js/htmx-2.0.11.min.js" in urls
    assert re.search(r'<link rel="icon" href="/static/favicon.svg\?v=\w+"', html)
    assert re.search(r'<meta name="description" content="Tafel: [^"]+">', html)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["cache-control"] == LONG_CACHE, url


def test_an_address_without_the_version_is_cached_briefly(client):
    for url in ["/static/css/tafel.css", "/static/css/tafel.css?v=old", "/static/favicon.svg"]:
        assert client.get(url).headers["cache-control"] == SHORT_CACHE, url
    assert static_url("js/htmx-2.0.11.min.js") == "/static/js/htmx-2.0.11.min.js"


def test_text_is_compressed(client):
    htmx = client.get(static_url("js/htmx-2.0.11.min.js"), headers={"Accept-Encoding": "gzip"})
    assert htmx.headers["content-encoding"] == "gzip"
    assert int(htmx.headers["content-length"]) < 25_000  # 52 KB uncompressed
    assert "accept-encoding" in htmx.headers["vary"].lower()
    page = client.get("/login", headers={"Accept-Encoding": "gzip"})
    assert page.headers["content-encoding"] == "gzip"
    assert "default-src 'self'" in page.headers["content-security-policy"]
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and "icon" in icon.headers["content-type"]


def test_the_csp_allows_the_favicon_and_our_own_files():
    assert "img-src 'self'" in CSP and "style-src 'self'" in CSP and "script-src 'self'" in CSP


def request_lines(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "tafel.requests"]


def test_one_line_per_request_with_method_route_status_time_and_id(client, caplog):
    caplog.set_level(logging.INFO, logger="tafel")
    response = client.get("/login?next=/budget&name=Anouk")
    lines = request_lines(caplog)
    assert len(lines) == 1
    assert re.fullmatch(r"GET /login 200 \d+\.\dms id=[0-9a-f]{8}", lines[0]), lines[0]
    assert lines[0].endswith(response.headers["x-request-id"])


def test_no_token_password_or_query_reaches_the_log(client, db, caplog):
    caplog.set_level(logging.INFO, logger="tafel")
    person = Person.get(Person.display_name == "Bram")
    with database.atomic():
        _link, token = make_link(person)
    client.get(f"/welcome/{token}")
    client.post(f"/welcome/{token}", data={"csrf_token": csrf_of(client, f"/welcome/{token}")})
    client.get(f"/welcome/{token}/extra")  # matches no route
    login(client, "anouk")
    client.get(f"/projects/{ids()['project_id']}?q={token}")
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "GET /welcome/{token} 200" in text
    assert "POST /welcome/{token}" in text
    assert "GET /welcome/… 404" in text
    assert f"GET /projects/{ids()['project_id']} 200" in text
    for secret in [token, PASSWORDS["anouk"], "anouk", "Anouk", "?"]:
        assert secret not in text, secret


@pytest.mark.parametrize("production", [False, True])
def test_an_error_is_logged_and_shown_under_the_same_code(
    db_url, data_dir, monkeypatch, caplog, production
):
    from webapp.app import create_app

    if production:
        monkeypatch.setenv("TAFEL_ENV", "production")
        monkeypatch.setenv("TAFEL_SECRET_KEY", "k" * 50)
        monkeypatch.setenv("TAFEL_BASE_URL", "https://testserver")
        monkeypatch.setenv("TAFEL_HTTPS", "1")
    app = create_app(db_url)
    caplog.set_level(logging.INFO, logger="tafel")
    with TestClient(app, raise_server_exceptions=False, base_url="https://testserver") as client:
        if not production:
            login(client, "anouk")
        cascade = " CASCADE" if db_url.startswith("postgres") else ""
        owner_execute(db_url, "DROP TABLE organisation" + cascade)
        response = client.get("/")
    assert response.status_code == 500
    code = response.headers["x-request-id"]
    assert f"vermeld code {code}" in response.text
    assert "default-src 'self'" in response.headers["content-security-policy"]
    errors = [r.getMessage() for r in caplog.records if r.name == "tafel.errors"]
    assert len(errors) == 1 and errors[0].startswith(f"error id={code} GET /: ")
    assert "File " in errors[0]  # where it happened
    assert ("organisation" in errors[0].split("\n")[0]) is not production  # the message
    assert "GET / 500" in request_lines(caplog)[-1] and request_lines(caplog)[-1].endswith(code)


def test_nothing_is_indexed_robots_txt_and_noindex(client):
    """robots.txt asks crawlers to index nothing; every page (signed in or not) says noindex
    in a header and in its head, for the crawlers that skip robots.txt."""
    robots = client.get("/robots.txt")
    assert robots.status_code == 200 and "Disallow: /" in robots.text
    assert robots.headers["content-type"].startswith("text/plain")
    for path in ("/login", "/"):
        answer = client.get(path)
        assert answer.headers["x-robots-tag"] == "noindex, nofollow"
        assert '<meta name="robots" content="noindex, nofollow">' in answer.text
    page = login(client, "anouk").get("/")
    assert '<meta name="robots" content="noindex, nofollow">' in page.text
    assert page.headers["x-robots-tag"] == "noindex, nofollow"
