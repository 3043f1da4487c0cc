"""In a real browser at 320 px: a member claims travel costs by km, the sub-budget's manager
approves, the treasurer pays, and the member sees it paid and the budget line changed.

Fixtures (tests/browser/conftest.py, from the lead): `live_server` (base URL of a server on a
fresh demo database), `browser_page(width)` (a Playwright page) and `axe` (which is
`assert_no_axe_violations(page)`).
"""

import re

import pytest

pytestmark = pytest.mark.browser

PASSWORDS = {
    "priya": "priya-tafel-2026",
    "anouk": "anouk-tafel-2026",
    "penningmeester": "penning-tafel-2026",
}


def _login(page, base, username):
    page.context.clear_cookies()
    page.goto(f"{base}/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORDS[username])
    page.get_by_role("button", name=re.compile("Inloggen|Log in")).click()
    page.wait_for_load_state()


def _left_on_travel(page, base) -> str:
    """The travel sub-budget's line, as a member finds it: /budget lists the posts, the post's
    page its sub-budgets (issue 23 point 6)."""
    page.goto(f"{base}/budget")
    page.get_by_role("link", name="Reiskosten en onkosten", exact=True).click()
    page.wait_for_load_state()
    line = page.locator(".budget-line", has_text="Reiskosten vrijwilligers").first
    return line.inner_text()


def test_a_travel_claim_by_km_from_submission_to_payment(live_server, browser_page, axe):
    assert_no_axe_violations = axe
    base = live_server
    page = browser_page(320)

    # The member (priya) claims 25 km.
    _login(page, base, "priya")
    before = _left_on_travel(page, base)
    assert_no_axe_violations(page)
    page.goto(f"{base}/budget/claims")
    assert_no_axe_violations(page)
    page.check("input[name=kind][value=travel_km]")
    page.select_option("#sub_budget", label="Reiskosten en onkosten – Reiskosten vrijwilligers")
    page.fill("#km", "25")
    page.fill("#description", "Naar de cursus in Utrecht")
    page.get_by_role("button", name=re.compile("Indienen|Submit claim")).click()
    page.wait_for_url(re.compile(r"/budget/claims/\d+$"))
    claim_url = page.url
    assert "5,75" in page.content()  # 25 km × € 0,23
    assert_no_axe_violations(page)

    # The sub-budget's manager (anouk) approves it.
    _login(page, base, "anouk")
    page.goto(f"{base}/budget/claims")
    assert "Naar de cursus in Utrecht" in page.content()
    page.goto(claim_url)
    assert_no_axe_violations(page)
    page.get_by_role("button", name=re.compile("^(Goedkeuren|Approve claim)$")).click()
    page.wait_for_load_state()
    assert re.search("Goedgekeurd|Approved", page.content())

    # The manager's own sub-budget page, with the booking form and corrections.
    page.goto(f"{base}/budget")
    page.get_by_role("link", name="Reiskosten vrijwilligers").first.click()
    page.wait_for_load_state()
    assert_no_axe_violations(page)

    # The treasurer pays it: the reimbursement is booked.
    _login(page, base, "penningmeester")
    page.goto(f"{base}/budget/files")
    assert_no_axe_violations(page)
    page.goto(f"{base}/budget/claims")
    assert_no_axe_violations(page)
    # The treasurer's own forms: add a post, a sub-budget, choose a manager.
    page.goto(f"{base}/budget")
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Materialen").first.click()
    page.wait_for_load_state()
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Papier en inkt").first.click()
    page.wait_for_load_state()
    assert_no_axe_violations(page)
    page.goto(claim_url)
    page.get_by_role("button", name=re.compile("Betaald: boeken|Mark as paid")).click()
    page.wait_for_load_state()
    assert re.search("Betaald|Paid", page.content())

    # The member sees it paid, and the budget line changed.
    _login(page, base, "priya")
    page.goto(f"{base}/budget/claims")
    mine = page.locator("li", has_text="Naar de cursus in Utrecht").first.inner_text()
    assert re.search("Betaald|Paid", mine)
    assert_no_axe_violations(page)
    after = _left_on_travel(page, base)
    assert after != before
    page.goto(f"{base}/budget")
    assert_no_axe_violations(page)
