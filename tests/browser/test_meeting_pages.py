"""axe finds nothing on every meetings page, as a coordinator (who sees every form) and as a
member, on a phone."""

import pytest

from models.db import database
from models.meetings import Meeting, Minutes
from tests.access.meetings import closed_meeting_id, meeting_id, proposal_id
from tests.browser.conftest import check_axe as assert_no_axe_violations
from tests.browser.conftest import sign_in
from tests.meetings.conftest import project_id


def pages() -> list[str]:
    with database.connection_context():
        pid = project_id()
        approved = (
            Meeting.select(Meeting.id)
            .join(Minutes, on=(Minutes.meeting == Meeting.id))
            .where((Meeting.project == pid) & (Minutes.state == "approved"))
            .scalar()
        )
        shared = (
            Meeting.select(Meeting.id)
            .join(Minutes, on=(Minutes.meeting == Meeting.id))
            .where((Meeting.project == pid) & (Minutes.state == "shared"))
            .scalar()
        )
        return [
            f"/projects/{pid}",
            f"/projects/{pid}/meetings",
            f"/projects/{pid}/decisions?q=we",
            f"/projects/{pid}/signals",
            f"/meetings/{meeting_id()}",
            f"/meetings/{closed_meeting_id()}",
            f"/meetings/{meeting_id()}/print",
            f"/meetings/{approved}/minutes",
            f"/meetings/{shared}/minutes",
            f"/proposals/{proposal_id()}",
            "/actions/mine",
        ]


@pytest.mark.parametrize("username", ["coordinator", "anouk"])
def test_every_meetings_page_passes_axe(live_server, browser_page, username):
    page = browser_page(320)
    sign_in(page, live_server, username)
    for url in pages():
        page.goto(live_server + url)
        for details in page.locator("main details").all():
            if details.get_attribute("open") is None:
                details.locator("summary").first.click()
        assert_no_axe_violations(page)
