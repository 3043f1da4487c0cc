"""Browser, 320 px: the people overview with its name search and pager, and the person
picker of a vacancy, with htmx (suggestions as you type) and without JavaScript (a plain
form). Zero axe violations on every page visited with JavaScript on."""

import pytest

from models.db import database
from models.organisation import Project
from models.paging import PAGE_SIZE
from models.people import Vacancy
from tests.browser.conftest import sign_in
from tests.people.test_paging import _add_people

pytestmark = pytest.mark.browser


def fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


def test_the_people_overview_searches_as_you_type_and_goes_page_by_page(
    live_server, browser_page, assert_no_axe_violations
):
    _add_people(PAGE_SIZE + 10)
    page = browser_page(320)
    sign_in(page, live_server, "coordinator")
    page.goto(f"{live_server}/people")
    assert page.locator("section[aria-labelledby=at-step] tbody tr").count() == PAGE_SIZE
    fits(page)
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Volgende").click()
    page.wait_for_load_state()
    assert page.locator("a[rel=prev]").count() == 1
    fits(page)
    assert_no_axe_violations(page)
    page.fill("#people-q", "paging 00")  # htmx: the lists follow the typing
    from playwright.sync_api import expect

    expect(page.locator("section[aria-labelledby=at-step] tbody tr")).to_have_count(10)
    assert "q=paging" in page.url  # the search is in the address, for Back and sharing
    fits(page)
    assert_no_axe_violations(page)


def test_the_people_search_works_without_javascript(live_server, browser_page):
    page = browser_page(320, javascript=False)
    sign_in(page, live_server, "coordinator")
    page.goto(f"{live_server}/people")
    page.fill("#people-q", "lina")
    page.get_by_role("button", name="Zoeken").click()
    page.wait_for_load_state()
    rows = page.locator("section[aria-labelledby=at-step] tbody tr")
    assert rows.count() >= 1 and "Lina" in rows.first.inner_text()
    fits(page)


def _fill_url(base: str) -> str:
    with database.connection_context():
        project = Project.get(Project.name == "Uitgeverij Woordwerk")
        return f"{base}/vacancies/{Vacancy.get(Vacancy.project == project).id}/fill"


def test_the_vacancy_picker_suggests_names_as_you_type(
    live_server, browser_page, assert_no_axe_violations
):
    page = browser_page(320)
    sign_in(page, live_server, "coordinator")
    page.goto(_fill_url(live_server))
    fits(page)
    assert_no_axe_violations(page)
    page.fill("#fill-person-q", "lin")
    page.get_by_label("Lina").wait_for()
    fits(page)
    assert_no_axe_violations(page)
    page.get_by_label("Lina").check()
    page.get_by_role("button", name="Volgende: controleren").click()
    page.wait_for_load_state()
    assert "Controleer voor je opslaat" in page.content()
    assert_no_axe_violations(page)


def test_the_vacancy_picker_works_without_javascript(live_server, browser_page):
    page = browser_page(320, javascript=False)
    sign_in(page, live_server, "coordinator")
    page.goto(_fill_url(live_server))
    page.fill("#fill-person-q", "lin")
    page.get_by_role("button", name="Zoeken").click()
    page.wait_for_load_state()
    page.get_by_label("Lina").check()
    fits(page)
    page.get_by_role("button", name="Volgende: controleren").click()
    page.wait_for_load_state()
    assert "Controleer voor je opslaat" in page.content()


def test_the_audit_person_filter_suggests_names_as_you_type(
    live_server, browser_page, assert_no_axe_violations
):
    page = browser_page(320)
    sign_in(page, live_server, "coordinator")
    page.goto(f"{live_server}/audit")
    page.fill("#f-person", "dew")
    page.locator("#person-matches").get_by_role("link", name="Dewi").click()
    page.wait_for_load_state()
    assert "Wijzigingen over Dewi." in page.content()
    fits(page)
    assert_no_axe_violations(page)


def test_the_committee_picker_suggests_names_in_its_own_card(
    live_server, browser_page, assert_no_axe_violations
):
    with database.connection_context():
        project = Project.get(Project.name == "Uitgeverij Woordwerk")
        vacancy = Vacancy.get(Vacancy.project == project).id
    page = browser_page(320)
    sign_in(page, live_server, "coordinator")
    page.goto(f"{live_server}/projects/{project.id}/vacancies")
    page.fill(f"#committee-{vacancy}-q", "dewi")
    page.get_by_label("Dewi").check()
    fits(page)
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Toevoegen aan de commissie").click()
    page.wait_for_load_state()
    assert page.locator(f"#vacancy-{vacancy}").get_by_text("Dewi").count() >= 1
    assert_no_axe_violations(page)
