"""A member makes her calendar address on My account at 320 px and a calendar app (no
session) reads it (issue 12 point 5)."""

import urllib.request
from urllib.parse import urlsplit

from icalendar import Calendar

from tests.browser.conftest import check_axe, sign_in


def test_a_member_makes_her_calendar_address_on_a_small_screen(live_server, browser_page, db):
    page = browser_page(320)
    sign_in(page, live_server, "anouk")
    page.goto(f"{live_server}/account#calendar")
    check_axe(page)
    with page.expect_navigation():
        page.click("form[action='/account/calendar#calendar'] button")
    address = page.input_value("#feed-url")
    assert "/feed/" in address and address.endswith("/tafel.ics")
    check_axe(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    # The phone's calendar app: no cookie, no session.
    path = urlsplit(address).path
    with urllib.request.urlopen(f"{live_server}{path}") as response:
        calendar = Calendar.from_ical(response.read())
    assert calendar.walk("VEVENT") and calendar.walk("VTIMEZONE")
