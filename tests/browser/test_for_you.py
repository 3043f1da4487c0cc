"""Browser: "Voor jou" on the start page at 320 px, for a member with things waiting and for
the treasurer; zero axe violations, nothing wider than the screen, the links lead on."""

import pytest

from tests.browser.conftest import check_axe, sign_in

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("username", ["anouk", "penningmeester", "beheer"])
def test_the_start_page_says_what_waits_for_you_at_320_px(live_server, browser_page, username):
    page = browser_page(320)
    sign_in(page, live_server, username)
    page.goto(f"{live_server}/")
    section = page.locator("section[aria-labelledby=for-you]")
    assert section.get_by_role("heading", name="Voor jou").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    check_axe(page)
    links = section.get_by_role("link")
    if username == "beheer":
        assert "Er wacht nu niets op je." in section.inner_text()
        return
    assert links.count() >= 1
    links.first.click()
    page.wait_for_load_state()
    assert page.url != f"{live_server}/"
    check_axe(page)
