"""A quiet concern in a real browser at 320 px: every page of it axe-clean and no wider than
the screen, from sending it to the trusted person's page (docs/rules.md "A quiet concern")."""

import re

from tests.browser.conftest import check_axe, sign_in


def _fits(page, width: int = 320) -> None:
    check_axe(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url


def test_a_concern_from_sending_to_the_trusted_person_at_320px(live_server, browser_page, db):
    page = browser_page(320)
    sign_in(page, live_server, "anouk")
    page.goto(live_server + "/concerns/new")
    _fits(page)
    page.fill("#text", "Ik durf het niet te zeggen: de verwarming is altijd uit.")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    _fits(page)
    code = re.search(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", page.content()).group(0)
    page.goto(live_server + "/concerns/read")
    page.fill("#code", code)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert "Wacht op een vertrouwenspersoon" in page.content()
    _fits(page)

    rik = browser_page(320)
    sign_in(rik, live_server, "penningmeester")
    rik.goto(live_server + "/concerns")
    _fits(rik)
    rik.click("#concern-list a")
    assert rik.locator("h1").inner_text() == "Een zorg"
    _fits(rik)
    rik.goto(live_server + "/concerns/heard")
    _fits(rik)
