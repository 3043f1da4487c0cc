"""The foundation's pages in a real browser: axe-clean at 320 px and 1280 px, no JS needed."""

import pytest

from tests.browser.conftest import check_axe, sign_in

PAGES = ["/", "/projects", "/projects/{project}", "/projects/{project}/notices"]


@pytest.mark.parametrize("width", [320, 1280])
def test_main_pages_have_no_axe_violations(live_server, browser_page, width, db):
    from tests.conftest import ids

    project = ids()["project_id"]
    page = browser_page(width)
    page.goto(live_server + "/")
    check_axe(page)
    sign_in(page, live_server, "coordinator")
    for path in PAGES:
        page.goto(live_server + path.format(project=project))
        assert page.locator("h1").count() == 1
        check_axe(page)
        # Nothing is wider than the screen (readable at 320 px without sideways scrolling).
        overflow = page.evaluate("document.documentElement.scrollWidth")
        assert overflow <= width, f"{path} is {overflow}px wide at {width}px"


def test_posting_a_notice_works_without_javascript(live_server, browser_page, db):
    from tests.conftest import ids

    project = ids()["project_id"]
    page = browser_page(320, javascript=False)
    sign_in(page, live_server, "coordinator")
    page.goto(f"{live_server}/projects/{project}/notices")
    page.fill("#title", "Koffie staat klaar")
    page.fill("#body", "Vanaf 10.00 uur is er koffie.")
    with page.expect_navigation():
        page.click("button:has-text('Mededeling plaatsen')")
    assert page.locator("article.notice h2").first.inner_text() == "Koffie staat klaar"
    # A form sent with a missing title shows the sentence next to the field.
    page.fill("#body", "Zonder titel")
    with page.expect_navigation():
        page.click("button:has-text('Mededeling plaatsen')")
    assert page.locator(".field.has-error .error").count() == 1
    # axe needs JavaScript; the same page with JavaScript on is checked in the test above.


def test_htmx_posts_a_notice_in_place(live_server, browser_page, db):
    from tests.conftest import ids

    project = ids()["project_id"]
    page = browser_page(1280)
    sign_in(page, live_server, "coordinator")
    page.goto(f"{live_server}/projects/{project}/notices")
    page.fill("#title", "Met htmx")
    page.fill("#body", "Deze mededeling kwam zonder nieuwe pagina.")
    page.click("button:has-text('Mededeling plaatsen')")
    page.wait_for_selector("article.notice h2:has-text('Met htmx')")
    check_axe(page)
