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


def test_the_budget_page_shows_a_page_of_posts_whatever_the_year_holds(
    as_viewer, db, count_queries
):
    """Issue 23 point 6: /budget lists the posts a page at a time with their totals, and no
    sub-budget (they are on their post's page); the same queries with 45 more posts of 4
    sub-budgets each, on the first page and the next; the posts' money is their kept
    totals."""
    import re

    from models.budget import BudgetYear
    from models.budget.summary import POSTS_PER_PAGE, summary

    client = as_viewer("coordinator")
    before = count_queries(client, "/budget")
    with database.atomic():
        year = BudgetYear.latest()
        Post.insert_many(
            [{"year": year.id, "name": f"Post {n:02d}", "planned_cents": 100} for n in range(45)]
        ).execute()
        posts = [p.id for p in Post.select().where(Post.name.startswith("Post "))]
        SubBudget.insert_many(
            [
                {"post": p, "name": f"Sub {p}-{n}", "planned_cents": 50}
                for p in posts
                for n in range(4)
            ]
        ).execute()
    first = client.get("/budget").text
    assert count_queries(client, "/budget") == before
    assert first.count('class="budget-post"') == POSTS_PER_PAGE
    assert "Sub " not in first and "#subs-heading" in first  # on the post's page
    after = re.search(r'href="/budget\?([^"]*after=\d+[^"]*)"', first)
    assert after is not None
    following = "/budget?" + after.group(1).replace("&amp;", "&")
    assert count_queries(client, following) == before
    second = client.get(following).text
    shown = set(
        re.findall(r'<h3 id="post-(\d+)">', first) + re.findall(r'<h3 id="post-(\d+)">', second)
    )
    assert len(shown) == 2 * POSTS_PER_PAGE
    # The totals on the page are the summary's (budget-summary.csv).
    data = summary(BudgetYear.latest())
    line = data.posts[0]
    from webapp.templating import show_money

    assert show_money(line.totals.remaining) in client.get(f"/budget?year={year.year}").text
