"""The account pages run a fixed number of queries, also with ten times the demo data."""

from starlette.testclient import TestClient

from tests.conftest import build_demo_10x, login

PAGES = ("/accounts/links", "/admin/rights", "/audit", "/removals", "/account")


def test_account_pages_use_as_many_queries_at_ten_times_the_data(client, databases, count_queries):
    login(client, "beheer")
    small = {url: count_queries(client, url) for url in PAGES}
    from webapp.app import create_app

    with TestClient(create_app(databases.fresh(build_demo_10x))) as big:
        login(big, "beheer")
        large = {url: count_queries(big, url) for url in PAGES}
    assert large == small
