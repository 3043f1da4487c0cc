"""Every GET route's query parameters, one at a time (tests/web/field_fuzz.py): the
parameters are the ones the app's own pages send there (search and filter forms, links with
a query string, and the pager's `after`/`before`), each gets each hostile value while the
others keep the values the page sent, and no answer is a server error."""

import pytest

from models.db import database
from tests.web.field_fuzz import EXAMPLES, HOSTILE, drawn_queries, query_errors
from tests.web.test_access import app_routes, tables, url_for

# Every list may be paged (models/paging.py); the demo's lists are too short to draw a pager.
PAGING = ("after", "before")
PAGING_VALUES = HOSTILE if EXAMPLES >= len(HOSTILE) else HOSTILE[:1]


# The member sees a subset of the coordinator's pages, so the three with the widest reach.
@pytest.mark.parametrize("viewer", ["coordinator", "penningmeester", "beheer"])
def test_each_query_parameter_alone_never_gives_a_server_error(app, as_viewer, viewer):
    _, params = tables()
    client = as_viewer(viewer)
    with database.connection_context():
        pages = [
            url_for(route.path, params)
            for key, route in app_routes(app)
            if key.startswith("GET") and key != "GET /static"
        ]
    sent: dict[str, dict] = {}
    shown = []  # the pages this viewer may see: only there is anything behind to reach
    for page in pages:
        response = client.get(page, follow_redirects=False)
        if response.status_code == 200:
            shown.append(page)
        for path, query in drawn_queries(response).items():
            sent.setdefault(path, {}).update(query)
    failures = []
    for page in shown:
        valid = {n: v for n, v in sent.get(page, {}).items() if n != "csrf_token"}
        failures += query_errors(client, page, valid, valid)
        # Every page gets the pager's parameters, with the id past 64 bits by default.
        paging = [name for name in PAGING if name not in valid]
        failures += query_errors(client, page, valid, paging, hostile=PAGING_VALUES)
    assert not failures, "\n".join(failures)
