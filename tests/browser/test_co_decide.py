"""In a real browser at 320 px: the treasurer proposes a new planned amount backed by a meeting
decision, a coordinator first sends it back with a reason (and is told when the reason is
missing), the treasurer reads it and proposes again, and the coordinator approves; the
sub-budget then links the change to its decision. Zero axe violations on every page."""

import re

import pytest

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser

REASON = "Dit besluit ging over de krant. Vraag het eerst aan de vergadering."


def _sign_in(page, base, username):
    page.context.clear_cookies()
    sign_in(page, base, username)


def _open_paper(page, base):
    page.goto(f"{base}/budget")
    page.get_by_role("link", name="Materialen", exact=True).click()  # the post's page
    page.wait_for_load_state()
    page.get_by_role("link", name="Papier en inkt").first.click()
    page.wait_for_url(re.compile(r"/budget/sub-budgets/\d+$"))
    return page.url


def _submit(page, button):
    """Click a form's button and wait for the page it leads to."""
    with page.expect_navigation():
        button.click()


def _propose(page, amount):
    page.fill("#planned_amount", amount)
    page.select_option("#decision", index=1)
    _submit(page, page.get_by_role("button", name="Deze wijziging voorstellen"))
    assert page.locator(".error").count() == 0, page.locator("main").inner_text()


def _proposal(page, base):
    page.goto(f"{base}/budget")
    return page.locator("li[id^=proposal-]", has_text="Papier en inkt").first


def test_a_proposal_with_a_decision_is_rejected_with_a_reason_then_approved(
    live_server, browser_page, axe
):
    base, page = live_server, browser_page(320)

    # The treasurer proposes 650 euro for "Papier en inkt", backed by a decision.
    _sign_in(page, base, "penningmeester")
    sub_url = _open_paper(page, base)
    axe(page)
    # The picker's long options do not make the page wider than the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    _propose(page, "650")
    history = page.locator("#history").inner_text()
    assert "€ 650,00" in history.replace("\xa0", " ") and "Wacht op een coördinator" in history
    axe(page)

    # A coordinator opens it, tries to reject without a reason, then gives one.
    _sign_in(page, base, "coordinator")
    card = _proposal(page, base)
    assert card.locator('a[href^="/proposals/"]').count() == 1
    axe(page)
    card.locator("summary").click()
    _submit(page, card.get_by_role("button", name="Deze wijziging niet goedkeuren"))
    card = page.locator("li[id^=proposal-]", has_text="Papier en inkt").first
    assert "Schrijf waarom de wijziging niet wordt goedgekeurd." in card.inner_text()
    axe(page)
    card.locator("textarea").fill(REASON)
    _submit(page, card.get_by_role("button", name="Deze wijziging niet goedkeuren"))
    assert page.locator("li[id^=proposal-]", has_text="Papier en inkt").count() == 0
    axe(page)

    # The treasurer reads why, and proposes again.
    _sign_in(page, base, "penningmeester")
    page.goto(f"{base}/budget")
    assert REASON in page.locator("#proposals").inner_text()
    axe(page)
    page.goto(sub_url)
    assert REASON in page.locator("#history").inner_text()
    _propose(page, "600")

    # The coordinator approves: the amount changes and links to the decision.
    _sign_in(page, base, "coordinator")
    card = _proposal(page, base)
    _submit(page, card.get_by_role("button", name=re.compile("Wijziging goedkeuren")))
    page.goto(sub_url)
    assert "€ 600,00" in page.locator(".money").first.inner_text().replace("\xa0", " ")
    applied = page.locator("#history li").first
    assert "Doorgevoerd" in applied.inner_text()
    link = applied.locator('a[href^="/proposals/"]')
    assert link.count() == 1
    axe(page)
    link.click()
    page.wait_for_url(re.compile(r"/proposals/\d+$"))
    axe(page)
