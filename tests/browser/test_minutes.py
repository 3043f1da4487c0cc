"""Minutes that keep up with the meeting, in a real browser on a phone (320 px): the
minute-taker opens the minutes, the chair ticks who is present on the meeting page and the
open minutes show it without retyping; the minute-taker writes notes on an agenda item
(saved as she types), prints, and the approved minutes keep it all. axe finds nothing on any
page visited, and nothing is wider than the screen."""

from models.db import database
from models.meetings import AgendaItem
from tests.browser.conftest import check_axe, sign_in
from tests.meetings.conftest import person_id
from tests.meetings.test_minutes_facts import running_meeting


def fits(page) -> None:
    check_axe(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320, page.url


def test_minutes_keep_up_with_the_meeting_at_320_px(live_server, browser_page):
    with database.connection_context():
        meeting = running_meeting(minute_taker="Anouk B.")
        item = AgendaItem.of_meeting(meeting.id)[0]
        bram, lina = person_id("Bram"), person_id("Lina")
    base = live_server
    taker, chair = browser_page(320), browser_page(320)
    sign_in(taker, base, "anouk")
    sign_in(chair, base, "coordinator")

    # The minute-taker opens the minutes: the decision and the action are there already.
    taker.goto(f"{base}/meetings/{meeting.id}/minutes")
    assert "Nog niemand genoteerd" in taker.locator("#minutes-attendance").inner_text()
    assert "We verven in augustus" in taker.locator(f"#decisions-{item.id}").inner_text()
    assert "Verf kopen" in taker.locator("#minutes-actions").inner_text()
    fits(taker)

    # The chair ticks who is present on the meeting page.
    chair.goto(f"{base}/meetings/{meeting.id}")
    chair.check(f"input[name=present][value='{bram}']")
    chair.check(f"input[name=present][value='{lina}']")
    chair.click("button:has-text('Aanwezigen opslaan')")
    chair.wait_for_load_state()

    # The open minutes show it without a reload (they refresh when the tab is looked at).
    taker.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
    taker.wait_for_selector("#minutes-attendance:has-text('Bram, Lina')")
    assert "Carla V." in taker.locator("#minutes-attendance").inner_text()

    # Notes on the first agenda item, saved as she types; then the Save button.
    notes = taker.locator(f"#item_{item.id}")
    notes.press_sequentially("Geel is vrolijk", delay=20)
    taker.wait_for_selector("#save-status:has-text('Opgeslagen (versie 1)')")
    taker.fill("#minutes-text", "We sloten om negen uur.")
    taker.click("main form.minutes-form button[type=submit]")
    taker.wait_for_load_state()
    assert taker.locator(f"#item_{item.id}").input_value() == "Geel is vrolijk"
    fits(taker)

    # The print view holds all of it.
    taker.goto(f"{base}/meetings/{meeting.id}/print")
    text = taker.locator("main").inner_text()
    for expected in (
        "Bram, Lina",
        "Carla V.",
        "We verven de kantine geel.",
        "We verven in augustus; Bram koopt de verf.",
        "Verf kopen · Bram & Dewi · klaar op 1 juli 2026",
        "Geel is vrolijk",
        "We sloten om negen uur.",
    ):
        assert expected in text, expected
    fits(taker)

    # Closed, shared and approved: the approved minutes show the same, with no editor.
    chair.goto(f"{base}/meetings/{meeting.id}")
    chair.click("button:has-text('Vergadering afsluiten')")
    chair.wait_for_load_state()
    taker.goto(f"{base}/meetings/{meeting.id}/minutes")
    taker.click("button:has-text('Delen met de leden')")
    taker.wait_for_load_state()
    chair.goto(f"{base}/meetings/{meeting.id}/minutes")
    chair.click("button:has-text('Vaststellen: geen bezwaren')")
    chair.wait_for_load_state()
    assert chair.locator("#minutes-text").count() == 0
    assert "Bram, Lina" in chair.locator("#minutes-attendance").inner_text()
    assert "Geel is vrolijk" in chair.locator("main").inner_text()
    fits(chair)
