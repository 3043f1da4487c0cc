"""Every route declares who may use it, and each rule holds for the four kinds of viewer."""

import importlib
import pkgutil
import re

import pytest

import tests.access
from models.db import database
from models.registry import MODELS
from tests.access.federation import HIDDEN
from tests.conftest import PASSWORDS, VIEWERS

VIEWER_ORDER = ("anonymous", "member", "coordinator", "other")


def tables():
    """ACCESS and PARAMS merged over tests/access/*.py."""
    access, params = {}, {}
    for info in pkgutil.iter_modules(tests.access.__path__):
        module = importlib.import_module(f"tests.access.{info.name}")
        overlap = set(access) & set(module.ACCESS)
        assert not overlap, f"routes listed twice: {overlap}"
        access.update(module.ACCESS)
        params.update(getattr(module, "PARAMS", {}))
    return access, params


def app_routes(app):
    """(key, route) for every method of every route except static files."""
    for route in app.routes:
        if not hasattr(route, "methods"):
            continue
        for method in sorted(route.methods - {"HEAD"}):
            yield f"{method} {route.path}", route


def test_every_route_declares_a_permission_and_is_in_the_table(app):
    access, _ = tables()
    keys = []
    for key, route in app_routes(app):
        assert getattr(route.endpoint, "permission", None) is not None, f"{key} has no permission"
        assert key in access, f"{key} is not in tests/access: decide who may use it"
        keys.append(key)
    assert not set(access) - set(keys), f"listed but gone: {set(access) - set(keys)}"


def url_for(path: str, params: dict) -> str:
    def fill(match):
        name = match.group(1)
        assert name in params, f"no PARAMS entry for {{{name}}}"
        return str(params[name]())

    return re.sub(r"\{(\w+)(?::\w+)?\}", fill, path)


def outcome(response):
    if response.status_code in (302, 303) and response.headers["location"].startswith("/login"):
        return "login"
    if response.status_code == 403:
        return 403
    if response.status_code == 404:
        return 404
    assert response.status_code < 500, response.text[:500]
    return "ok"


def _ordered(app):
    keys = list(app_routes(app))
    # GETs first, then changes; logging out last so the session lasts the whole walk.
    return sorted(keys, key=lambda kr: (kr[0].startswith("POST"), kr[0] == "POST /logout"))


@pytest.mark.parametrize("viewer", VIEWER_ORDER)
def test_each_route_allows_or_refuses_each_viewer(app, as_viewer, viewer, csrf_token_of):
    access, params = tables()
    client = as_viewer(viewer)
    with database.connection_context():
        urls = {key: url_for(route.path, params) for key, route in app_routes(app)}
    failures = []
    for key, _route in _ordered(app):
        method = key.split(" ", 1)[0]
        url = urls[key]
        if method == "GET":
            response = client.get(url, follow_redirects=False)
        else:
            response = client.post(
                url, data={"csrf_token": csrf_token_of(client)}, follow_redirects=False
            )
        expected = access[key][VIEWER_ORDER.index(viewer)]
        got = outcome(response)
        if got != expected:
            failures.append(f"{key} as {viewer}: expected {expected}, got {got}")
    assert not failures, "\n".join(failures)


def snapshot():
    """Every row of every table, to prove a refused request changed nothing."""
    with database.connection_context():
        return {m.__name__: sorted(map(repr, m.select().tuples())) for m in MODELS}


# Once, on SQLite: the token is checked in webapp/access.py (make_route) from the form and the
# session alone, after the permission; the permission checks of these accounts reach
# PostgreSQL in the access walk above and in the form fuzz (tests/web/test_fuzz.py).
@pytest.mark.once
@pytest.mark.parametrize("username", sorted(PASSWORDS))
def test_every_unsafe_route_refuses_a_missing_or_wrong_csrf_token(app, as_viewer, username):
    _, params = tables()
    client = as_viewer(username)
    with database.connection_context():
        posts = [
            (key, url_for(route.path, params))
            for key, route in app_routes(app)
            if key.startswith("POST")
        ]
    before = snapshot()
    for key, url in posts:
        for data in ({}, {"csrf_token": "20990101000000##forged"}):
            response = client.post(url, data=data, follow_redirects=False)
            status = response.status_code
            # A hidden route does not exist for these accounts: "not found" before the token.
            expected = 404 if key in HIDDEN else 403
            assert status == expected, f"{key} without a valid token: {status}"
    assert snapshot() == before


def test_the_four_viewers_are_who_the_tests_say(app, as_viewer):
    assert VIEWERS["member"] and VIEWERS["other"]
    for kind in ("member", "coordinator", "other"):
        client = as_viewer(kind)
        assert client.get("/projects", follow_redirects=False).status_code == 200
