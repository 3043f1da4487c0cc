"""A new member opens an invite link on a 320 px screen, sets a password, logs in and out."""

from models.accounts.links import make_link
from models.db import database
from models.person import Person
from tests.browser.conftest import check_axe

PASSWORD = "een fiets met drie wielen"
MAKE_LINK = "Link maken"


def test_a_new_member_uses_an_invite_link_on_a_small_screen(live_server, browser_page, db):
    with database.connection_context():
        _link, token = make_link(Person.get(Person.display_name == "Bram"))
    page = browser_page(320)
    page.goto(f"{live_server}/welcome/{token}")
    assert page.locator("h1").inner_text() == "Welkom, Bram"
    check_axe(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320

    # A common password gets one plain sentence next to the field.
    page.fill("#username", "bram")
    page.fill("#password", "wachtwoord123")
    page.fill("#repeat", "wachtwoord123")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert page.locator(".field.has-error .error").count() == 1
    check_axe(page)

    page.fill("#username", "bram")
    page.fill("#password", PASSWORD)
    page.fill("#repeat", PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert page.url == f"{live_server}/"
    page.click("footer form[action='/logout'] button")
    page.wait_for_selector("nav a[href='/login']")

    # Log in with the new password, look at my account, log out.
    page.goto(f"{live_server}/login")
    page.fill("#username", "bram")
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    page.goto(f"{live_server}/account")
    assert page.locator("h1").inner_text() == "Mijn account"
    check_axe(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    with page.expect_navigation():
        page.click("footer form[action='/logout'] button")
    assert page.locator("nav a[href='/login']").count() == 1

    # The link works only once.
    page.goto(f"{live_server}/welcome/{token}")
    assert page.locator("h1").inner_text() == "Deze link werkt niet"
    check_axe(page)


def test_the_account_pages_have_no_axe_violations_at_320_px(live_server, browser_page, db):
    from tests.browser.conftest import sign_in

    page = browser_page(320)
    sign_in(page, live_server, "beheer")
    for path in ("/accounts/links", "/admin/rights", "/audit", "/removals", "/account"):
        page.goto(live_server + path)
        assert page.locator("h1").count() == 1, path
        check_axe(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, path
    # Make a link (whom for: a name search, issue 13): the slip with its QR code.
    page.goto(live_server + "/accounts/links")
    page.fill("#link-person-q", "bram")  # htmx brings the matches as you type
    page.get_by_label("Bram · nog geen account").check()
    check_axe(page)
    with page.expect_navigation():
        page.get_by_role("button", name=MAKE_LINK).click()
    assert page.locator("img.qr").count() == 1
    check_axe(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
