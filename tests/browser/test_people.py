"""Browser: a coordinator moves a volunteer to paid staff through the what-if at 320 px; a
member views Mijn pad and edits a goal. Zero axe violations on every page visited.

Uses the lead's fixtures from tests/browser/conftest.py: live_server (base URL),
browser_page(width) and assert_no_axe_violations(page).
"""

import pytest

pytestmark = pytest.mark.browser

PASSWORDS = {"coordinator": "coordinator-tafel-2026", "anouk": "anouk-tafel-2026"}


def sign_in(page, base, username):
    page.goto(f"{base}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORDS[username])
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_load_state()


def test_a_coordinator_moves_a_volunteer_to_paid_staff_through_the_what_if(
    live_server, browser_page, assert_no_axe_violations
):
    page = browser_page(320)
    sign_in(page, live_server, "coordinator")
    page.goto(f"{live_server}/people")
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Lina").first.click()
    page.wait_for_load_state()
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Stap of laag veranderen").first.click()
    page.wait_for_load_state()
    assert_no_axe_violations(page)
    page.select_option("select[name=step]", label="Werkbegeleider (Betaalde kracht)")
    page.get_by_role("button", name="Volgende: controleren").click()
    page.wait_for_load_state()
    assert "Controleer voor je opslaat" in page.content()
    assert_no_axe_violations(page)
    if page.locator("input[name=accept_below]").count():
        page.check("input[name=accept_below]")
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_load_state()
    content = page.content()
    assert "Werkbegeleider" in content and "Een stap omhoog" in content
    assert_no_axe_violations(page)


def test_a_member_views_my_path_and_edits_a_goal(
    live_server, browser_page, assert_no_axe_violations
):
    page = browser_page(320)
    sign_in(page, live_server, "anouk")
    page.get_by_role("link", name="Mijn pad").click()
    page.wait_for_load_state()
    assert "Stappen door de tijd" in page.content()
    assert_no_axe_violations(page)
    page.fill("textarea[name=learn]", "Interviews afnemen en redigeren.")
    page.get_by_role("button", name="Mijn doelen opslaan").click()
    page.wait_for_load_state()
    assert page.input_value("textarea[name=learn]") == "Interviews afnemen en redigeren."
    assert_no_axe_violations(page)


def test_the_51_percent_vacancy_and_overview_pages_pass_axe_at_320_px(
    live_server, browser_page, assert_no_axe_violations
):
    page = browser_page(320)
    sign_in(page, live_server, "coordinator")
    page.goto(f"{live_server}/representation")
    assert "Zijn we cliëntgestuurd?" in page.content()
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Uitgeverij Woordwerk").first.click()
    page.wait_for_load_state()
    assert_no_axe_violations(page)
    for url in ("/people/import",):
        page.goto(f"{live_server}{url}")
        assert_no_axe_violations(page)
    page.goto(f"{live_server}/projects")
    page.get_by_role("link", name="Uitgeverij Woordwerk").first.click()
    page.wait_for_load_state()
    assert "banner-bad" in page.content()
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Vacatures").first.click()
    page.wait_for_load_state()
    assert "Werkbegeleider voor de krant" in page.content()
    assert_no_axe_violations(page)
    page.go_back()
    page.get_by_role("link", name="Mensen en stappen").first.click()
    page.wait_for_load_state()
    assert_no_axe_violations(page)
