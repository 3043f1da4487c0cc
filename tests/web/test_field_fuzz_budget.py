"""Every POST form of the budget, field by field (tests/web/field_fuzz.py): the valid
submission is what the route's own page draws (plus what a person types), each field on its
own gets each hostile value while the others stay valid, and no answer is a server error.
The budget files' one field (the file) is fuzzed in tests/web/test_fuzz_uploads.py."""

import pytest

from models.budget import Claim
from models.db import database
from models.person import Person
from tests.conftest import post
from tests.web.field_fuzz import Form, fuzz_route, refusal_of, rendered_form

CLAIM = {"kind": "printing", "amount": "8,40", "description": "Kopieerkaart"}
ENTRY = {"description": "Inktpatronen", "amount": "12,50"}


def _approved(as_viewer, values):
    """Bram's claim, approved by the sub-budget's manager (Anouk): the treasurer pays it."""
    response = post(
        as_viewer("member"), f"/budget/claims/{values['claim_id']}/approve", follow_redirects=False
    )
    assert response.status_code == 303, response.text[:300]


def _own_claim(as_viewer, values):
    """A claim of Anouk's own, still waiting: she may withdraw it."""
    client = as_viewer("member")
    drawn, _names = rendered_form(client, "/budget/claims", "/budget/claims")
    sent = post(client, "/budget/claims", {**drawn, **CLAIM}, follow_redirects=False)
    assert sent.status_code == 303, sent.text[:300]
    with database.connection_context():
        anouk = Person.get(Person.display_name == "Anouk B.")
        waiting = Claim.select().where((Claim.claimant == anouk) & (Claim.status == "submitted"))
        claim = waiting.first()
    return {"claim_id": claim.id}


FORMS = {
    "POST /budget/sub-budgets/{sub_budget_id:int}/entries": Form(
        "member", "/budget/sub-budgets/{sub_budget_id}", ENTRY
    ),
    "POST /budget/posts/{post_id:int}/entries": Form(
        "penningmeester", "/budget/posts/{post_id}", ENTRY
    ),
    "POST /budget/entries/{entry_id:int}/reverse": Form(
        "member", "/budget/sub-budgets/{sub_budget_id}", {"reason": "Dubbel geboekt"}
    ),
    "POST /budget/sub-budgets/{sub_budget_id:int}/planned": Form(
        "coordinator", "/budget/sub-budgets/{sub_budget_id}", {"planned_amount": "150,00"}
    ),
    "POST /budget/posts/{post_id:int}/planned": Form(
        "coordinator", "/budget/posts/{post_id}", {"planned_amount": "1.500,00"}
    ),
    "POST /budget/planned-changes/{change_id:int}/approve": Form("coordinator", "/budget"),
    "POST /budget/planned-changes/{change_id:int}/reject": Form(
        "coordinator", "/budget", {"reason": "Eerst in de vergadering"}
    ),
    "POST /budget/posts": Form("penningmeester", "/budget", {"name": "Uitjes"}),
    "POST /budget/posts/{post_id:int}/sub-budgets": Form(
        "penningmeester", "/budget/posts/{post_id}?q=Anouk", {"name": "Kwast en verf"}
    ),
    "POST /budget/sub-budgets/{sub_budget_id:int}/manager": Form(
        "penningmeester", "/budget/sub-budgets/{sub_budget_id}?q=Anouk"
    ),
    "POST /budget/claims": Form("member", "/budget/claims", CLAIM),
    "POST /budget/claims/{claim_id:int}/approve": Form("member", "/budget/claims/{claim_id}"),
    "POST /budget/claims/{claim_id:int}/reject": Form(
        "member", "/budget/claims/{claim_id}", {"reason": "Geen bon"}
    ),
    "POST /budget/claims/{claim_id:int}/pay": Form(
        "penningmeester", "/budget/claims/{claim_id}", prepare=_approved
    ),
    "POST /budget/claims/{claim_id:int}/withdraw": Form(
        "member", "/budget/claims/{claim_id}", prepare=_own_claim
    ),
}


@pytest.mark.parametrize("key", FORMS)
def test_each_field_alone_never_gives_a_server_error(as_viewer, key):
    assert fuzz_route(as_viewer, key, FORMS[key]) == []


@pytest.mark.once
@pytest.mark.parametrize("key", FORMS)
def test_the_valid_submission_is_taken(as_viewer, key):
    assert refusal_of(as_viewer, key, FORMS[key]) is None
