"""The per-field fuzz covers every POST route (a new form cannot be added without it), plus
the meetings routes tests/meetings/test_field_fuzz.py leaves out (buttons without fields)."""

import pytest

from tests.conftest import post
from tests.meetings.conftest import meeting_with_minutes
from tests.web import (
    test_field_fuzz_budget,
    test_field_fuzz_concerns,
    test_field_fuzz_core_accounts,
    test_field_fuzz_news,
    test_field_fuzz_people,
)
from tests.web.field_fuzz import Form, fuzz_route, refusal_of

# The meetings area's routes, by the name tests/meetings/test_field_fuzz.py fuzzes them under.
MEETINGS = {
    "POST /projects/{project_id:int}/meetings/plan": "plan",
    "POST /projects/{project_id:int}/successes": "success",
    "POST /meetings/{meeting_id:int}/apologies": "apologies",
    "POST /meetings/{meeting_id:int}/attendance": "attendance",
    "POST /meetings/{meeting_id:int}/agenda": "agenda",
    "POST /agenda/{item_id:int}/move": "move",
    "POST /meetings/{meeting_id:int}/start": "start",
    "POST /meetings/{meeting_id:int}/rota": "rota",
    "POST /meetings/{meeting_id:int}/duo": "duo",
    "POST /meetings/{meeting_id:int}/swap": "swap",
    "POST /swaps/{swap_id:int}/answer": "swap answer",
    "POST /agenda/{item_id:int}/proposals": "proposal",
    "POST /proposals/{proposal_id:int}/stance": "stance",
    "POST /proposals/{proposal_id:int}/close": "close",
    "POST /proposals/{proposal_id:int}/amend": "amend",
    "POST /projects/{project_id:int}/proposals": "between",
    "POST /meetings/{meeting_id:int}/provisional": "provisional",
    "POST /meetings/{meeting_id:int}/minutes": "minutes",
    "POST /meetings/{meeting_id:int}/minutes/approve": "approve",
    "POST /meetings/{meeting_id:int}/minutes/notes": "note",
    "POST /meetings/{meeting_id:int}/actions": "action",
    "POST /actions/{action_id:int}/status": "action status",
    "POST /projects/{project_id:int}/signals": "signal",
    "POST /signals/{signal_id:int}/answer": "signal answer",
}
# A file is their one field: tests/web/test_fuzz_uploads.py sends them malformed files.
UPLOADS = {"POST /people/import", "POST /budget/import/budget", "POST /budget/import/ledger"}


def _started(as_viewer, values):
    """The meeting under way (the chair closes it)."""
    response = post(
        as_viewer("coordinator"),
        f"/meetings/{values['meeting_id']}/start",
        {"sure": "y"},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text[:300]


FORMS = {
    "POST /meetings/{meeting_id:int}/close": Form(
        "coordinator", "/meetings/{meeting_id}", prepare=_started
    ),
    "POST /meetings/{meeting_id:int}/minutes/share": Form(
        "coordinator",
        "/meetings/{meeting_id}/minutes",
        params={"meeting_id": lambda: meeting_with_minutes("draft").id},
    ),
    # Issue 21.1: a Sunday evening no demo meeting is on (the drawn form holds the meeting's
    # own moment, which would change nothing).
    "POST /meetings/{meeting_id:int}/move": Form(
        "coordinator",
        "/meetings/{meeting_id}/change",
        {"date": "2026-06-28", "time": "20:15"},
    ),
    "POST /meetings/{meeting_id:int}/cancel": Form(
        "coordinator", "/meetings/{meeting_id}/change", {"reason": "Te weinig mensen"}
    ),
    "POST /projects/{project_id:int}/meetings/extra": Form(
        "coordinator", "/projects/{project_id}/meetings/extra"
    ),
}


@pytest.mark.parametrize("key", FORMS)
def test_each_field_alone_never_gives_a_server_error(as_viewer, key):
    assert fuzz_route(as_viewer, key, FORMS[key]) == []


@pytest.mark.once
@pytest.mark.parametrize("key", FORMS)
def test_the_valid_submission_is_taken(as_viewer, key):
    assert refusal_of(as_viewer, key, FORMS[key]) is None


def test_every_post_route_has_a_per_field_fuzz():
    from tests.meetings.test_field_fuzz import FORMS as MEETINGS_FUZZED
    from webapp.areas import all_routes

    posts = {
        f"POST {route.path}" for route in all_routes() if "POST" in getattr(route, "methods", ())
    }
    fuzzed = (
        set(test_field_fuzz_core_accounts.FORMS)
        | set(test_field_fuzz_concerns.FORMS)
        | set(test_field_fuzz_people.FORMS)
        | set(test_field_fuzz_budget.FORMS)
        | set(test_field_fuzz_news.FORMS)
        | set(FORMS)
        | set(MEETINGS)
        | UPLOADS
    )
    missing = sorted(posts - fuzzed)
    assert not missing, "no per-field fuzz entry (tests/web/test_field_fuzz_*.py):\n" + "\n".join(
        missing
    )
    assert not fuzzed - posts, f"fuzzed but gone: {sorted(fuzzed - posts)}"
    # The meetings names still name forms tests/meetings/test_field_fuzz.py fuzzes.
    assert set(MEETINGS.values()) <= set(MEETINGS_FUZZED)
