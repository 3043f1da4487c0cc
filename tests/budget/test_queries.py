"""The budget pages run a fixed number of queries: the same at demo size and 10 times larger."""

from starlette.testclient import TestClient

from models.budget import Claim, Post, SubBudget
from models.db import database
from models.person import Person
from tests.conftest import build_demo, build_demo_10x, login


def _counts(url_db, count_queries) -> dict:
    from webapp.app import create_app

    app = create_app(url_db)
    counts = {}
    with database.connection_context():
        bram = Person.get(Person.display_name == "Bram")
        urls = {
            "summary": "/budget",
            "claims": "/budget/claims",
            "sub": f"/budget/sub-budgets/{SubBudget.get(SubBudget.name == 'Papier en inkt').id}",
            "post": f"/budget/posts/{Post.get(Post.name == 'Materialen').id}",
            "claim": f"/budget/claims/{Claim.get(Claim.claimant == bram).id}",
        }
    for username in ("anouk", "penningmeester", "priya"):
        with TestClient(app) as client:
            login(client, username)
            for name, url in urls.items():
                if name == "claim" and username == "priya":
                    continue
                counts[(username, name)] = count_queries(client, url)
    return counts


def test_budget_pages_do_not_grow_from_demo_size_to_ten_times(databases, data_dir, count_queries):
    small = _counts(databases.fresh(build_demo), count_queries)
    large = _counts(databases.fresh(build_demo_10x), count_queries)
    assert small == large
    assert max(small.values()) <= 20, small
