"""Four eyes through links (issue 19, H3): an account opened or reset through a link made by
someone counts as that someone for the second half of a check. Kim files a claim, makes a
reset link for the manager of its sub-budget, uses it and tries to approve her own claim as
that manager: refused with a sentence, nothing changes. The same either way round, for the
payment and for a planned amount."""

import pytest
from starlette.testclient import TestClient

from models.accounts import sessions
from models.accounts.links import make_link, use_link
from models.accounts.tables import Account
from models.actor import Actor
from models.budget import Claim, LedgerEntry, PlannedChange, SubBudget, claims, plan
from models.db import database
from models.person import Person
from tests.budget.test_claims import _submit
from tests.conftest import csrf_of, post

NEW_PASSWORD = "een-nieuw-wachtwoord-2026"


def _account(username: str) -> Account:
    return Account.get(Account.username == username)


def _take_over(maker: str, owner: str) -> None:
    """`maker` makes a new-password link for `owner`'s account and uses it herself."""
    with database.atomic():
        # The link as made before a second administrator approved it (or after): the
        # takeover itself is refused elsewhere (tests/accounts/test_trust.py); here it happened.
        link, _token = make_link(_account(owner).person, created_by=_account(maker).id)
        assert use_link(link, NEW_PASSWORD) is not None


def _signed_in_with_new_password(app, username: str) -> TestClient:
    client = TestClient(app)
    client.__enter__()
    response = client.post(
        "/login",
        data={"username": username, "password": NEW_PASSWORD, "csrf_token": csrf_of(client)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text[-1500:]
    return client


def _actor(username: str, with_links: bool = True) -> Actor:
    """The actor of this account as the request would build it (its links read from the data
    when `with_links`, as `load_viewer` is to fill them)."""
    account = _account(username)
    rights, coordinates, acts_for, _trusted = sessions.rights_of(account.id, account.person_id)
    return Actor(
        account_id=account.id,
        person_id=account.person_id,
        rights=frozenset(rights),
        coordinates=frozenset(coordinates),
        acts_for=frozenset(acts_for) if with_links else frozenset(),
    )


def _sub(name):
    return SubBudget.get(SubBudget.name == name)


H3_REFUSED = "Je telt als de persoon die dit geld terugvraagt"


def test_h3_a_claimant_holding_the_managers_account_cannot_approve_her_own_claim(
    app, as_viewer, db
):
    # Kim (here Priya, a member) files a € 450 claim on a sub-budget Anouk manages.
    kim = as_viewer("priya")
    claim = _submit(kim, _sub("Reiskosten vrijwilligers"), kind="other", km="", amount="450")
    assert claim.sub_budget.manager_id == _account("anouk").person_id
    assert claim.amount_cents == 45_000
    # She makes a new-password link for Anouk, uses it, and approves as Anouk.
    _take_over("priya", "anouk")
    as_anouk = _signed_in_with_new_password(app, "anouk")
    try:
        response = post(as_anouk, f"/budget/claims/{claim.id}/approve")
        # The request's actor carries the link (load_viewer), so the route's own rule
        # refuses it; the model's sentence is checked below.
        assert response.status_code == 403
        response = post(as_anouk, f"/budget/claims/{claim.id}/reject", {"reason": "nee"})
        assert response.status_code == 403
    finally:
        as_anouk.__exit__(None, None, None)
    assert Claim.get_by_id(claim.id).status == "submitted"
    # The model refuses it too, whether or not the actor already carries the link.
    for with_links in (True, False):
        with pytest.raises(claims.NotYourOwn):
            claims.approve(claim.id, _actor("anouk", with_links))
    assert Claim.get_by_id(claim.id).status == "submitted"
    # The treasurer, who made no link, may still decide it.
    assert claims.approve(claim.id, _actor("penningmeester"))


def test_a_manager_who_made_the_claimants_link_cannot_approve_that_claim(as_viewer, db):
    """The other way round: Anouk makes Priya's link, files a claim as Priya and approves it
    as herself."""
    _take_over("anouk", "priya")
    priya = Person.get_by_id(_account("priya").person_id)
    claim = claims.submit(
        claimant_id=priya.id, sub_budget_id=_sub("Reiskosten vrijwilligers").id, kind="other",
        km=None, amount_cents=45_000, spent_on=Claim.created_at.default().date(),
        description="Zaalhuur", receipt=None, account_id=_account("priya").id,
    )  # fmt: skip
    anouk = as_viewer("anouk")
    response = post(anouk, f"/budget/claims/{claim.id}/approve")
    assert response.status_code == 403 and H3_REFUSED in response.text
    assert Claim.get_by_id(claim.id).status == "submitted"


def test_a_treasurer_who_made_the_claimants_link_cannot_pay_the_claim(as_viewer, db):
    _take_over("penningmeester", "priya")
    kim = _account("priya")
    claim = claims.submit(
        claimant_id=kim.person_id, sub_budget_id=_sub("Reiskosten vrijwilligers").id,
        kind="other", km=None, amount_cents=45_000, spent_on=Claim.created_at.default().date(),
        description="Zaalhuur", receipt=None, account_id=kim.id,
    )  # fmt: skip
    assert claims.approve(claim.id, _actor("anouk"))
    treasurer = as_viewer("penningmeester")
    response = post(treasurer, f"/budget/claims/{claim.id}/pay")
    assert response.status_code == 403 and H3_REFUSED in response.text
    assert Claim.get_by_id(claim.id).status == "approved"
    assert not LedgerEntry.select().where(LedgerEntry.claim == claim.id).exists()


def test_a_planned_amount_is_not_approved_by_an_account_its_proposer_holds(as_viewer, db):
    """The treasurer proposes a planned amount, then holds the coordinator's account through
    a link she made: approving or rejecting it as the coordinator is refused."""
    from tests.budget.test_co_decide import _decision, _url

    treasurer = as_viewer("penningmeester")
    decision = _decision()
    post(treasurer, _url(), {"planned_amount": "612", "decision": str(decision.id)})
    change = PlannedChange.select().where(PlannedChange.status == "proposed").get()
    _take_over("penningmeester", "coordinator")
    for with_links in (True, False):
        with pytest.raises(plan.NotYourOwn):
            plan.approve_change(change, _actor("coordinator", with_links))
        with pytest.raises(plan.NotYourOwn):
            plan.reject_change(change, "nee", _actor("coordinator", with_links))
    assert PlannedChange.get_by_id(change.id).status == "proposed"
    # A coordinator who holds nobody's account approves it.
    assert plan.approve_change(change, _actor("beheer"))
