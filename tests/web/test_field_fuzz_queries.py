"""Every GET route's query parameters, one at a time (tests/web/field_fuzz.py): the
parameters are the ones the app's own pages send there (search and filter forms, links with
a query string) and the ones the route's module reads (`query_params.get`, `bind_query`
forms, the pager's `after`/`before`); each gets each hostile value while the others keep the
values the page sent, and no answer is a server error."""

import importlib
import inspect
import pkgutil
import re

import pytest

from models.db import database
from tests.web.field_fuzz import EXAMPLES, HOSTILE, drawn_queries, query_errors
from tests.web.test_access import app_routes, tables, url_for
from webapp.areas import AREAS

# Every list may be paged (models/paging.py); the demo's lists are too short to draw a pager.
PAGING = ("after", "before")
# Names no page draws get the id past 64 bits by default (all values under EXAMPLES=100).
UNDRAWN_VALUES = HOSTILE if EXAMPLES >= len(HOSTILE) else HOSTILE[:1]


def _handler_modules() -> dict[str, object]:
    """{handler name: the webapp module that defines it}."""
    found = {}
    for area in AREAS:
        package = importlib.import_module(f"webapp.{area}")
        for info in pkgutil.iter_modules(package.__path__):
            module = importlib.import_module(f"webapp.{area}.{info.name}")
            for name, value in vars(module).items():
                if inspect.isfunction(value) and value.__module__ == module.__name__:
                    found.setdefault(name, module)
    return found


def read_in_module(module) -> set[str]:
    """The query parameters a route module reads: by hand, through a bound query form, or
    through the pager (page_params: `after`/`before`, or the pairs of its LINKS)."""
    if module is None:  # the app's own files (favicon, robots.txt) read nothing
        return set()
    source = inspect.getsource(module)
    names = set(re.findall(r"(?:query_params|params)\.get(?:list)?\(\"(\w+)\"", source))
    for form_name in re.findall(r"bind_query\((\w+)", source):
        form = getattr(module, form_name, None)
        if isinstance(form, type):
            names.update(n for n in dir(form) if type(getattr(form, n)).__name__ == "UnboundField")
    if "page_params(" in source:
        names.update(PAGING)
        for pair in getattr(module, "LINKS", {}).values():
            names.update(pair)
    return names


# The member sees a subset of the coordinator's pages, so the three with the widest reach.
@pytest.mark.parametrize("viewer", ["coordinator", "penningmeester", "beheer"])
def test_each_query_parameter_alone_never_gives_a_server_error(app, as_viewer, viewer):
    _, params = tables()
    client = as_viewer(viewer)
    modules = _handler_modules()
    with database.connection_context():
        pages = [
            (url_for(route.path, params), read_in_module(modules.get(route.endpoint.__name__)))
            for key, route in app_routes(app)
            if key.startswith("GET") and key != "GET /static"
        ]
    sent: dict[str, dict] = {}
    shown = []  # the pages this viewer may see: only there is anything behind to reach
    for page, read in pages:
        response = client.get(page, follow_redirects=False)
        if response.status_code == 200:
            shown.append((page, read))
        for path, query in drawn_queries(response).items():
            sent.setdefault(path, {}).update(query)
    failures = []
    for page, read in shown:
        valid = {n: v for n, v in sent.get(page, {}).items() if n != "csrf_token"}
        failures += query_errors(client, page, valid, valid)
        undrawn = sorted(read - set(valid))
        failures += query_errors(client, page, valid, undrawn, hostile=UNDRAWN_VALUES)
    assert not failures, "\n".join(failures)
