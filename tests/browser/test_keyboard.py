"""Only the keyboard (issue 26, point 3): giving a stance (with a concern's reason), adding an
agenda item, claiming costs with a receipt and sending a quiet concern, with Tab, typing, the
arrow keys, Space and Enter; no click. Every control is reached by Tab in the page's order,
and focus is visible on each one it reaches (a 3 px outline, tafel.css :focus-visible).

One browser page per person, at 320 px (the narrowest screen), on one demo database."""

import re

from models.db import database
from models.meetings import AgendaItem
from models.meetings.concern_tables import Concern
from tests.browser.conftest import sign_in
from tests.browser.test_stance_icons import arrange
from tests.budget.test_claims import photo
from tests.meetings.conftest import next_planned

# The element that has focus: how it is named, and whether its focus ring shows.
FOCUSED = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  return {tag: el.localName, id: el.id, name: el.name || "", value: el.value || "",
          text: (el.innerText || "").trim().slice(0, 80),
          ring: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2,
          focus: el.matches(":focus")};
}"""


def tab_to(page, wanted, limit: int = 80) -> dict:
    """Press Tab until the focused element is the one `wanted(focused)` says; fail when Tab
    never reaches it. Every element passed on the way shows its focus ring."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        # (Inside a date field focus moves over parts the browser draws itself, the calendar
        # button among them; there the field itself does not match :focus.)
        if focused["tag"] != "body" and focused["focus"]:
            assert focused["ring"], f"no visible focus on {focused}"
        if wanted(focused):
            return focused
    raise AssertionError("Tab never reached the control")


def text(words: str):
    return lambda f: words in f["text"]


def field(element_id: str):
    return lambda f: f["id"] == element_id


def test_a_stance_an_agenda_item_a_claim_and_a_concern_by_keyboard_only(live_server, browser_page):
    base = live_server
    proposal_id = arrange()
    with database.connection_context():
        meeting = next_planned()
    page = browser_page(320)
    sign_in(page, base, "anouk")

    # A stance: "Ik ben voor", then a concern with its reason.
    page.goto(f"{base}/proposals/{proposal_id}")
    tab_to(page, text("Ik ben voor"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Ik ben voor" in page.locator(".banner-ok").inner_text()
    tab_to(page, field("reason-concern"))
    page.keyboard.type("Het is duur")
    tab_to(page, text("maar heb een zorg"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Het is duur" in page.locator(".banner-ok").inner_text()

    # An agenda item, typed into the meeting's form.
    page.goto(f"{base}/meetings/{meeting.id}")
    tab_to(page, field("title"))
    page.keyboard.type("Fietsenstalling")
    tab_to(page, field("explanation"))
    page.keyboard.type("Waar zetten we de fietsen?")
    tab_to(page, text("Agendapunt toevoegen"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator(".error").count() == 0, page.locator(".error").all_inner_texts()
    with database.connection_context():
        assert AgendaItem.get_or_none(AgendaItem.title == "Fietsenstalling") is not None
    assert page.locator("#agenda strong", has_text="Fietsenstalling").count() == 1

    # A claim of the bus ticket with a photo of the receipt: kinds are chosen with the arrow
    # keys, the budget from the list with the arrow keys, the file chooser opened with Space.
    page.goto(f"{base}/budget/claims")
    assert tab_to(page, lambda f: f["name"] == "kind")["value"] == "travel_km"  # the default
    page.keyboard.press("ArrowUp")  # the kind before it: public transport
    assert page.evaluate("document.activeElement.value") == "travel_public"
    tab_to(page, field("sub_budget"))
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.value") != ""
    tab_to(page, field("amount"))
    page.keyboard.type("6,40")
    tab_to(page, field("description"))
    page.keyboard.type("Bus naar de vergadering")
    tab_to(page, field("receipt"))
    with page.expect_file_chooser() as chooser:
        page.keyboard.press("Space")
    chooser.value.set_files(
        {"name": "kaartje.jpg", "mimeType": "image/jpeg", "buffer": photo("JPEG")}
    )
    tab_to(page, text("Indienen"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/budget/claims/\d+$"))
    assert "6,40" in page.locator("main").inner_text()
    assert page.locator("main a[href$='/receipt']").count() == 1

    # A quiet concern (issue 26): to whom with the arrow keys, the concern typed, sent.
    page.goto(f"{base}/concerns/new")
    tab_to(page, field("to"))
    page.keyboard.press("ArrowDown")
    tab_to(page, field("text"))
    page.keyboard.type("De verwarming is altijd uit.")
    tab_to(page, text("Versturen zonder mijn naam"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert re.search(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", page.locator("main").inner_text())
    with database.connection_context():
        assert Concern.get_or_none(Concern.text == "De verwarming is altijd uit.") is not None
