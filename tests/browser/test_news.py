"""Browser: the news page, the phone page and the next meeting on paper at 320 px, by a
member; zero axe violations, nothing wider than the screen. With JavaScript the phone page
offers its button; without, it says that messages need JavaScript."""

import pytest

from models.db import database
from models.news.tables import NewsItem
from models.news.tell import tell
from tests.browser.conftest import check_axe, sign_in
from tests.meetings.conftest import next_planned, person_id

pytestmark = pytest.mark.browser


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    check_axe(page)


def test_news_phone_and_paper_at_320_px(live_server, browser_page):
    with database.connection_context():
        anouk = person_id("Anouk B.")
        NewsItem.delete().execute()  # without the demo's own news (seeds/between.py)
        tell([anouk], "claim_paid", "claim:1:paid", "/budget/claims", {"amount_cents": 1250})
        tell([anouk], "new_turn", "turn:1:chair:1", "/", {"project": "Uitgeverij Woordwerk",
             "role": "chair", "when": "2026-07-01T17:30:00"})  # fmt: skip
        meeting = next_planned().id
    page = browser_page(320)
    sign_in(page, live_server, "anouk")
    page.goto(f"{live_server}/")
    page.get_by_role("link", name="2 nieuwe berichten over je vragen en beurten").click()
    page.wait_for_load_state()
    assert page.get_by_text("Nieuw:").count() == 2
    _fits(page)
    page.get_by_role("link", name="Krijg een bericht op je telefoon als er nieuws is").click()
    page.wait_for_load_state()
    assert page.get_by_role("button", name="Stuur berichten naar deze telefoon").is_visible()
    assert not page.get_by_text("Voor berichten heeft je browser JavaScript nodig.").is_visible()
    _fits(page)
    for path in ("paper", "slips"):
        page.goto(f"{live_server}/meetings/{meeting}/{path}")
        _fits(page)
    quiet = browser_page(320, javascript=False)
    sign_in(quiet, live_server, "anouk")
    quiet.goto(f"{live_server}/news/phone")
    assert quiet.get_by_text("Voor berichten heeft je browser JavaScript nodig.").is_visible()
    assert not quiet.get_by_role("button", name="Stuur berichten naar deze telefoon").is_visible()
