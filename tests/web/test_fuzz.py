"""Garbage in never gives a server error: every GET route with nasty query values and huge
ids, every POST route with nasty values in every form field, as a coordinator and a member."""

import re

import pytest

from models.db import database
from tests.web.test_access import app_routes, tables, url_for
from webapp.forms import TafelForm

NASTY = [
    "",
    "-1",
    "0",
    "99999999999999999999999",
    "-99999999999999999999999",
    "1e400",
    "NaN",
    "2026-02-31",
    "0000-00-00",
    "abc",
    "../../../../etc/passwd",
    "x" * 3000,
    "\x00",
    "€ -1.000.000.000.000.000,00",
    "'; DROP TABLE person; --",
]
QUERY_NAMES = (
    "year",
    "project",
    "excel",
    "next",
    "page",
    "actor",
    "action",
    "person",
    "since",
    "until",
    "from",
    "to",
    "changed",
    "saved",
    "q",
    "block",
)
HUGE_ID = "99999999999999999999"


def _all_subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _all_subclasses(sub)


def form_field_names():
    import webapp.routes  # noqa: F401  (loads every form class)

    names = {"file", "language", "next", "remove", "csrf_token"}
    for form in _all_subclasses(TafelForm):
        for name in dir(form):
            unbound = getattr(form, name, None)
            if type(unbound).__name__ == "UnboundField":
                names.add(name)
    names.discard("csrf_token")
    return sorted(names)


def _huge_ids(path: str) -> str | None:
    """The path with every int id far too large for the database, None without ids."""
    huge = re.sub(r"\{(\w+):int\}", HUGE_ID, path)
    return None if huge == path or "{" in huge else huge


def _status(call, *args, **kwargs):
    """The response status; an exception the app let through counts as a server error."""
    try:
        return call(*args, **kwargs).status_code
    except Exception as exc:  # noqa: BLE001
        return f"500 {type(exc).__name__}: {str(exc)[:80]}"


def _bad(status) -> bool:
    return not isinstance(status, int) or status >= 500


# The member sees a subset of the coordinator's pages, so the three with the widest reach.
@pytest.mark.parametrize("viewer", ["coordinator", "penningmeester", "beheer"])
def test_garbage_query_strings_and_huge_ids_never_give_a_server_error(app, as_viewer, viewer):
    _, params = tables()
    client = as_viewer(viewer)
    with database.connection_context():
        gets = [
            (key, url_for(route.path, params), _huge_ids(route.path))
            for key, route in app_routes(app)
            if key.startswith("GET") and key != "GET /static"
        ]
    failures = []
    for key, url, huge in gets:
        for value in NASTY:
            query = {name: value for name in QUERY_NAMES}
            status = _status(client.get, url, params=query, follow_redirects=False)
            if _bad(status):
                failures.append(f"{key} ?={value[:30]!r}: {status}")
        if huge:
            status = _status(client.get, huge, follow_redirects=False)
            if _bad(status):
                failures.append(f"{key} huge id: {status}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("viewer", ["coordinator", "member", "penningmeester", "beheer"])
def test_garbage_forms_never_give_a_server_error(app, as_viewer, csrf_token_of, viewer):
    _, params = tables()
    client = as_viewer(viewer)
    names = form_field_names()
    with database.connection_context():
        posts = [
            (key, url_for(route.path, params), _huge_ids(route.path))
            for key, route in app_routes(app)
            if key.startswith("POST") and key != "POST /logout"
        ]
    failures = []
    for key, url, huge in posts:
        # One token per route: tokens stay valid for hours and are not used up.
        token = csrf_token_of(client)
        for value in NASTY:
            data = {name: value for name in names}
            data["description"] = "y" * 100_000
            data["csrf_token"] = token
            status = _status(client.post, url, data=data, follow_redirects=False)
            if _bad(status):
                failures.append(f"{key} {value[:30]!r}: {status}")
        token = {"csrf_token": csrf_token_of(client)}
        status = _status(client.post, url, data=token, follow_redirects=False)
        if _bad(status):
            failures.append(f"{key} no fields: {status}")
        if huge:
            status = _status(client.post, huge, data=token, follow_redirects=False)
            if _bad(status):
                failures.append(f"{key} huge id: {status}")
    assert not failures, "\n".join(failures)
