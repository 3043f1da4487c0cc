"""Query counts of the meetings pages stay the same from demo size to ten times demo size."""

from starlette.testclient import TestClient

from models.db import database
from tests.conftest import build_demo, build_demo_10x, login


def urls() -> dict:
    from tests.access.meetings import closed_meeting_id, meeting_id, proposal_id
    from tests.meetings.conftest import approved_meeting_id, project_id

    pid = project_id()
    return {
        "project": f"/projects/{pid}",
        "meetings": f"/projects/{pid}/meetings",
        "meeting": f"/meetings/{meeting_id()}",
        "closed meeting": f"/meetings/{closed_meeting_id()}",
        "minutes": f"/meetings/{closed_meeting_id()}/minutes",
        "minutes facts": f"/meetings/{meeting_id()}/minutes/facts",
        "approved minutes": f"/meetings/{approved_meeting_id()}/minutes",
        "print": f"/meetings/{closed_meeting_id()}/print",
        "approved print": f"/meetings/{approved_meeting_id()}/print",
        "proposal": f"/proposals/{proposal_id()}",
        "decisions": f"/projects/{pid}/decisions",
        "search": f"/projects/{pid}/decisions?q=koffie",
        "signals": f"/projects/{pid}/signals",
        "my actions": "/actions/mine",
        "move or cancel": f"/meetings/{meeting_id()}/change",
        "extra meeting": f"/projects/{pid}/meetings/extra",
    }


def counts(databases, data_dir, build, count_queries) -> dict:
    from webapp.app import create_app

    app = create_app(databases.fresh(build))
    with TestClient(app) as client:
        login(client, "coordinator")
        with database.connection_context():
            targets = urls()
        return {name: count_queries(client, url) for name, url in targets.items()}


def test_query_counts_do_not_grow_with_ten_times_the_data(databases, data_dir, count_queries):
    small = counts(databases, data_dir, build_demo, count_queries)
    large = counts(databases, data_dir, build_demo_10x, count_queries)
    assert small == large, {k: (small[k], large[k]) for k in small if small[k] != large[k]}
    assert max(small.values()) <= 25, small
