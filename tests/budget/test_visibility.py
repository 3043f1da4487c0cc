"""Who sees what: every member sees every line, never who was reimbursed; a sub-budget's
manager and the treasurer see names on that sub-budget; a manager books only there."""

from models import clock
from models.budget import LedgerEntry, SubBudget, receipt_store
from tests.budget.test_claims import photo
from tests.conftest import post

PAID = "Lina"  # the demo claim that was paid from "Reiskosten vrijwilligers"


def _sub(name):
    return SubBudget.get(SubBudget.name == name)


def test_a_member_sees_every_line_but_never_who_was_reimbursed(as_viewer, db):
    sub = _sub("Reiskosten vrijwilligers")
    entry = LedgerEntry.get(LedgerEntry.kind == "reimbursement")
    for viewer in ("priya", "coordinator"):
        client = as_viewer(viewer)
        for url in (f"/budget/sub-budgets/{sub.id}", "/budget", f"/budget/posts/{sub.post_id}",
                    "/budget/export/ledger.csv", "/budget/export/ledger.csv?excel=1",
                    "/budget/claims"):  # fmt: skip
            text = client.get(url).text
            assert PAID not in text, (viewer, url)
        page = client.get(f"/budget/sub-budgets/{sub.id}").text
        assert f'id="entry-{entry.id}"' in page
        assert "onkostenvergoeding" in page or "reimbursement" in page
        assert entry.description not in page


def test_the_manager_and_the_treasurer_see_the_name_on_that_sub_budget(as_viewer, db):
    sub = _sub("Reiskosten vrijwilligers")
    for viewer in ("anouk", "penningmeester"):
        assert PAID in as_viewer(viewer).get(f"/budget/sub-budgets/{sub.id}").text


def test_a_manager_books_only_in_their_own_sub_budget(as_viewer, db):
    anouk = as_viewer("anouk")
    data = {"date": clock.today().isoformat(), "description": "Ketting", "direction": "spending",
            "amount": "10"}  # fmt: skip
    tools = _sub("Gereedschap")
    assert post(anouk, f"/budget/sub-budgets/{tools.id}/entries", data).status_code == 403
    assert "Book money in or out" not in anouk.get(f"/budget/sub-budgets/{tools.id}").text
    paper = _sub("Papier en inkt")
    page = anouk.get(f"/budget/sub-budgets/{paper.id}").text
    assert f'action="/budget/sub-budgets/{paper.id}/entries"' in page
    other = LedgerEntry.get(LedgerEntry.sub_budget == tools)
    assert post(anouk, f"/budget/entries/{other.id}/reverse", {"reason": "x"}).status_code == 403
    assert not LedgerEntry.select().where(LedgerEntry.reverses == other.id).exists()


def test_a_manager_cannot_change_planned_amounts(as_viewer, db):
    anouk = as_viewer("anouk")
    paper = _sub("Papier en inkt")
    response = post(anouk, f"/budget/sub-budgets/{paper.id}/planned",
                    {"planned_amount": "900", "decision": "Vergadering 1 mei"})  # fmt: skip
    assert response.status_code == 403
    assert _sub("Papier en inkt").planned_cents == paper.planned_cents


# Planned changes and their decisions: tests/budget/test_co_decide.py.


def test_the_budget_page_warns_when_sub_budgets_plan_more_than_their_post(as_viewer, db):
    paper = _sub("Papier en inkt")
    from tests.budget.test_co_decide import _decision

    response = post(as_viewer("coordinator"), f"/budget/sub-budgets/{paper.id}/planned",
                    {"planned_amount": "9000", "decision": str(_decision().id)})  # fmt: skip
    assert response.status_code == 200 and _sub("Papier en inkt").planned_cents == 900_000
    page = as_viewer("priya").get("/budget").text
    assert "banner-bad" in page


def test_the_budget_page_has_the_rights_panel_and_bars_without_inline_styles(as_viewer, db):
    page = as_viewer("priya").get("/budget").text
    assert 'id="rights-heading"' in page
    assert "<svg" in page and 'class="bar-fill' in page
    assert "style=" not in page


def test_anonymous_visitors_are_sent_to_login(client):
    response = client.get("/budget", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")


def test_receipts_are_stored_outside_the_web_root_and_served_only_by_the_route(
    as_viewer, db, data_dir
):
    anouk = as_viewer("anouk")
    paper = _sub("Papier en inkt")
    png = photo("PNG")
    token_page = anouk.get("/")
    from tests.conftest import csrf_of

    response = anouk.post(
        f"/budget/sub-budgets/{paper.id}/entries",
        data={"csrf_token": csrf_of(anouk, "/"), "date": clock.today().isoformat(),
              "description": "Bon", "direction": "spending", "amount": "3"},
        files={"receipt": ("bon.png", png, "image/png")},
        follow_redirects=False,
    )  # fmt: skip
    assert token_page.status_code == 200
    assert response.status_code == 303, response.text[-1500:]
    entry = LedgerEntry.select().order_by(LedgerEntry.id.desc()).first()
    stored = receipt_store.read(entry.receipt)
    assert entry.receipt.endswith(".png") and stored.startswith(b"\x89PNG")
    served = as_viewer("priya").get(f"/budget/entries/{entry.id}/receipt")
    assert served.status_code == 200 and served.content == stored
    assert anouk.get(f"/static/../receipts/{entry.receipt}").status_code == 404
    # Not a picture or PDF, or too large: refused next to the field, nothing stored.
    count = LedgerEntry.select().count()
    # (A file over 10 MB does not get this far: the body limit answers 413 before reading.)
    for content, status in ((b"MZ not a receipt", 400), (b"%PDF-" + b"0" * 10_000_000, 413)):
        response = anouk.post(
            f"/budget/sub-budgets/{paper.id}/entries",
            data={"csrf_token": csrf_of(anouk, "/"), "date": clock.today().isoformat(),
                  "description": "Bon", "direction": "spending", "amount": "3"},
            files={"receipt": ("bon.bin", content, "application/octet-stream")},
        )  # fmt: skip
        assert response.status_code == status
        assert status == 413 or 'id="receipt-error"' in response.text
    assert LedgerEntry.select().count() == count


def test_the_treasurer_adds_posts_and_sub_budgets_and_chooses_managers(as_viewer, db):
    from models.accounts.audit import AuditEntry
    from models.budget import Post
    from models.person import Person

    treasurer = as_viewer("penningmeester")
    year = clock.today().year
    response = post(treasurer, "/budget/posts", {"name": "Feest", "year": str(year)},
                    follow_redirects=False)  # fmt: skip
    assert response.status_code == 303
    party = Post.get(Post.name == "Feest")
    assert party.planned_cents == 0
    assert post(treasurer, "/budget/posts", {"name": "Feest", "year": str(year)}).status_code == 400
    priya = Person.get(Person.display_name == "Priya")
    response = post(treasurer, f"/budget/posts/{party.id}/sub-budgets",
                    {"name": "Taart", "manager": str(priya.id), "project": ""},
                    follow_redirects=False)  # fmt: skip
    assert response.status_code == 303
    cake = SubBudget.get(SubBudget.name == "Taart")
    assert cake.manager_id == priya.id and cake.planned_cents == 0
    # priya may now book there; then the treasurer hands it to anouk, and she no longer may.
    data = {"date": clock.today().isoformat(), "description": "Taart", "direction": "spending",
            "amount": "12,95"}  # fmt: skip
    priya_client = as_viewer("priya")
    assert post(priya_client, f"/budget/sub-budgets/{cake.id}/entries", data).status_code == 200
    anouk = Person.get(Person.display_name == "Anouk B.")
    post(treasurer, f"/budget/sub-budgets/{cake.id}/manager",
         {"manager": str(anouk.id), "project": ""})  # fmt: skip
    assert SubBudget.get_by_id(cake.id).manager_id == anouk.id
    assert post(priya_client, f"/budget/sub-budgets/{cake.id}/entries", data).status_code == 403
    line = AuditEntry.get(AuditEntry.action == "budget.sub_budget.manager")
    assert line.object_id == cake.id


def test_the_treasurer_and_an_administrator_open_every_budget_page(as_viewer, db):
    from tests.access.budget import PARAMS
    from tests.web.test_access import url_for
    from webapp.budget import routes as budget_routes

    urls = [url_for(r.path, PARAMS) for r in budget_routes if "GET" in r.methods]
    for viewer in ("penningmeester", "beheer"):
        client = as_viewer(viewer)
        for url in urls:
            expected = {404} if url.endswith("/receipt") else {200}
            if viewer == "beheer" and (url.startswith("/budget/claims/") or url == "/budget/files"):
                expected = {403, 404}
            assert client.get(url).status_code in expected, (viewer, url)


def test_the_audit_page_never_shows_who_claimed_a_reimbursement(as_viewer, db):
    from models.accounts import audit
    from models.budget import Claim
    from models.person import Person

    claim = (
        Claim.select()
        .join(Person, on=(Claim.claimant == Person.id))
        .where(Person.display_name == PAID)
        .get()
    )
    audit.record(None, "budget.claim.pay", claim, person=claim.claimant_id,
                 after={"status": "paid"})  # fmt: skip
    for viewer in ("coordinator", "beheer"):
        text = as_viewer(viewer).get("/audit").text
        assert "budget.claim.pay" not in text and f": {PAID}" not in text, viewer
