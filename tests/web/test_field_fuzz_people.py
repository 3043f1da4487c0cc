"""Every POST form of the people area, field by field (tests/web/field_fuzz.py): the valid
submission is what the route's own page draws (plus what a person types), each field on its
own gets each hostile value while the others stay valid, and no answer is a server error."""

import pytest

from tests.web.field_fuzz import Form, fuzz_route, refusal_of

# What the 51% check's confirming screen (templates/people/confirm.html) adds to a change.
CONFIRMED = {"confirmed": "1", "accept_below": "y"}

FORMS = {
    "POST /my-path/goals": Form("member", "/my-path", {"dream": "Redacteur", "learn": "Typen"}),
    "POST /my-path/background": Form("member", "/my-path"),
    "POST /my-path/background/share": Form("member", "/my-path"),
    "POST /people/{person_id:int}/background": Form(
        "coordinator", "/people/{person_id}", {"consent": "y"}
    ),
    "POST /people/{person_id:int}/conversations": Form(
        "coordinator", "/people/{person_id}", {"participants": "Kim", "notes": "Goed gesprek"}
    ),
    "POST /memberships/{membership_id:int}/change": Form(
        "coordinator", "/memberships/{membership_id}/change", {"note": "Een stap verder"}
    ),
    "POST /memberships/{membership_id:int}/turns": Form("coordinator", "/people/{person_id}"),
    "POST /projects/{project_id:int}/memberships/new": Form(
        "coordinator",
        "/projects/{project_id}/memberships/new?q=Priya",
        {"tasks": "Corrector", **CONFIRMED},
    ),
    "POST /ladder": Form("beheer", "/ladder", {"new-name": "Mentor", "new-position": "6"}),
    "POST /ladder/{step_id:int}": Form("beheer", "/ladder"),
    "POST /projects/{project_id:int}/vacancies": Form(
        "coordinator",
        "/projects/{project_id}/vacancies",
        {"title": "Eindredacteur", "text": "Twee middagen per week"},
    ),
    "POST /vacancies/{vacancy_id:int}/interest": Form("member", "/projects/{project_id}/vacancies"),
    "POST /vacancies/{vacancy_id:int}/committee": Form(
        "coordinator", "/projects/{project_id}/vacancies"
    ),
    "POST /vacancies/{vacancy_id:int}/fill": Form(
        "coordinator", "/vacancies/{vacancy_id}/fill?q=Anouk", CONFIRMED
    ),
}


@pytest.mark.parametrize("key", FORMS)
def test_each_field_alone_never_gives_a_server_error(as_viewer, key):
    assert fuzz_route(as_viewer, key, FORMS[key]) == []


@pytest.mark.parametrize("key", FORMS)
def test_the_valid_submission_is_taken(as_viewer, key):
    assert refusal_of(as_viewer, key, FORMS[key]) is None
