"""Every POST form of the people area, field by field (tests/web/field_fuzz.py): the valid
submission is what the route's own page draws (plus what a person types), each field on its
own gets each hostile value while the others stay valid, and no answer is a server error."""

import pytest

from tests.conftest import post
from tests.web.field_fuzz import Form, fuzz_route, refusal_of

# What the 51% check's confirming screen (templates/people/confirm.html) adds to a change.
CONFIRMED = {"confirmed": "1", "accept_below": "y"}


def _check_asked(as_viewer, values):
    """Kim, without the privacy right, asks for a 51% check of a new member of Woordwerk
    (tests/people/test_checks.py does the same); the privacy right answers it."""
    from models.db import database
    from models.organisation import Project
    from models.people import RoleStep

    with database.connection_context():
        url = f"/projects/{Project.get(Project.name == 'Uitgeverij Woordwerk').id}/memberships/new"
        step = str(RoleStep.get(RoleStep.position == 1).id)
    data = {"person": "0", "new_person": "Nieuwe Nina", "step": step, "layer": "execution"}
    data |= {"since": "2026-11-01", "confirmed": "1", "ask_check": "1"}
    asked = post(as_viewer("coordinator"), url, data, follow_redirects=False)
    assert asked.status_code == 303, asked.text[-500:]
    return {"check_id": int(asked.headers["location"].rsplit("/", 1)[1])}


def _share_not_chosen(as_viewer, values):
    """Anouk gave her answer but never chose whether her coordinators may know it: the one
    question after logging in asks her (the demo's people have chosen)."""
    from models.accounts import Account
    from models.db import database
    from models.people import Person

    with database.connection_context():
        anouk = Account.get(Account.username == "anouk").person_id
        Person.update(client_background="yes", share_chosen_on=None, share_background=False).where(
            Person.id == anouk
        ).execute()


FORMS = {
    "POST /checks/{check_id:int}/answer": Form(
        "beheer", "/checks/{check_id}", {"answer": "stays"}, prepare=_check_asked
    ),
    "POST /my-path/share": Form(
        "member", "/my-path/share", {"share": "no"}, prepare=_share_not_chosen
    ),
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


@pytest.mark.once
@pytest.mark.parametrize("key", FORMS)
def test_the_valid_submission_is_taken(as_viewer, key):
    assert refusal_of(as_viewer, key, FORMS[key]) is None
