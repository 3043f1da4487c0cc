"""The news area's POST forms, field by field (tests/web/field_fuzz.py): the phone page's
form (its script fills in the browser's push address and keys) and the stop button."""

import pytest

from tests.conftest import post
from tests.web.field_fuzz import Form, fuzz_route, refusal_of

# What a browser's Push API hands the page's script (a key of 65 bytes, a secret of 16).
SUBSCRIPTION = {
    "endpoint": "https://fcm.googleapis.com/fcm/send/abc-123",
    "p256dh": "B" + "A" * 86,
    "auth": "MDEyMzQ1Njc4OWFiY2RlZg",
}


def _phone_allowed(as_viewer, values):
    """Anouk's phone gets messages: the page draws its stop button."""
    response = post(as_viewer("member"), "/news/phone", SUBSCRIPTION, follow_redirects=False)
    assert response.status_code == 303, response.text[:300]
    from models.db import database
    from models.news.tables import PushSubscription

    with database.connection_context():
        return {"phone_id": PushSubscription.select(PushSubscription.id).scalar()}


FORMS = {
    "POST /news/phone": Form("member", "/news/phone", SUBSCRIPTION),
    "POST /news/phone/{phone_id:int}/stop": Form("member", "/news/phone", prepare=_phone_allowed),
}


@pytest.mark.parametrize("key", FORMS)
def test_each_field_alone_never_gives_a_server_error(as_viewer, key):
    assert fuzz_route(as_viewer, key, FORMS[key]) == []


@pytest.mark.once
@pytest.mark.parametrize("key", FORMS)
def test_the_valid_submission_is_taken(as_viewer, key):
    assert refusal_of(as_viewer, key, FORMS[key]) is None
