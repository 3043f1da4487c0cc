"""A coordinator moves and cancels a meeting and adds an extra one on a phone without
JavaScript; every page of it passes axe at 320 px (issue 21 point 1)."""

from models.db import database
from models.meetings import Meeting
from tests.browser.conftest import check_axe, sign_in
from tests.meetings.conftest import project_id


def test_a_coordinator_moves_cancels_and_adds_a_meeting_on_a_phone(live_server, browser_page):
    with database.connection_context():
        project = project_id()
        first, second = (
            Meeting.select()
            .where((Meeting.project == project) & (Meeting.state == "planned"))
            .order_by(Meeting.date, Meeting.id)
            .limit(2)
        )
    page = browser_page(320, javascript=False)
    sign_in(page, live_server, "coordinator")
    page.goto(f"{live_server}/meetings/{first.id}")
    page.click("text=Verplaatsen of laten vervallen")
    page.fill("#date", "2026-06-28")
    page.fill("#time", "20:15")
    page.click("form[action$='/move'] button")
    page.wait_for_url(f"{live_server}/meetings/{first.id}")
    assert "Deze vergadering is verplaatst." in page.inner_text("main")
    page.goto(f"{live_server}/meetings/{second.id}/change")
    page.fill("#reason", "Te weinig mensen")
    page.click("form[action$='/cancel'] button")
    page.wait_for_url(f"{live_server}/meetings/{second.id}")
    assert "gaat niet door: Te weinig mensen" in page.inner_text("main")
    page.goto(f"{live_server}/projects/{project}/meetings/extra")
    page.click("main form button")
    page.wait_for_url(f"{live_server}/meetings/*")
    extra = page.url

    seen = browser_page(320)
    sign_in(seen, live_server, "coordinator")
    for url in (
        f"/meetings/{first.id}",
        f"/meetings/{first.id}/change",
        f"/meetings/{second.id}",
        f"/meetings/{second.id}/change",
        f"/projects/{project}/meetings/extra",
        f"/projects/{project}/meetings",
        f"/projects/{project}/notices",
        extra.removeprefix(live_server),
    ):
        seen.goto(live_server + url)
        check_axe(seen)
        assert seen.evaluate("document.documentElement.scrollWidth") <= 320, url
