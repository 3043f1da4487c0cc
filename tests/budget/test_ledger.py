"""The ledger: summaries equal the brute-force sum, amounts are read strictly, entries never
change, and a correction can be made once and never of a correction."""

import datetime as dt
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models import clock
from models.accounts.audit import AuditEntry
from models.budget import (
    BudgetError,
    BudgetYear,
    LedgerEntry,
    Post,
    SubBudget,
    book,
    reverse,
    summary,
)
from models.budget.exchange import export_summary, summary_rows
from models.db import database
from models.rules.money import parse_amount
from tests.conftest import login, post
from webapp.budget import routes as budget_routes

# --- the summary equals the ledger -------------------------------------------------------

OPERATIONS = st.lists(
    st.one_of(
        st.tuples(
            st.just("book"),
            st.integers(0, 2),  # post
            st.integers(-1, 1),  # sub-budget of that post (-1: the post itself)
            st.sampled_from(["income", "spending", "reimbursement"]),
            st.integers(1, 10_000_000),
        ),
        st.tuples(st.just("reverse"), st.integers(0, 200)),
    ),
    max_size=40,
)


def book_or_reverse(op, posts, subs, made: list) -> None:
    """One step of a property test: ("book", post, sub or -1, kind, cents) books an entry,
    ("reverse", n) corrects the n-th entry made so far (refused, and checked why, when it is
    a correction itself or corrected already); `made` collects the entries."""
    if op[0] == "book":
        _, p, s, kind, cents = op
        made.append(
            book(
                date=dt.date(2099, 5, 1),
                post=posts[p],
                sub_budget=subs[p][s] if s >= 0 else None,
                description="x",
                amount_cents=cents if kind == "income" else -cents,
                kind=kind,
                booked_by=None,
            )
        )
    elif op[0] == "reverse" and made:
        original = made[op[1] % len(made)]
        try:
            made.append(
                reverse(original, date=dt.date(2099, 5, 2), description="c", booked_by=None)
            )
        except BudgetError:
            assert (
                original.kind == "reversal"
                or LedgerEntry.select().where(LedgerEntry.reverses == original.id).exists()
            )


def brute_force(entries):
    """Spent and received per (post, sub), by the meaning of each entry: a correction counts
    as the kind of the entry it undoes."""
    by_id = {e.id: e for e in entries}
    lines = {}
    for entry in entries:
        kind = by_id[entry.reverses_id].kind if entry.kind == "reversal" else entry.kind
        spent, received = lines.get((entry.post_id, entry.sub_budget_id), (0, 0))
        if kind == "income":
            received += entry.amount_cents
        else:
            spent -= entry.amount_cents
        lines[(entry.post_id, entry.sub_budget_id)] = (spent, received)
    return lines


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(operations=OPERATIONS, planned=st.lists(st.integers(0, 10**8), min_size=9, max_size=9))
def test_summary_equals_brute_force_sum_of_the_ledger(db, operations, planned):
    with database.atomic() as transaction:
        year = BudgetYear.create(year=2099)
        posts = [Post.create(year=year, name=f"P{i}", planned_cents=planned[i]) for i in range(3)]
        subs = [
            [
                SubBudget.create(post=p, name=f"S{j}", planned_cents=planned[3 + 2 * i + j])
                for j in range(2)
            ]
            for i, p in enumerate(posts)
        ]
        made = []
        for op in operations:
            book_or_reverse(op, posts, subs, made)
        entries = list(LedgerEntry.select().join(Post).where(Post.year == year))
        truth = brute_force(entries)
        data = summary(year)
        year_spent = year_received = 0
        for line in data.posts:
            post_spent, post_received = truth.get((line.post.id, None), (0, 0))
            assert (line.own.spent, line.own.received) == (post_spent, post_received)
            for sub in line.subs:
                spent, received = truth.get((line.post.id, sub.sub.id), (0, 0))
                assert (sub.totals.spent, sub.totals.received) == (spent, received)
                assert sub.totals.remaining == sub.sub.planned_cents - spent + received
                post_spent += spent
                post_received += received
            assert (line.totals.spent, line.totals.received) == (post_spent, post_received)
            year_spent += post_spent
            year_received += post_received
        assert (data.total.spent, data.total.received) == (year_spent, year_received)
        assert data.total.planned == sum(planned[:3])
        assert data.total.remaining == sum(planned[:3]) - year_spent + year_received
        # The export's rows are the page's numbers, in euros with two decimals.
        rows = export_summary(year).strip().split("\n")[1:]
        for row, numbers in zip(rows, summary_rows(year), strict=True):
            cells = row.split(",")
            assert [parse_amount(c) for c in cells[3:]] == numbers[3:]
        total = summary_rows(year)[-1]
        assert total[1] == "total"
        assert total[3:] == [
            data.total.planned,
            data.total.spent,
            data.total.received,
            data.total.remaining,
        ]
        transaction.rollback()


def test_the_exported_totals_are_the_totals_on_the_page(on_date, as_viewer):
    client = as_viewer("member")
    page = client.get("/budget").text
    csv_text = client.get("/budget/export/budget-summary.csv").text
    total = csv_text.strip().split("\n")[-1].split(",")
    assert total[1] == "total"
    from webapp.i18n import current_language
    from webapp.templating import show_money

    current_language.set("nl")

    for cell in total[3:]:
        assert show_money(parse_amount(cell)) in page


# --- amounts typed into the booking form ---------------------------------------------------


def _papier(db):
    return SubBudget.get(SubBudget.name == "Papier en inkt")


@pytest.mark.parametrize(
    ("typed", "cents"),
    [("1.234,56", 123456), ("1234.56", 123456), ("€ 5", 500), ("12,5", 1250), ("0,01", 1)],
)
def test_a_manager_books_amounts_written_the_dutch_or_english_way(as_viewer, db, typed, cents):
    sub = _papier(db)
    client = as_viewer("anouk")
    before = LedgerEntry.select().count()
    response = post(
        client,
        f"/budget/sub-budgets/{sub.id}/entries",
        {"date": clock.today().isoformat(), "description": "Papier", "direction": "spending",
         "amount": typed},
        follow_redirects=False,
    )  # fmt: skip
    assert response.status_code == 303, response.text
    entry = LedgerEntry.select().order_by(LedgerEntry.id.desc()).first()
    assert LedgerEntry.select().count() == before + 1
    assert AuditEntry.get(AuditEntry.action == "budget.entry.book").object_id == entry.id
    assert (entry.amount_cents, entry.kind, entry.sub_budget_id) == (-cents, "spending", sub.id)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("1,2,3", "thousands|duizend"),
        ("abc", "Schrijf|Write"),
        ("1,234", "two decimals|twee decimalen|twee cijfers"),
        ("12,345", "two decimals|twee decimalen|twee cijfers"),
        ("1,999", "two decimals|twee decimalen|twee cijfers"),
        ("12000000000", "ten million|tien miljoen"),
        ("-0,01", "minus|min"),
        ("", "amount|bedrag"),
    ],
)
def test_wrong_amounts_get_a_sentence_next_to_the_field_and_nothing_is_stored(
    as_viewer, db, typed, message
):
    sub = _papier(db)
    client = as_viewer("anouk")
    before = LedgerEntry.select().count()
    response = post(
        client,
        f"/budget/sub-budgets/{sub.id}/entries",
        {"date": clock.today().isoformat(), "description": "Papier", "direction": "spending",
         "amount": typed},
    )  # fmt: skip
    assert response.status_code == 400
    error = re.search(r'<p class="error" id="amount-error">([^<]+)</p>', response.text)
    assert error, response.text[-3000:]
    assert re.search(message, error.group(1), re.I), error.group(1)
    assert LedgerEntry.select().count() == before


def test_amounts_are_parsed_into_integer_cents():
    assert parse_amount("-0,01") == -1
    assert parse_amount("1.234,56") == 123456
    assert parse_amount("1234.56") == 123456
    assert parse_amount("€ 5") == 500


# --- immutability --------------------------------------------------------------------------


def test_no_route_can_edit_or_delete_a_ledger_entry():
    for route in budget_routes:
        assert set(route.methods) <= {"GET", "HEAD", "POST"}, route.path
        assert not re.search(r"entries/\{entry_id[^}]*\}/(edit|delete|update)", route.path)
    entry_routes = [r.path for r in budget_routes if "{entry_id" in r.path]
    assert sorted(entry_routes) == [
        "/budget/entries/{entry_id:int}/receipt",
        "/budget/entries/{entry_id:int}/reverse",
    ]


def _snapshot():
    return sorted(LedgerEntry.select().tuples())


def test_every_budget_route_leaves_existing_entries_as_they_were(as_viewer, db):
    """Post to every budget route as the treasurer: entries are only ever added."""
    from tests.access.budget import PARAMS
    from tests.web.test_access import url_for

    before = _snapshot()
    client = as_viewer("penningmeester")
    urls = [url_for(r.path, PARAMS) for r in budget_routes if "POST" in r.methods]
    for url in urls:
        if True:
            post(client, url, {"amount": "5", "reason": "test", "description": "x",
                               "date": clock.today().isoformat()})  # fmt: skip
    after = {row[0]: row for row in _snapshot()}
    for row in before:
        assert after[row[0]] == row


def test_a_correction_is_made_once_and_never_of_a_correction(as_viewer, db):
    sub = _papier(db)
    entry = LedgerEntry.get((LedgerEntry.sub_budget == sub) & (LedgerEntry.kind == "spending"))
    client = as_viewer("anouk")
    url = f"/budget/entries/{entry.id}/reverse"
    response = post(client, url, {"reason": "dubbel"}, follow_redirects=False)
    assert response.status_code == 303
    reversal = LedgerEntry.get(LedgerEntry.reverses == entry.id)
    assert AuditEntry.get(AuditEntry.action == "budget.entry.reverse").object_id == reversal.id
    assert reversal.amount_cents == -entry.amount_cents
    assert reversal.kind == "reversal" and reversal.sub_budget_id == sub.id
    count = LedgerEntry.select().count()
    again = post(client, url, {"reason": "nog eens"})
    assert again.status_code == 400
    assert "al gecorrigeerd" in again.text or "already been corrected" in again.text
    of_reversal = post(client, f"/budget/entries/{reversal.id}/reverse", {"reason": "terug"})
    assert of_reversal.status_code == 400
    assert "correctie" in of_reversal.text.lower() or "correction" in of_reversal.text.lower()
    assert LedgerEntry.select().count() == count
    # Both stay visible on the sub-budget's page.
    page = client.get(f"/budget/sub-budgets/{sub.id}").text
    assert f'id="entry-{entry.id}"' in page and f'id="entry-{reversal.id}"' in page


def test_the_database_refuses_a_second_reversal_of_the_same_entry(db):
    from peewee import IntegrityError

    entry = LedgerEntry.get(LedgerEntry.kind == "spending")
    with database.atomic():
        reverse(entry, date=entry.date, description="c", booked_by=None)
    with pytest.raises(IntegrityError), database.atomic():
        LedgerEntry.create(
            date=entry.date, post=entry.post_id, sub_budget=entry.sub_budget_id,
            amount_cents=-entry.amount_cents, kind="reversal", reverses=entry.id,
        )  # fmt: skip


def test_the_treasurer_books_on_a_post_itself_and_a_manager_cannot(as_viewer, db):
    rent = Post.get(Post.name == "Huur")
    data = {"date": clock.today().isoformat(), "description": "Huur", "direction": "spending",
            "amount": "950"}  # fmt: skip
    assert post(as_viewer("anouk"), f"/budget/posts/{rent.id}/entries", data).status_code == 403
    treasurer = as_viewer("penningmeester")
    response = post(treasurer, f"/budget/posts/{rent.id}/entries", data, follow_redirects=False)
    assert response.status_code == 303
    assert LedgerEntry.select().order_by(LedgerEntry.id.desc()).first().amount_cents == -95000


def test_login_helper_is_used(client):
    login(client, "anouk")
    assert client.get("/budget").status_code == 200
