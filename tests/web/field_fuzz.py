"""Fuzz one form field by field: each field on its own gets each hostile value while the
other fields keep valid values, so a single field that reaches the database unparsed is
found (tests/web/test_fuzz.py sends one value to every field at once, and then another field
often fails first: issue 20, a decision id of 2**63 on SQLite).

Any area's tests can use it:

    from tests.web.field_fuzz import server_errors

    def test_each_field_of_the_action_form(as_viewer, db):
        valid = {"description": "Posters", "owner": str(anouk_id), "due": "2026-07-01"}
        assert server_errors(as_viewer("coordinator"), "/meetings/3/actions", valid) == []

`server_errors` sends len(fields) × len(hostile) posts with a real CSRF token and returns one
line per answer that is a server error (or an exception the app let through), so the assert
lists them all. A refusal (400, 409) or a redirect is fine: no answer may be a 500. The posts
may change the database (a valid-looking value is saved), so give each form a fresh one.

`rendered_form(client, page, action)` reads the valid submission from the page's own form
(what a person who changes nothing would send), so the fuzz follows the forms as they change.

An entry (`Form` below) is run twice: `fuzz_route` fuzzes it, and `refusal_of` proves its
valid submission is taken, so the other fields are valid while one is fuzzed.

By default each field gets the first `EXAMPLES` hostile values (3: the ones that found real
bugs, ordered first); `TAFEL_FUZZ_EXAMPLES=100` sends them all (the switch tests/web/
test_fuzz.py reads too).
"""

import os
import re
from html.parser import HTMLParser

from starlette.testclient import TestClient

from models.db import database
from tests.conftest import csrf_of

# Ordered with the most dangerous first: the default run sends the first EXAMPLES of them.
HOSTILE = (
    str(2**63),  # past SQLite's 64-bit integer (issue 20's decision id)
    "x" * 10_000,  # past the limit of every field but the minutes'
    ["1", "2"],  # the field twice: a list where the code expects one value
    str(2**31),  # past PostgreSQL's 32-bit integer
    "-1",
    "0",
    "abc",
    "",
    # Beyond Latin-1, an emoji, combining marks (e + two accents), right-to-left marks and
    # a turn of direction (no NUL: test_fuzz.py sends that one).
    "Zoë 🌷 ﷽ 漢字 e\u0301\u0308 \u200f\u202eabc\u202c\u200e",
)
EXAMPLES = int(os.environ.get("TAFEL_FUZZ_EXAMPLES", "3"))


def hostile_values() -> tuple:
    """The hostile values of this run: the first EXAMPLES (all under TAFEL_FUZZ_EXAMPLES=100)."""
    return HOSTILE[: max(EXAMPLES, 1)]


def _shown(value) -> str:
    return repr(value if isinstance(value, list) else value[:20])


def server_errors(
    client: TestClient,
    url: str,
    valid: dict,
    *,
    fields=None,
    hostile=None,
    headers: dict | None = None,
) -> list[str]:
    """Post `valid` to `url` once per field (of `fields`, by default every key of `valid`)
    and hostile value, that field alone replaced; the answers that were server errors."""
    token = csrf_of(client, "/")
    failures = []
    for name in fields or list(valid):
        for value in hostile_values() if hostile is None else hostile:
            data = {**valid, name: value, "csrf_token": token}
            try:
                status = client.post(
                    url, data=data, headers=headers or {}, follow_redirects=False
                ).status_code
            except Exception as exc:  # noqa: BLE001 - the app let it through: a 500
                status = f"{type(exc).__name__}: {str(exc)[:80]}"
            if not isinstance(status, int) or status >= 500:
                failures.append(f"POST {url} {name}={_shown(value)}: {status}")
    return failures


class _FormReader(HTMLParser):
    """The POST forms of a page: per form its action, its field names in order and the
    values a person who changes nothing sends (the first radio when none is checked, a
    select's chosen or first real option)."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self.form: dict | None = None
        self.select: str | None = None
        self.textarea: str | None = None
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and "?" in (a.get("href") or ""):
            self.links.append(a["href"])
        if tag == "form":
            self.form = {"action": a.get("action") or "", "method": a.get("method") or "get"}
            self.form.update(names=[], values={}, files=[])
            self.forms.append(self.form)
            return
        name = a.get("name")
        if self.form is None or (not name and tag != "option") or name == "csrf_token":
            return
        form, values = self.form, self.form["values"]
        if name and name not in form["names"] and tag != "option":
            form["names"].append(name)
        kind = (a.get("type") or "text").lower()
        if tag == "input" and kind == "file":
            form["files"].append(name)
        elif tag == "input" and kind == "radio":
            if "checked" in a or name not in values:
                values[name] = a.get("value", "on")
        elif tag == "input" and kind == "checkbox":
            if "checked" in a:
                values[name] = a.get("value", "on")
        elif tag == "button":
            values.setdefault(name, a.get("value", ""))
        elif tag == "input":
            values[name] = a.get("value", "")
        elif tag == "select":
            self.select = name
        elif tag == "option" and self.select:
            value = a.get("value", "")
            if "selected" in a or (value and not values.get(self.select)):
                values[self.select] = value
        elif tag == "textarea":
            self.textarea = name
            values[name] = ""

    def handle_data(self, data):
        if self.form is not None and self.textarea:
            self.form["values"][self.textarea] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None


def rendered_form(client: TestClient, page: str, action: str) -> tuple[dict, list[str]]:
    """(values, field names) of the POST form on `page` that posts to `action` (its path):
    what the page sends when nothing is changed, and every field it has (checkboxes left
    unticked too). Fails when the page has no such form."""
    response = client.get(page)
    assert response.status_code == 200, f"{page}: {response.status_code}"
    reader = _FormReader()
    reader.feed(response.text)
    for form in reader.forms:
        target = form["action"].split("#")[0].split("?")[0] or page.split("?")[0]
        if form["method"].lower() == "post" and target == action:
            values = {n: v for n, v in form["values"].items() if n not in form["files"]}
            return values, [n for n in form["names"] if n not in form["files"]]
    raise AssertionError(f"{page} has no form that posts to {action}")


class Form:
    """One POST route's per-field fuzz: who posts (`viewer`, a key of tests.conftest.VIEWERS
    or a demo account), the page that draws its form (`page`, a path with the same
    {parameters} as the route; None when no page draws it in the demo's state: then `typed`
    is the whole submission), what a person types or picks on top of the drawn form
    (`typed`), path parameters of its own (`params`, callables run in the test's database,
    over tests/access's PARAMS) and a step before (`prepare(as_viewer, url_params)`: bring the
    demo into the state the form needs; it may return path parameters it made)."""

    def __init__(self, viewer, page=None, typed=None, *, params=None, prepare=None):
        self.viewer, self.page, self.typed = viewer, page, typed or {}
        self.params, self.prepare = params or {}, prepare


def fill(path: str, values: dict) -> str:
    return re.sub(r"\{(\w+)(?::\w+)?\}", lambda m: str(values[m.group(1)]), path)


def submission(as_viewer, key: str, form: Form) -> tuple:
    """(client, url, valid data, field names) of one route's form, its valid data read from
    its page (plus what a person types), in the state `prepare` brought the demo to."""
    from tests.web.test_access import tables

    _, params = tables()
    params = {**params, **form.params}
    path = key.split(" ", 1)[1]
    with database.connection_context():
        names = set(re.findall(r"\{(\w+)", path + (form.page or "")))
        values = {name: params[name]() for name in names}
    client = as_viewer(form.viewer)
    if form.prepare:
        values.update(form.prepare(as_viewer, values) or {})
    url = fill(path, values)
    if form.page is None:
        return client, url, dict(form.typed), list(form.typed)
    drawn, fields = rendered_form(client, fill(form.page, values), url)
    fields += [name for name in form.typed if name not in fields]
    return client, url, {**drawn, **form.typed}, fields


def fuzz_route(as_viewer, key: str, form: Form) -> list[str]:
    """The server errors of one route's per-field fuzz (its form read from its page)."""
    client, url, valid, fields = submission(as_viewer, key, form)
    if not fields:  # a button alone: its one post must not fail either
        fields, valid = ["stray"], {}
    return server_errors(client, url, valid, fields=fields)


def refusal_of(as_viewer, key: str, form: Form) -> str | None:
    """None when the route takes its valid submission (a redirect or a page without an
    error), else the status and the sentences that refused it: the fuzz sends every hostile
    value next to fields that are valid."""
    client, url, valid, _fields = submission(as_viewer, key, form)
    answer = client.post(url, data={**valid, "csrf_token": csrf_of(client, "/")})
    said = re.findall(r'(?:class="error[^"]*"|role="alert")[^>]*>\s*([^<]+)', answer.text)
    if answer.status_code < 400 and not said:
        return None
    return f"{key} {valid}: {answer.status_code} {said}"


def query_errors(client: TestClient, url: str, valid: dict, fields, hostile=None) -> list[str]:
    """GET `url` once per query parameter (of `fields`) and hostile value, that parameter
    alone replaced and the others as the page's own links and filters send them; the answers
    that were server errors."""
    failures = []
    for name in fields:
        for value in hostile_values() if hostile is None else hostile:
            try:
                status = client.get(
                    url, params={**valid, name: value}, follow_redirects=False
                ).status_code
            except Exception as exc:  # noqa: BLE001 - the app let it through: a 500
                status = f"{type(exc).__name__}: {str(exc)[:80]}"
            if not isinstance(status, int) or status >= 500:
                failures.append(f"GET {url} {name}={_shown(value)}: {status}")
    return failures


def drawn_queries(response) -> dict[str, dict]:
    """{path: {name: value}}: the query parameters a page's GET forms (searches, filters)
    and its links with a query string send, per path they go to."""
    from urllib.parse import parse_qsl, urlsplit

    page = response.request.url.path
    if response.status_code != 200 or "html" not in response.headers.get("content-type", ""):
        return {}
    reader = _FormReader()
    reader.feed(response.text)
    found: dict[str, dict] = {}
    for form in reader.forms:
        if form["method"].lower() == "get":
            target = form["action"].split("#")[0].split("?")[0] or page.split("?")[0]
            found.setdefault(target, {}).update(
                {n: form["values"].get(n, "") for n in form["names"]}
            )
    for link in reader.links:
        parts = urlsplit(link)
        if parts.path.startswith("/") and not parts.netloc:
            found.setdefault(parts.path, {}).update(dict(parse_qsl(parts.query)))
    return found
