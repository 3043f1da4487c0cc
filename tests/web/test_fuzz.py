"""Garbage in never gives a server error: every GET route with nasty query values and huge
ids, every POST route with nasty values in its form fields, as the viewers with the widest
reach.

The values come in families (integers and dates at their edges, over-long and odd texts),
each ordered with the most dangerous first. A POST route gets three kinds of request:

- typed edges: every number field an integer edge (or every date field a date edge), while
  the other fields hold plausible valid values, so the edge gets past validation to the code
  that uses it (a ladder position of 2**63 reached the database this way);
- text edges: every text field an over-long or odd text, the rest plausible;
- the same hostile value in every field (for ids and choices read by hand).

Deterministic (fixed lists, fixed order) and capped: the default run sends the first
TAFEL_FUZZ_EXAMPLES values of each kind (default 2) per route; `TAFEL_FUZZ_EXAMPLES=100`
sends them all.
"""

import functools
import os
import re
from itertools import zip_longest

import pytest

from models.db import database
from tests.web.test_access import app_routes, tables, url_for
from webapp.forms import TafelForm
from webapp.settings import ROOT

EXAMPLES = int(os.environ.get("TAFEL_FUZZ_EXAMPLES", "2"))

INTEGER_EDGES = [
    str(2**63),  # past SQLite's 64-bit integer
    str(2**31),  # past PostgreSQL's 32-bit integer
    "-1",
    "0",
    str(2**31 - 1),
    str(2**63 - 1),
    "99999999999999999999999",
    "-99999999999999999999999",
    "9" * 5000,  # past Python's int() digit limit
    "1e400",
    "NaN",
    "1.5",
]
DATE_EDGES = [
    "9999-12-31",
    "0001-01-01",
    "2026-02-30",
    "",
    "0000-00-00",
    "2026-02-31",
    "31-12-9999",
    "99999-01-01",
]
TEXT_EDGES = [
    "z" * 100_001,  # past the longest text Tafel keeps (minutes)
    "x" * 3000,  # past most fields' limits
    "",
    "'; DROP TABLE person; --",
    "../../../../etc/passwd",
    "€ -1.000.000.000.000.000,00",
    "<script>alert(1)</script>",
    " \u202e\ufeff ",
]
# Every family in one list, interleaved so the first few hold an edge of each (the longest
# text left out: in every field at once it would make a 7 MB request).
NASTY = [
    value
    for group in zip_longest(INTEGER_EDGES, DATE_EDGES, TEXT_EDGES[1:])
    for value in group
    if value is not None
]
NUL = "\x00"
QUERY_NAMES = {
    "integer": ("year", "project", "page", "person", "excel", "block", "saved", "changed")
    # Where a paged list starts (models/paging.py), and the vacancy a committee search is for.
    + ("after", "before", "mine_after", "decide_before", "pay_after", "vacancy"),
    "date": ("since", "until", "from", "to"),
    "text": ("next", "actor", "action", "q"),
}
HUGE_ID = "99999999999999999999"
# Forms drawn with a prefix (the ladder: one form per step on one page).
FIELD_PREFIX = {"POST /ladder": "new-", "POST /ladder/{step_id:int}": "s{step_id}-"}
# Plausible values for choices filled at run time (the fuzz wants the other fields valid).
PLAUSIBLE = {
    "category": "volunteer",
    "layer": "execution",
    "kind": "travel_km",
    "status": "active",
    "right": "coordinator",
    "role": "chair",
    "direction": "spending",
    "sub_budget": "1",
    "project": "1",
    "manager": "1",
    "time": "19:30",
    "username": "fuzzer",
}


def _all_subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _all_subclasses(sub)


@functools.cache
def read_by_hand(source: str) -> frozenset[str]:
    """Names the web layer reads straight from the posted form or the query string (read from
    webapp/'s source once per run: the query strings are made anew for every route)."""
    pattern = {"form": r"form\.(?:get|getlist)\(\"(\w+)\"", "query": r"params\.get\(\"(\w+)\""}
    found = set()
    for path in (ROOT / "webapp").rglob("*.py"):
        found.update(re.findall(pattern[source], path.read_text(encoding="utf-8")))
    return frozenset(found)


def form_fields() -> dict[str, str]:
    """Every form field name with its kind: integer, date, text or choice."""
    from webapp.areas import all_routes

    all_routes()  # loads every form class

    # Names a route reads by hand (not through a form) are fuzzed like choices.
    kinds = dict.fromkeys(read_by_hand("form"), "choice")
    for form in _all_subclasses(TafelForm):
        for name in dir(form):
            unbound = getattr(form, name, None)
            if type(unbound).__name__ != "UnboundField":
                continue
            names = [c.__name__ for c in unbound.field_class.__mro__]
            if "IntegerField" in names:
                kind = "integer"
            elif "DateField" in names:
                kind = "date"
            elif {"StringField", "TextAreaField", "PasswordField"} & set(names) and not (
                {"SelectField", "RadioField", "HiddenField"} & set(names)
            ):
                kind = "text"
            else:
                kind = "choice"
            # A name that is a number or date in any form is fuzzed as one.
            order = ("integer", "date", "text", "choice")
            current = kinds.get(name, "choice")
            kinds[name] = min(kind, current, key=order.index)
    kinds.pop("csrf_token", None)
    return kinds


def _plausible(name: str, kind: str) -> str:
    if name in PLAUSIBLE:
        return PLAUSIBLE[name]
    return {"integer": "3", "date": "2026-06-17", "text": "Tekst"}.get(kind, "1")


def post_bodies(fields: dict[str, str]) -> list[tuple[str, dict]]:
    """(label, data) for every request a POST route gets, in order, capped by EXAMPLES."""
    bodies = []
    # One kind at a time: a number out of range next to a date out of range would hide it.
    for kind, edges in (("integer", INTEGER_EDGES), ("date", DATE_EDGES)):
        for edge in edges[:EXAMPLES]:
            data = {n: edge if k == kind else _plausible(n, k) for n, k in fields.items()}
            bodies.append((f"{kind}s {edge[:20]!r}", data))
    for text in TEXT_EDGES[:EXAMPLES]:
        data = {n: text if k == "text" else _plausible(n, k) for n, k in fields.items()}
        bodies.append((f"texts {text[:20]!r}", data))
    for value in NASTY[:EXAMPLES]:
        bodies.append((f"all {value[:20]!r}", dict.fromkeys(fields, value)))
    bodies.append(("NUL", dict.fromkeys(fields, NUL)))
    return bodies


def query_strings() -> list[tuple[str, dict]]:
    """(label, params) for the GET routes: each family's edges at once, capped by EXAMPLES."""
    queries = []
    count = min(EXAMPLES * 2, max(len(INTEGER_EDGES), len(DATE_EDGES), len(TEXT_EDGES)))
    for i in range(count):
        values = {
            "integer": INTEGER_EDGES[i % len(INTEGER_EDGES)],
            "date": DATE_EDGES[i % len(DATE_EDGES)],
            "text": TEXT_EDGES[(i + 1) % len(TEXT_EDGES)][:3000],
        }
        params = dict.fromkeys(read_by_hand("query"), values["text"])
        params.update({n: values[kind] for kind, names in QUERY_NAMES.items() for n in names})
        queries.append((f"{values['integer'][:20]!r}/{values['date']!r}", params))
    names = read_by_hand("query").union(*QUERY_NAMES.values())
    queries.append(("NUL", dict.fromkeys(names, NUL)))
    return queries


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


def _refused(response) -> bool:
    """Refused before any handler ran: not for this viewer (no need to send it garbage)."""
    location = response.headers.get("location", "")
    return response.status_code in (403, 404) or location.startswith("/login")


def _prefixed(key: str, data: dict, params: dict) -> dict:
    prefix = FIELD_PREFIX.get(key)
    if not prefix:
        return data
    prefix = prefix.format(**{name: make() for name, make in params.items() if name in prefix})
    return {(n if n == "csrf_token" else prefix + n): v for n, v in data.items()}


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
        if huge:
            status = _status(client.get, huge, follow_redirects=False)
            if _bad(status):
                failures.append(f"{key} huge id: {status}")
        first = client.get(url, follow_redirects=False)
        if _bad(first.status_code):
            failures.append(f"{key} plain: {first.status_code}")
        if _refused(first):
            continue
        for label, query in query_strings():
            status = _status(client.get, url, params=query, follow_redirects=False)
            if _bad(status):
                failures.append(f"{key} ?{label}: {status}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("viewer", ["coordinator", "member", "penningmeester", "beheer"])
def test_garbage_forms_never_give_a_server_error(app, as_viewer, csrf_token_of, viewer):
    _, params = tables()
    client = as_viewer(viewer)
    fields = form_fields()
    with database.connection_context():
        posts = [
            (key, url_for(route.path, params), _huge_ids(route.path))
            for key, route in app_routes(app)
            if key.startswith("POST") and key != "POST /logout"
        ]
        bodies = post_bodies(fields)
        with_prefix = {
            key: [(label, _prefixed(key, data, params)) for label, data in bodies]
            for key, _url, _huge in posts
            if key in FIELD_PREFIX
        }
    failures = []
    for key, url, huge in posts:
        # One token per route: tokens stay valid for hours and are not used up.
        token = {"csrf_token": csrf_token_of(client)}
        if huge:
            status = _status(client.post, huge, data=token, follow_redirects=False)
            if _bad(status):
                failures.append(f"{key} huge id: {status}")
        try:
            first = client.post(url, data=token, follow_redirects=False)
        except Exception as exc:  # noqa: BLE001
            failures.append(f"{key} no fields: 500 {type(exc).__name__}: {str(exc)[:80]}")
            continue
        if _bad(first.status_code):
            failures.append(f"{key} no fields: {first.status_code}")
        if _refused(first):
            continue
        for label, data in with_prefix.get(key, bodies):
            status = _status(client.post, url, data={**data, **token}, follow_redirects=False)
            if _bad(status):
                failures.append(f"{key} {label}: {status}")
    assert not failures, "\n".join(failures)
