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


def _claim(count: int, approve_every: int = 2) -> None:
    """`count` claims by Anouk through the app's own way in; every other one approved by the
    treasurer. The clock stands still, so all share one moment and the id decides."""
    from models.budget import claims
    from models.people import Person
    from webapp.access import Viewer

    with database.connection_context():
        anouk = Person.get(Person.display_name == "Anouk B.")
        sub = SubBudget.select().order_by(SubBudget.id).first()
        treasurer = Viewer(account_id=1, person_id=None, rights=frozenset({"treasurer"}))
        for n in range(count):
            claim = claims.submit(
                claimant_id=anouk.id, sub_budget_id=sub.id, kind="receipt", km=None,
                amount_cents=100 + n, spent_on=dt.date(2026, 6, 1), description=f"bon {n}",
                receipt=None, account_id=None,
            )  # fmt: skip
            if n % approve_every == 0:
                assert claims.approve(claim.id, treasurer)


def _claims(where, *order) -> list[int]:
    from models.budget import Claim

    with database.connection_context():
        return [c.id for c in Claim.select().where(where).order_by(*order)]


CLAIM = r"/budget/claims/(\d+)"


@pytest.mark.parametrize("extra", [0, 2 * PAGE_SIZE + 3])
def test_walking_each_claims_list_shows_every_claim_once(as_viewer, extra):
    from models.budget import Claim
    from models.people import Person

    _claim(extra)
    with database.connection_context():
        anouk = Person.get(Person.display_name == "Anouk B.").id
    mine, _ = walk(as_viewer("member"), "/budget/claims", "mine-heading", CLAIM, PAGE_SIZE)
    assert mine == _claims(Claim.claimant == anouk, Claim.created_at.desc(), Claim.id.desc())
    treasurer = as_viewer("penningmeester")
    waiting, _ = walk(treasurer, "/budget/claims", "decide-heading", CLAIM, PAGE_SIZE)
    assert waiting == _claims(Claim.status == "submitted", Claim.created_at, Claim.id)
    paying, _ = walk(treasurer, "/budget/claims", "pay-heading", CLAIM, PAGE_SIZE)
    assert paying == _claims(Claim.status == "approved", Claim.decided_at, Claim.id)
    if extra:
        assert len(mine) > PAGE_SIZE and len(waiting) > PAGE_SIZE // 2


@pytest.mark.parametrize("query", ["mine_after=x", "decide_before=-1", "pay_after=2147483648"])
def test_junk_claim_paging_gives_a_page(as_viewer, query):
    assert as_viewer("penningmeester").get(f"/budget/claims?{query}").status_code == 200
