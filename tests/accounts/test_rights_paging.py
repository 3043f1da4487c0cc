"""The rights page at federation scale (issue 13): it lists the holders of a right a page at
a time (not every account), and whom a right is for is found by a search on the name or
username; without JavaScript and with htmx, for the viewers who may and may not."""

import re

import pytest
from peewee import fn

from models.accounts import Account, Grant
from models.accounts.rights import grant_right
from models.db import database
from models.paging import PAGE_SIZE
from models.people import Person
from tests.conftest import login, post
from tests.paging import walk

CHOICE = re.compile(r'name="account" id="[^"]+" value="(\d+)"[^>]*> <span>([^<]+)</span>')


def _holders(count: int) -> None:
    """`count` more accounts, each given the privacy right the app's own way."""
    with database.connection_context(), database.atomic():
        for n in range(count):
            person = Person.create(display_name=f"Houder {n:03d}")
            account = Account.create(person=person, username=f"houder{n:03d}", password_hash="-")
            grant_right(None, account, "privacy", None)


def _brute_force() -> list[int]:
    with database.connection_context():
        holders = (
            Account.select(Account.id)
            .join(Person)
            .where(Account.id.in_(Grant.select(Grant.account)))
            .order_by(fn.COALESCE(Person.display_name, ""), Account.id)
        )
        return [a.id for a in holders]


@pytest.mark.parametrize("extra", [0, 2 * PAGE_SIZE + 1])
def test_walking_the_holders_shows_each_once_by_name(client, extra):
    _holders(extra)
    login(client, "beheer")
    seen, pages = walk(client, "/admin/rights", "holders", r"#holder-(\d+)", PAGE_SIZE, True)
    assert seen == _brute_force()
    assert pages == max(1, -(-len(seen) // PAGE_SIZE))


@pytest.mark.parametrize("viewer", ["member", "coordinator", "other"])
def test_only_administrators_search_accounts(as_viewer, viewer):
    assert as_viewer(viewer).get("/admin/rights?q=an").status_code == 403


def test_without_javascript_an_account_is_searched_then_given_a_right(client):
    login(client, "beheer")
    assert not CHOICE.findall(client.get("/admin/rights").text)
    page = client.get("/admin/rights", params={"q": "ANOUK"}).text
    ((anouk, label),) = CHOICE.findall(page)
    assert label == "Anouk B. (anouk)"
    assert CHOICE.findall(client.get("/admin/rights?q=priya").text)  # the username too
    data = {"account": anouk, "right": "treasurer", "project": "0", "q": "anouk"}
    assert post(client, "/admin/rights/grant", data, follow_redirects=False).status_code == 303
    with database.connection_context():
        assert (
            Grant.select()
            .where((Grant.account == int(anouk)) & (Grant.right == "treasurer"))
            .exists()
        )


def test_with_htmx_the_accounts_come_as_you_type(client):
    login(client, "beheer")
    fragment = client.get("/admin/rights?q=an", headers={"HX-Request": "true"}).text
    assert fragment.lstrip().startswith('<div id="grant-account"')
    assert "Anouk B. (anouk)" in [label for _id, label in CHOICE.findall(fragment)]


@pytest.mark.parametrize("account", ["", "x", "0", "-1", "99999999999", "2147483647"])
def test_a_posted_account_that_is_no_one_gets_a_sentence(client, account):
    login(client, "beheer")
    data = {"account": account, "right": "treasurer", "project": "0"}
    response = post(client, "/admin/rights/grant", data)
    assert response.status_code == 400
    assert "Kies een persoon" in response.text or "Zoek een naam" in response.text
