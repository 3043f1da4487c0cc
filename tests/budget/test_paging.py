"""Ledger lines and claims at federation scale (issue 13): a page at a time, newest first, by
keyset on (date, id); at two data sizes, walking every page against the brute-force list."""

import datetime as dt

import pytest

from models.budget import LedgerEntry, Post, SubBudget
from models.budget.ledger import book_entry
from models.db import database
from models.paging import PAGE_SIZE
from tests.conftest import login
from tests.paging import walk

ENTRY = r"#entry-(\d+)"


def _book(count: int, on_post: bool) -> tuple[str, object]:
    """`count` entries on the first sub-budget (or its post itself), through the app's own
    booking; three share each date, so the id decides among them."""
    with database.connection_context():
        sub = SubBudget.select().order_by(SubBudget.id).first()
        post = Post.get_by_id(sub.post_id)
        year = post.year.year
        for n in range(count):
            book_entry(
                post=post, sub=None if on_post else sub,
                date=dt.date(year, 1 + n % 12, 1 + (n // 3) % 28), description=f"regel {n}",
                amount_cents=-(100 + n), kind="spending", receipt=None, account_id=None,
                person_id=None,
            )  # fmt: skip
    if on_post:
        where = (LedgerEntry.post == post.id) & LedgerEntry.sub_budget.is_null()
        return f"/budget/posts/{post.id}", where
    return f"/budget/sub-budgets/{sub.id}", LedgerEntry.sub_budget == sub.id


@pytest.mark.parametrize("extra", [0, 2 * PAGE_SIZE + 5])
@pytest.mark.parametrize("on_post", [False, True])
def test_walking_the_ledger_shows_every_line_once_newest_first(client, extra, on_post):
    url, where = _book(extra, on_post)
    login(client, "penningmeester")
    seen, pages = walk(client, url, "lines", ENTRY, PAGE_SIZE)
    with database.connection_context():
        order = (LedgerEntry.date.desc(), LedgerEntry.id.desc())
        everything = [e.id for e in LedgerEntry.select().where(where).order_by(*order)]
    assert seen == everything
    assert pages == max(1, -(-len(everything) // PAGE_SIZE))


@pytest.mark.parametrize("query", ["after=x", "before=-5", "after=99999999999", "after=1&before=1"])
def test_junk_paging_gives_a_page(client, query):
    url, _ = _book(0, False)
    login(client, "penningmeester")
    assert client.get(f"{url}?{query}").status_code == 200
