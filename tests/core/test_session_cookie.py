"""No session cookie for an anonymous visitor who has no session (issue 23.7): the session is
made only when a page writes a form (its CSRF token needs the session's secret), so health
checks, robots, static files and error pages answer without a Set-Cookie; the login form
still hands out its token and logging in still checks it."""

import re

from starlette.testclient import TestClient

from tests.conftest import PASSWORDS, csrf_of

COOKIE_FREE = ["/healthz", "/robots.txt", "/favicon.ico", "/static/css/tafel.css", "/nothing-here"]


def test_an_anonymous_visitor_without_a_session_gets_no_cookie(app):
    client = TestClient(app)
    for url in COOKIE_FREE:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        assert "set-cookie" not in response.headers, url
    assert not client.cookies
    # The 404 page is the whole page, only without the footer's language form.
    page = client.get("/nothing-here")
    assert page.status_code == 404
    assert "We cannot find this page" in page.text or "kunnen deze pagina niet" in page.text
    assert "csrf_token" not in page.text and "X-CSRFToken" not in page.text


def test_the_login_form_makes_the_session_and_its_token_is_checked(app):
    client = TestClient(app)
    login_page = client.get("/login")
    assert "tafel_session" in login_page.headers["set-cookie"]
    token = csrf_of(client)
    data = {"username": "anouk", "password": PASSWORDS["anouk"]}
    # Without the token, or with another browser's, the login is refused.
    assert client.post("/login", data=data, follow_redirects=False).status_code == 403
    other = TestClient(app)
    other_token = csrf_of(other)
    refused = client.post("/login", data={**data, "csrf_token": other_token + "x"})
    assert refused.status_code == 403
    signed_in = client.post("/login", data={**data, "csrf_token": token}, follow_redirects=False)
    assert signed_in.status_code == 303
    assert client.get("/account", follow_redirects=False).status_code == 200


def test_a_visitor_with_a_session_keeps_the_forms_on_an_error_page(app):
    client = TestClient(app)
    client.get("/login")  # has a session now (the login form's token)
    page = client.get("/nothing-here")
    assert page.status_code == 404
    assert 'action="/language"' in page.text and "X-CSRFToken" in page.text


def test_one_page_writes_one_token_however_often_it_shows_it(app):
    client = TestClient(app)
    html = client.get("/login").text
    tokens = set(re.findall(r'name="csrf_token" value="([^"]+)"', html))
    tokens |= set(re.findall(r'"X-CSRFToken": "([^"]+)"', html))
    assert len(tokens) == 1
