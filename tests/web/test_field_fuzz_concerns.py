"""Every POST form of a quiet concern, field by field (tests/web/field_fuzz.py): the valid
submission is what the route's own page draws plus what a person types; each field on its
own gets each hostile value while the others stay valid; no answer is a server error."""

import pytest

from models.db import database
from models.meetings import Concern
from tests.web.field_fuzz import Form, fuzz_route, refusal_of

CODE = "K7QD-MX3A-9PWE"


def _known_code(as_viewer, values):
    """A concern whose reading code is CODE."""
    with database.connection_context():
        Concern.create(
            text="Een zorg", received_on="2026-06-17", reading_hash=Concern.hash_code(CODE)
        )


FORMS = {
    "POST /concerns/new": Form("member", "/concerns/new", {"text": "Ik durf het niet te zeggen."}),
    "POST /concerns/heard": Form("penningmeester", "/concerns/heard", {"text": "Iemand vertelde"}),
    "POST /concerns/read": Form("anonymous", "/concerns/read", {"code": CODE}, prepare=_known_code),
    "POST /concerns/{concern_id:int}/agenda": Form(
        "penningmeester", "/concerns/{concern_id}", {"agenda-title": "Samen praten"}
    ),
    "POST /concerns/{concern_id:int}/answer": Form(
        "penningmeester",
        "/concerns/{concern_id}",
        {"signal-status": "done", "signal-answer": "Opgelost"},
    ),
}


@pytest.mark.parametrize("key", FORMS)
def test_each_field_alone_never_gives_a_server_error(as_viewer, key):
    assert fuzz_route(as_viewer, key, FORMS[key]) == []


@pytest.mark.once
@pytest.mark.parametrize("key", FORMS)
def test_the_valid_submission_is_taken(as_viewer, key):
    assert refusal_of(as_viewer, key, FORMS[key]) is None
