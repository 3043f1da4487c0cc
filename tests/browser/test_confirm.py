"""Confirming last month's provisional decision in a real browser on a phone (320 px): the
chair confirms it from the running meeting's agenda, and the register shows both dates. axe
finds nothing on any page visited."""

from models.db import database
from tests.browser.conftest import check_axe, sign_in
from tests.meetings.test_confirm import provisional_case


def test_the_chair_confirms_at_320_px(live_server, browser_page):
    with database.connection_context():
        meeting, _, proposal = provisional_case(chair="Anouk B.")
    base = live_server
    page = browser_page(320)
    sign_in(page, base, "anouk")
    page.goto(f"{base}/meetings/{meeting.id}")
    check_axe(page)
    assert page.locator("text=Te bevestigen").count() >= 1
    page.click("button:has-text('Besluit bevestigen')")
    page.wait_for_url(f"**/meetings/{meeting.id}#agenda")
    assert page.locator("text=Te bevestigen").count() == 0
    assert page.locator("text=Besloten (bevestigd)").count() >= 1
    check_axe(page)
    page.goto(f"{base}/projects/{meeting.project_id}/decisions")
    assert page.locator("text=Voorlopig besloten op").count() >= 1
    assert page.locator("text=Bevestigd op").count() >= 1
    check_axe(page)
