"""Access to the quiet-concern routes (docs/rules.md "A quiet concern") for the four viewers,
and for a fifth: the trusted person (Rik, "penningmeester", the demo's trusted person for the
whole organisation), walked by tests/meetings/test_concerns.py."""

from models.meetings.concerns import send_concern

OK, LOGIN, NO = "ok", "login", 403

#            anonymous, member, coordinator, other project's member
ACCESS = {
    # Anyone signed in may pass on a concern (to the trusted persons they may reach).
    "GET /concerns/new": (LOGIN, OK, OK, OK),
    "POST /concerns/new": (LOGIN, OK, OK, OK),
    # The reading code is the key: whoever holds it reads the fate, session or not.
    "GET /concerns/read": (OK, OK, OK, OK),
    "POST /concerns/read": (OK, OK, OK, OK),
    # Only trusted persons; a coordinator is not one.
    "GET /concerns/heard": (LOGIN, NO, NO, NO),
    "POST /concerns/heard": (LOGIN, NO, NO, NO),
    "GET /concerns": (LOGIN, NO, NO, NO),
    "GET /concerns/{concern_id:int}": (LOGIN, NO, NO, NO),
    "POST /concerns/{concern_id:int}/agenda": (LOGIN, NO, NO, NO),
    "POST /concerns/{concern_id:int}/answer": (LOGIN, NO, NO, NO),
}

# The fifth viewer: the organisation's trusted person may use every one of them.
TRUSTED_VIEWER = "penningmeester"
TRUSTED = dict.fromkeys(ACCESS, OK)


def concern_id():
    """A concern to the whole organisation's trusted persons, sent afresh."""
    from models.meetings import Concern

    send_concern("Ik durf het niet te zeggen in de vergadering.", None)
    return Concern.select(Concern.id).order_by(Concern.id.desc()).scalar()


PARAMS = {"concern_id": concern_id}
