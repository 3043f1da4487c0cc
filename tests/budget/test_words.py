"""Words on the budget pages (issue 12 point 9): a claim's state said once, the "paid after you
submitted it" sentence only for the claimant and in sensible units, plurals in the import
messages, and the kinds of a booking in words instead of codes."""

import datetime as dt
import re

import pytest

from models import clock
from models.budget import Claim, SubBudget
from models.budget.ledger import check_sign
from models.budget.tables import BudgetError
from tests.budget.test_files import BUDGET_CSV, YEAR
from tests.conftest import FIXED_MOMENT, csrf_of, post
from webapp.budget.words import duration, rule_error
from webapp.i18n import current_language, load_catalogs


@pytest.fixture
def language():
    """Run a block of code in a language: `with language("en"): …`."""
    load_catalogs()
    tokens = []

    class Switch:
        def __init__(self, code):
            self.code = code

        def __enter__(self):
            tokens.append(current_language.set(self.code))

        def __exit__(self, *exc):
            current_language.reset(tokens.pop())

    return Switch


def _lead(html: str) -> str:
    """The claim page's lead sentence, as text."""
    match = re.search(r'<p class="lead">(.*?)</p>', html, re.S)
    assert match, html[-2000:]
    return " ".join(re.sub(r"<[^>]+>", "", match.group(1)).split())


def _claim(as_viewer):
    """Priya's claim on a sub-budget Anouk manages; the three clients concerned."""
    priya, anouk, treasurer = as_viewer("priya"), as_viewer("anouk"), as_viewer("penningmeester")
    sub = SubBudget.get(SubBudget.name == "Reiskosten vrijwilligers")
    data = {
        "kind": "travel_public",
        "sub_budget": str(sub.id),
        "spent_on": clock.today().isoformat(),
        "amount": "12,40",
        "description": "Trein naar de drukker",
    }
    assert post(priya, "/budget/claims", data, follow_redirects=False).status_code == 303
    return Claim.select().order_by(Claim.id.desc()).first(), priya, anouk, treasurer


def test_no_state_is_said_twice_on_a_claim_s_page(as_viewer, db):
    claim, priya, anouk, treasurer = _claim(as_viewer)
    url = f"/budget/claims/{claim.id}"
    expected = "Ingediend. Wacht al minder dan een minuut op goedkeuring."
    assert _lead(priya.get(url).text) == expected
    post(anouk, f"/budget/claims/{claim.id}/approve")
    for client in (priya, anouk, treasurer):
        lead = _lead(client.get(url).text)
        assert lead == "Goedgekeurd. Wacht al minder dan een minuut op betaling.", lead
    post(treasurer, f"/budget/claims/{claim.id}/pay")
    for client in (priya, anouk, treasurer):
        state, rest = _lead(client.get(url).text).split(".", 1)
        assert state == "Betaald" and "Betaald" not in rest and "betaald" not in rest


def test_paid_after_you_submitted_it_is_said_only_to_the_claimant(as_viewer, db):
    claim, priya, anouk, treasurer = _claim(as_viewer)
    post(anouk, f"/budget/claims/{claim.id}/approve")
    with clock.fixed(FIXED_MOMENT + dt.timedelta(hours=3, minutes=20)):
        post(treasurer, f"/budget/claims/{claim.id}/pay")
    assert Claim.get_by_id(claim.id).status == "paid"
    url = f"/budget/claims/{claim.id}"
    assert _lead(priya.get(url).text) == "Betaald. Dat was 3 uur nadat je het indiende."
    for client in (anouk, treasurer):
        lead = _lead(client.get(url).text)
        assert lead == "Betaald. Dat was 3 uur na het indienen.", lead
        assert "nadat je" not in client.get(url).text
    post(treasurer, "/language", {"language": "en", "next": "/"})
    assert _lead(treasurer.get(url).text) == "Paid. That was 3 hours after it was submitted."


def test_a_claim_paid_at_once_says_less_than_a_minute_not_zero_minutes(as_viewer, db):
    claim, priya, anouk, treasurer = _claim(as_viewer)
    post(anouk, f"/budget/claims/{claim.id}/approve")
    post(treasurer, f"/budget/claims/{claim.id}/pay")
    page = priya.get(f"/budget/claims/{claim.id}").text
    assert "0 minuten" not in page
    assert _lead(page) == "Betaald. Dat was minder dan een minuut nadat je het indiende."


@pytest.mark.parametrize(
    ("delta", "dutch", "english"),
    [
        (dt.timedelta(seconds=20), "minder dan een minuut", "less than a minute"),
        (dt.timedelta(minutes=1), "1 minuut", "1 minute"),
        (dt.timedelta(minutes=59), "59 minuten", "59 minutes"),
        (dt.timedelta(minutes=60), "1 uur", "1 hour"),
        (dt.timedelta(hours=47, minutes=59), "47 uur", "47 hours"),
        (dt.timedelta(days=2), "2 dagen", "2 days"),
        (dt.timedelta(days=31), "31 dagen", "31 days"),
        (dt.timedelta(seconds=-5), "minder dan een minuut", "less than a minute"),
    ],
)
def test_lengths_of_time_have_units_and_plurals_in_dutch_and_english(
    language, delta, dutch, english
):
    with language("nl"):
        assert duration(delta) == dutch
    with language("en"):
        assert duration(delta) == english


def test_a_wrong_kind_of_booking_is_named_in_words_not_codes(language):
    with pytest.raises(BudgetError) as caught:
        check_sign("gift", -100)
    with language("nl"):
        text = rule_error(caught.value)
    assert text == "Kies geld in, geld uit, onkostenvergoeding of correctie."
    assert not {"income", "spending", "reversal"} & set(re.findall(r"\w+", text))
    with language("en"):
        english = rule_error(caught.value)
    assert english == "Choose money in, money out, reimbursement or correction."


def _upload(client, what: str, body: bytes):
    token = csrf_of(client, "/budget/files")
    response = client.post(f"/budget/import/{what}", data={"csrf_token": token},
                           files={"file": (f"{what}.csv", body, "text/csv")})  # fmt: skip
    assert response.status_code == 200, response.text[-2000:]
    return " ".join(re.sub(r"<[^>]+>", " ", response.text).split())


def test_import_messages_count_in_singular_and_plural(as_viewer, db):
    treasurer = as_viewer("penningmeester")
    text = _upload(treasurer, "budget", BUDGET_CSV)
    assert "Ingelezen: 1 post en 2 deelbudgetten." in text, text
    one = f"date,post,amount,kind\n{YEAR}-01-02,Materialen,-1.00,spending\n".encode()
    assert "Ingelezen: 1 boeking." in _upload(treasurer, "ledger", one)
    # Each file's rows new (rows like booked entries wait for a yes: issue 19 M3).
    two = one.replace(b"-01-02", b"-01-06") + f"{YEAR}-01-03,Materialen,-2.00,spending\n".encode()
    assert "Ingelezen: 2 boekingen." in _upload(treasurer, "ledger", two)
    post(treasurer, "/language", {"language": "en", "next": "/"})
    three = two.replace(b"-01-0", b"-02-0") + f"{YEAR}-01-04,Materialen,-3.00,spending\n".encode()
    assert "Imported: 3 ledger entries." in _upload(treasurer, "ledger", three)
    four = f"date,post,amount,kind\n{YEAR}-01-05,Materialen,-4.00,spending\n".encode()
    assert "Imported: 1 ledger entry." in _upload(treasurer, "ledger", four)
