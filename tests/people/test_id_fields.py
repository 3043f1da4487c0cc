"""The step fields are IdChoiceFields (issue 20): a value that is no id, or one past the id
column, is a sentence next to the field, never a 500, each field fuzzed on its own with the
other fields valid."""

import pytest

from models.organisation import Project
from models.people import RoleStep
from tests.conftest import MEMBER_PROJECT, post
from tests.people.conftest import membership_id

JUNK = ["9223372036854775808", "-1", "abc", "", "0", "99999"]


@pytest.mark.parametrize("value", JUNK)
def test_a_junk_step_is_a_sentence_on_every_people_form(as_viewer, db, value):
    client = as_viewer("coordinator")
    project = Project.get(Project.name == MEMBER_PROJECT).id
    step = str(RoleStep.lowest_participant_step().id)
    forms = {
        f"/memberships/{membership_id('Anouk B.', MEMBER_PROJECT)}/change": {
            "step": step,
            "layer": "execution",
            "status": "active",
        },
        f"/projects/{project}/memberships/new": {
            "new_person": "Iemand Nieuw",
            "step": step,
            "layer": "execution",
            "since": "2026-06-17",
        },
        f"/projects/{project}/vacancies": {"title": "Hulp", "step": step, "layer": "execution"},
    }
    for url, valid in forms.items():
        response = post(client, url, {**valid, "step": value})
        assert response.status_code == 400, (url, value, response.status_code)
        assert "Kies een van de mogelijkheden" in response.text, url
