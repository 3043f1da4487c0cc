"""Browser, on a phone (320 px): a coordinator starts the removal of someone without an
account and a second coordinator reads the confirmation page, the what-if of the 51% check,
and confirms; a member reads
their data on the printable page, on screen and as printed. axe finds nothing on any page
visited, and no page is wider than the screen."""

from models.accounts.tables import Account, Grant
from models.db import database
from models.organisation import Project
from models.person import Person
from tests.accounts.test_my_data import seed_for
from tests.browser.conftest import check_axe, sign_in
from tests.conftest import MEMBER_PROJECT


def fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 320, page.url


def test_a_removal_is_started_and_confirmed_by_a_second_coordinator_at_320_px(
    live_server, browser_page
):
    with database.connection_context():
        bram = Person.get(Person.display_name == "Bram").id
        Grant.create(
            account=Account.get(Account.username == "penningmeester"),
            right="coordinator",
            project=Project.get(Project.name == MEMBER_PROJECT),
        )
    base = live_server
    page = browser_page(320)
    sign_in(page, base, "coordinator")
    page.goto(f"{base}/people/{bram}")
    page.get_by_role("link", name="Deze persoon verwijderen").click()
    page.wait_for_url(f"**/people/{bram}/removal")
    check_axe(page)
    fits(page)
    page.click("button:has-text('Verwijderen starten')")  # without a reason
    assert page.locator("#reason-error").count() == 1
    check_axe(page)
    page.fill("#reason", "Bram is verhuisd en komt niet meer.")
    page.click("button:has-text('Verwijderen starten')")
    page.wait_for_url(f"**/people/{bram}/removal?done=started")
    check_axe(page)
    fits(page)

    second = browser_page(320)
    sign_in(second, base, "penningmeester")
    second.goto(f"{base}/removals")
    check_axe(second)
    fits(second)
    second.get_by_role("link", name="Bekijk het verwijderen van Bram").click()
    second.wait_for_url(f"**/people/{bram}/removal")
    assert second.locator("text=Bram is verhuisd en komt niet meer.").count() == 1
    check_axe(second)
    fits(second)
    second.click("button:has-text('Bevestigen: Bram verwijderen')")
    # First what removing Bram does to the 51% check, as when a membership ends.
    second.wait_for_url(f"**/people/{bram}/removal/confirm")
    assert second.get_by_role("heading", name="Controleer voor je opslaat").count() == 1
    check_axe(second)
    fits(second)
    if second.locator("input[name=accept_below]").count():
        second.check("input[name=accept_below]")
    second.get_by_role("button", name="Deze persoon verwijderen").click()
    second.wait_for_url("**/removals?done=removed")
    assert second.locator("text=De persoon is verwijderd").count() == 1
    check_axe(second)


def test_my_data_reads_and_prints_at_320_px(live_server, browser_page):
    seed_for("Anouk B.", tag="p")
    base = live_server
    page = browser_page(320)
    sign_in(page, base, "anouk")
    page.goto(f"{base}/account")
    page.get_by_role("link", name="Mijn gegevens lezen op een pagina (je kunt die printen)").click()
    page.wait_for_url("**/account/my-data")
    assert page.get_by_role("heading", name="Je standpunten").count() == 1
    check_axe(page)
    fits(page)
    # As printed: print.css hides the navigation and the download button, the data stays.
    page.emulate_media(media="print")
    assert not page.get_by_role("link", name="Mijn gegevens downloaden als bestand").is_visible()
    assert page.locator("text=Mijn opmerking p0").is_visible()
    check_axe(page)
