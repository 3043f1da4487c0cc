"""Claims: submitted → approved → paid (booked), rejected with a reason, withdrawn; and four
eyes: a claimant never approves, rejects or pays their own claim, through any route."""

import io
import json
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from starlette.testclient import TestClient

from models import clock
from models.accounts.audit import AuditEntry
from models.budget import Claim, LedgerEntry, SubBudget, receipt_store
from models.organisation import Organisation
from models.person import Person
from tests.conftest import csrf_of, post
from webapp.budget import routes as budget_routes


def _sub(name):
    return SubBudget.get(SubBudget.name == name)


def _submit(client, sub, **data):
    values = {
        "kind": "travel_km",
        "sub_budget": str(sub.id),
        "spent_on": clock.today().isoformat(),
        "km": "37",
        "amount": "",
        "description": "Naar de drukker",
    }
    values.update(data)
    response = post(client, "/budget/claims", values, follow_redirects=False)
    assert response.status_code == 303, response.text[-2000:]
    return Claim.select().order_by(Claim.id.desc()).first()


def test_a_claim_by_km_goes_from_submitted_to_paid_and_books_the_entry(on_date, as_viewer, db):
    sub = _sub("Reiskosten vrijwilligers")
    priya, anouk, treasurer = as_viewer("priya"), as_viewer("anouk"), as_viewer("penningmeester")
    claim = _submit(priya, sub)
    rate = Organisation.current().km_rate_cents
    assert (claim.status, claim.km, claim.amount_cents) == ("submitted", 37, 37 * rate)
    assert "Ingediend" in priya.get(f"/budget/claims/{claim.id}").text or "Submitted" in (
        priya.get(f"/budget/claims/{claim.id}").text
    )
    # The treasurer cannot pay before approval.
    post(treasurer, f"/budget/claims/{claim.id}/pay")
    assert Claim.get_by_id(claim.id).status == "submitted"
    assert post(anouk, f"/budget/claims/{claim.id}/approve").status_code == 200
    claim = Claim.get_by_id(claim.id)
    assert claim.status == "approved" and claim.decided_by_id == _person("Anouk B.")
    post(treasurer, f"/budget/claims/{claim.id}/pay")
    claim = Claim.get_by_id(claim.id)
    assert claim.status == "paid" and claim.paid_at is not None
    entry = LedgerEntry.get(LedgerEntry.claim == claim.id)
    assert (entry.kind, entry.amount_cents, entry.sub_budget_id) == (
        "reimbursement",
        -37 * rate,
        sub.id,
    )
    # Paying twice books nothing more.
    post(treasurer, f"/budget/claims/{claim.id}/pay")
    assert LedgerEntry.select().where(LedgerEntry.claim == claim.id).count() == 1
    actions = {a.action for a in AuditEntry.select().where(AuditEntry.action.startswith("budget"))}
    assert {"budget.claim.submit", "budget.claim.approve", "budget.claim.pay"} <= actions


def _person(name):
    return Person.get(Person.display_name == name).id


def test_a_claim_not_approved_has_a_reason_and_a_claimant_can_withdraw(as_viewer, db):
    sub = _sub("Papier en inkt")
    priya, anouk = as_viewer("priya"), as_viewer("anouk")
    claim = _submit(priya, sub, kind="printing", km="", amount="4,50")
    assert claim.amount_cents == 450 and claim.km is None
    assert post(anouk, f"/budget/claims/{claim.id}/reject", {"reason": ""}).status_code == 400
    assert Claim.get_by_id(claim.id).status == "submitted"
    post(anouk, f"/budget/claims/{claim.id}/reject", {"reason": "Dit hoort bij een ander budget."})
    claim = Claim.get_by_id(claim.id)
    assert claim.status == "rejected" and claim.reason == "Dit hoort bij een ander budget."
    assert "Dit hoort bij een ander budget." in priya.get(f"/budget/claims/{claim.id}").text
    second = _submit(priya, sub, kind="phone", km="", amount="10")
    post(priya, f"/budget/claims/{second.id}/withdraw")
    assert Claim.get_by_id(second.id).status == "withdrawn"
    # Withdrawn is final: approving it now changes nothing.
    post(anouk, f"/budget/claims/{second.id}/approve")
    assert Claim.get_by_id(second.id).status == "withdrawn"


@pytest.mark.parametrize(
    ("kind", "km", "amount"),
    [("travel_km", "", ""), ("travel_km", "0", ""), ("travel_km", "-3", ""),
     ("other", "", "abc"), ("other", "", "0"), ("other", "", "1,234")],
)  # fmt: skip
def test_a_claim_without_a_usable_amount_is_refused_and_nothing_is_stored(
    as_viewer, db, kind, km, amount
):
    priya = as_viewer("priya")
    count = Claim.select().count()
    values = {
        "kind": kind,
        "sub_budget": str(_sub("Reiskosten vrijwilligers").id),
        "spent_on": clock.today().isoformat(),
        "km": km,
        "amount": amount,
        "description": "Reis",
    }
    assert post(priya, "/budget/claims", values).status_code == 400
    assert Claim.select().count() == count


DECIDING = ("approve", "reject", "pay")


def test_four_eyes_the_claimant_never_approves_rejects_or_pays_their_own_claim(as_viewer, db):
    # anouk manages "Papier en inkt" and claims on it herself.
    anouk = as_viewer("anouk")
    own = _submit(anouk, _sub("Papier en inkt"), kind="printing", km="", amount="7,00")
    for action in DECIDING:
        response = post(anouk, f"/budget/claims/{own.id}/{action}", {"reason": "zelf"})
        assert response.status_code == 403, action
    assert Claim.get_by_id(own.id).status == "submitted"
    assert "Approve claim" not in anouk.get(f"/budget/claims/{own.id}").text
    # The treasurer approves it (not the claimant), but cannot pay a claim of their own.
    treasurer = as_viewer("penningmeester")
    post(treasurer, f"/budget/claims/{own.id}/approve")
    assert post(anouk, f"/budget/claims/{own.id}/pay").status_code == 403
    mine = _submit(treasurer, _sub("Reiskosten vrijwilligers"), kind="phone", km="", amount="5")
    for action in DECIDING:
        assert (
            post(treasurer, f"/budget/claims/{mine.id}/{action}", {"reason": "x"}).status_code
            == 403
        )
    post(as_viewer("anouk"), f"/budget/claims/{mine.id}/approve")
    assert Claim.get_by_id(mine.id).status == "approved"
    assert post(treasurer, f"/budget/claims/{mine.id}/pay").status_code == 403
    assert Claim.get_by_id(mine.id).status == "approved"
    assert not LedgerEntry.select().where(LedgerEntry.claim == mine.id).exists()


def test_every_route_that_changes_a_claim_refuses_its_claimant(as_viewer, db):
    """Walk every claim route that moves a claim on: the claimant is refused on each."""
    anouk = as_viewer("anouk")
    own = _submit(anouk, _sub("Papier en inkt"), kind="printing", km="", amount="7,00")
    moving = [
        r.path
        for r in budget_routes
        if "POST" in r.methods and "{claim_id" in r.path and not r.path.endswith("/withdraw")
    ]
    assert sorted(p.rsplit("/", 1)[1] for p in moving) == sorted(DECIDING)
    for path in moving:
        url = path.replace("{claim_id:int}", str(own.id))
        assert post(anouk, url, {"reason": "x"}).status_code == 403, url
    assert Claim.get_by_id(own.id).status == "submitted"


def test_a_manager_of_another_sub_budget_cannot_decide(as_viewer, db):
    # Bram's claim on "Papier en inkt": the coordinator is not its manager.
    claim = Claim.get((Claim.claimant == _person("Bram")) & (Claim.status == "submitted"))
    for viewer in ("coordinator", "priya"):
        assert post(as_viewer(viewer), f"/budget/claims/{claim.id}/approve").status_code == 403


def test_managers_see_claims_waiting_more_than_a_day_first(as_viewer, db):
    anouk = as_viewer("anouk")
    fresh = _submit(as_viewer("priya"), _sub("Papier en inkt"), kind="printing", km="",
                    amount="3")  # fmt: skip
    page = anouk.get("/budget/claims").text
    old = Claim.get((Claim.claimant == _person("Bram")) & (Claim.status == "submitted"))
    assert page.index(f"/budget/claims/{old.id}") < page.index(f"/budget/claims/{fresh.id}")
    assert "waiting-long" in page


def test_the_treasurer_sees_time_from_claim_to_payment_per_month(as_viewer, db):
    page = as_viewer("penningmeester").get("/budget/claims").text
    assert 'id="times-heading"' in page
    assert 'id="times-heading"' not in as_viewer("anouk").get("/budget/claims").text


def test_claim_transitions_are_in_the_audit_log(as_viewer, db):
    priya = as_viewer("priya")
    claim = _submit(priya, _sub("Reiskosten vrijwilligers"))
    post(as_viewer("anouk"), f"/budget/claims/{claim.id}/reject", {"reason": "Te ver."})
    line = AuditEntry.get(AuditEntry.action == "budget.claim.reject")
    assert json.loads(line.after)["status"] == "rejected"


def _claim_with_receipt(client, kind: str, receipt: tuple) -> Claim:
    """A claim of € 6,40 with a receipt (file name, bytes, type), filed through the form."""
    from tests.conftest import csrf_of

    response = client.post(
        "/budget/claims",
        data={"csrf_token": csrf_of(client, "/"), "kind": kind,
              "sub_budget": str(_sub("Reiskosten vrijwilligers").id),
              "spent_on": clock.today().isoformat(), "km": "", "amount": "6,40",
              "description": "Met bon"},
        files={"receipt": receipt},
        follow_redirects=False,
    )  # fmt: skip
    assert response.status_code == 303, response.text[-1500:]
    return Claim.select().order_by(Claim.id.desc()).first()


def test_a_claims_receipt_is_served_to_its_parties_only(as_viewer, db, data_dir):

    priya = as_viewer("priya")
    claim = _claim_with_receipt(
        priya, "travel_public", ("kaartje.jpg", photo("JPEG"), "image/jpeg")
    )
    url = f"/budget/claims/{claim.id}/receipt"
    for viewer in ("priya", "anouk", "penningmeester"):
        got = as_viewer(viewer).get(url)
        assert got.status_code == 200 and got.content.startswith(b"\xff\xd8\xff"), viewer
        assert got.headers["content-type"] == "image/jpeg"
    assert as_viewer("coordinator").get(url).status_code == 403
    # Once paid, the entry's receipt is for the manager and the treasurer, not other members.
    post(as_viewer("anouk"), f"/budget/claims/{claim.id}/approve")
    post(as_viewer("penningmeester"), f"/budget/claims/{claim.id}/pay")
    entry = LedgerEntry.get(LedgerEntry.claim == claim.id)
    assert as_viewer("anouk").get(f"/budget/entries/{entry.id}/receipt").status_code == 200
    assert as_viewer("coordinator").get(f"/budget/entries/{entry.id}/receipt").status_code == 403


def test_a_claim_must_say_which_budget_pays(as_viewer, db):
    priya = as_viewer("priya")
    count = Claim.select().count()
    values = {"kind": "travel_km", "sub_budget": "", "spent_on": clock.today().isoformat(),
              "km": "10", "amount": "", "description": "Reis"}  # fmt: skip
    response = post(priya, "/budget/claims", values)
    assert response.status_code == 400 and 'id="sub_budget-error"' in response.text
    assert Claim.select().count() == count


DECIDED = "Iemand anders heeft hier al over beslist, of het is ingetrokken. Er is niets veranderd."


def test_a_claim_decided_already_is_not_decided_again_and_the_second_is_told(as_viewer, db):
    anouk, treasurer = as_viewer("anouk"), as_viewer("penningmeester")
    claim = _submit(as_viewer("priya"), _sub("Papier en inkt"), kind="phone", km="", amount="6")
    assert post(anouk, f"/budget/claims/{claim.id}/approve").status_code == 200
    response = post(treasurer, f"/budget/claims/{claim.id}/reject", {"reason": "Te laat."})
    assert response.status_code == 409 and DECIDED in response.text
    claim = Claim.get_by_id(claim.id)
    assert (claim.status, claim.reason) == ("approved", "")
    assert claim.decided_by_id == _person("Anouk B.")
    response = post(treasurer, f"/budget/claims/{claim.id}/approve")
    assert response.status_code == 409 and DECIDED in response.text
    decisions = AuditEntry.select().where(
        (AuditEntry.object_id == claim.id) & AuditEntry.action.startswith("budget.claim.")
    )
    assert [a.action for a in decisions] == ["budget.claim.submit", "budget.claim.approve"]
    # Paid once; paying again says so and books nothing more.
    assert post(treasurer, f"/budget/claims/{claim.id}/pay").status_code == 200
    response = post(treasurer, f"/budget/claims/{claim.id}/pay")
    assert response.status_code == 409 and "Er is niets veranderd." in response.text
    assert LedgerEntry.select().where(LedgerEntry.claim == claim.id).count() == 1


def test_a_decided_claim_can_no_longer_be_withdrawn(as_viewer, db):
    priya = as_viewer("priya")
    claim = _submit(priya, _sub("Papier en inkt"), kind="phone", km="", amount="6")
    post(as_viewer("anouk"), f"/budget/claims/{claim.id}/reject", {"reason": "Niet nodig."})
    response = post(priya, f"/budget/claims/{claim.id}/withdraw")
    assert response.status_code == 409
    assert "je kunt het niet meer intrekken" in response.text
    assert Claim.get_by_id(claim.id).status == "rejected"


def test_when_approve_and_reject_race_one_wins_and_the_other_is_told(app, as_viewer, db):
    """The manager approves while the treasurer rejects, at the same moment."""
    deciders = {}
    for name in ("anouk", "penningmeester"):
        client = as_viewer(name)
        deciders[name] = (client.cookies, csrf_of(client, "/"))
    priya = as_viewer("priya")
    for _round in range(3):
        claim = _submit(priya, _sub("Papier en inkt"), kind="phone", km="", amount="3")
        barrier = threading.Barrier(2)

        def decide(who, claim_id=claim.id, barrier=barrier):
            cookies, token = deciders[who]
            action, data = ("approve", {}) if who == "anouk" else ("reject", {"reason": "Nee."})
            with TestClient(app, cookies=cookies) as client:
                barrier.wait(timeout=30)
                url = f"/budget/claims/{claim_id}/{action}"
                response = client.post(url, data={"csrf_token": token, **data})
                return action, response.status_code, response.text

        with ThreadPoolExecutor(2) as pool:
            results = list(pool.map(decide, ["anouk", "penningmeester"]))
        (winner,) = [action for action, status, _text in results if status == 200]
        (loser,) = [text for _action, status, text in results if status == 409]
        assert DECIDED in loser
        claim = Claim.get_by_id(claim.id)
        assert claim.status == {"approve": "approved", "reject": "rejected"}[winner]
        decisions = AuditEntry.select().where(
            AuditEntry.action.in_(["budget.claim.approve", "budget.claim.reject"])
            & (AuditEntry.object_id == claim.id)
        )
        assert [a.action for a in decisions] == [f"budget.claim.{winner}"]


def photo(kind: str, gps: bool = False, size=(40, 30)) -> bytes:
    """A real photo made here; with `gps`, EXIF with a position, a camera and a date, as a
    phone writes it (and for a PNG a text chunk too)."""
    from PIL import Image, PngImagePlugin

    image = Image.new("RGB", size, (200, 120, 40))
    out = io.BytesIO()
    options = {}
    if gps:
        exif = Image.Exif()
        exif[0x010F] = "PhoneMaker"  # Make
        exif[0x0132] = "2026:06:17 10:00:00"  # DateTime
        exif[0x0112] = 6  # Orientation: turn 90 degrees to show it upright
        exif.get_ifd(0x8825).update(
            {1: "N", 2: (52.0, 22.0, 8.1), 3: "E", 4: (4.0, 53.0, 28.2)}  # GPS: Amsterdam
        )
        options["exif"] = exif.tobytes()
        if kind == "PNG":
            info = PngImagePlugin.PngInfo()
            info.add_text("Location", "Keizersgracht 1, Amsterdam")
            options["pnginfo"] = info
    image.save(out, kind, **options)
    return out.getvalue()


@pytest.mark.parametrize("kind", ["JPEG", "PNG"])
def test_a_phone_photo_comes_back_without_its_position(as_viewer, db, data_dir, kind):
    from PIL import Image

    from tests.conftest import csrf_of

    original = photo(kind, gps=True)
    with Image.open(io.BytesIO(original)) as image:
        assert image.getexif().get_ifd(0x8825)  # the upload does carry a GPS position
    priya = as_viewer("priya")
    response = priya.post(
        "/budget/claims",
        data={"csrf_token": csrf_of(priya, "/"), "kind": "travel_public",
              "sub_budget": str(_sub("Reiskosten vrijwilligers").id),
              "spent_on": clock.today().isoformat(), "km": "", "amount": "6,40",
              "description": "Trein"},
        files={"receipt": ("IMG_0001.jpg", original, "image/jpeg")},
        follow_redirects=False,
    )  # fmt: skip
    assert response.status_code == 303, response.text[-1500:]
    claim = Claim.select().order_by(Claim.id.desc()).first()
    served = priya.get(f"/budget/claims/{claim.id}/receipt").content
    assert receipt_store.read(claim.receipt) == served
    with Image.open(io.BytesIO(served)) as image:
        assert image.format == kind and not image.getexif()
        assert image.size == (30, 40)  # turned upright as the phone meant, then the EXIF gone
        assert not image.info.get("exif") and "Location" not in image.info
    for trace in (b"Exif", b"PhoneMaker", b"2026:06:17", b"Keizersgracht"):
        assert trace not in served


def test_a_receipt_is_known_by_its_content_and_limited_in_size(as_viewer, db):
    from models.budget import receipts

    refused = {
        b"%PDF-1.4\n" + b"0" * 100: receipts.UNREADABLE_PDF,  # a PDF's start, then nothing
        b"GIF89a" + b"0" * 50: receipts.NOT_A_RECEIPT,
        photo("PNG")[:40]: receipts.UNREADABLE_PHOTO,  # a PNG's start, then nothing
        b"\xff\xd8\xff\xe0" + b"1" * 200: receipts.UNREADABLE_PHOTO,
        b"%PDF-" + b"0" * 10_000_000: receipts.TOO_LARGE,
    }
    for content, sentence in refused.items():
        with pytest.raises(receipts.ReceiptError) as caught:
            receipts.clean_receipt(content)
        assert caught.value.template == sentence
    priya = as_viewer("priya")
    from tests.conftest import csrf_of

    count = Claim.select().count()
    response = priya.post(
        "/budget/claims",
        data={"csrf_token": csrf_of(priya, "/"), "kind": "travel_public",
              "sub_budget": str(_sub("Reiskosten vrijwilligers").id),
              "spent_on": clock.today().isoformat(), "km": "", "amount": "6,40",
              "description": "Trein"},
        files={"receipt": ("bon.jpg", b"GIF89a" + b"0" * 50, "image/jpeg")},
    )  # fmt: skip
    assert response.status_code == 400 and 'id="receipt-error"' in response.text
    assert Claim.select().count() == count


def _pdf_with_metadata() -> bytes:
    """A one-page PDF as a scan app writes it: the receipt's text, a document information
    dictionary (author, creator, producer, dates) and XMP metadata, written by hand."""
    xmp = (
        b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">'
        b"<dc:creator>Kim Jansen</dc:creator><xmp:CreatorTool>ScanApp 3</xmp:CreatorTool>"
        b'</x:xmpmeta><?xpacket end="w"?>'
    )
    text = b"BT /F1 12 Tf 72 720 Td (Bon Drukkerij 12,40) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R /Metadata 6 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> /Metadata 6 0 R >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(text), text),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Type /Metadata /Subtype /XML /Length %d >>\nstream\n%s\nendstream" % (len(xmp), xmp),
        b"<< /Author (Kim Jansen) /Creator (ScanApp 3 on Kims telefoon) /Producer (ScanLib) "
        b"/Title (Bon thuisadres Dorpsstraat 1) /CreationDate (D:20260612093000+02'00') "
        b"/ModDate (D:20260612093100+02'00') >>",
    ]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 7 0 R >>\n" % (len(objects) + 1)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def test_a_pdf_receipt_is_stored_without_its_metadata(as_viewer, db, data_dir):
    """Issue 19 (low): the author, creator, title and dates of a PDF, and its XMP metadata,
    do not reach the stored receipt; its page and text do."""
    import io

    from pypdf import PdfReader

    from models.budget import receipts

    pdf = _pdf_with_metadata()
    original = PdfReader(io.BytesIO(pdf))
    assert original.metadata["/Author"] == "Kim Jansen"  # the file really carries it
    assert "/Metadata" in original.trailer["/Root"]
    priya = as_viewer("priya")
    claim = _claim_with_receipt(priya, "printing", ("bon.pdf", pdf, "application/pdf"))
    stored = receipt_store.read(claim.receipt)
    served = priya.get(f"/budget/claims/{claim.id}/receipt")
    assert served.status_code == 200 and served.content == stored
    for secret in (b"Kim", b"ScanApp", b"ScanLib", b"Dorpsstraat", b"D:2026", b"xmpmeta"):
        assert secret not in stored, secret
    clean = PdfReader(io.BytesIO(stored))
    assert clean.metadata is None or not dict(clean.metadata)
    assert "/Metadata" not in clean.trailer["/Root"]
    assert "/Metadata" not in clean.pages[0]
    assert len(clean.pages) == 1 and "Bon Drukkerij 12,40" in clean.pages[0].extract_text()
    # A PDF locked with a password cannot be cleaned: refused with a sentence.
    from pypdf import PdfWriter

    locked = PdfWriter(clone_from=original)
    locked.encrypt("geheim")
    out = io.BytesIO()
    locked.write(out)
    with pytest.raises(receipts.ReceiptError) as caught:
        receipts.clean_receipt(out.getvalue())
    assert caught.value.template == receipts.UNREADABLE_PDF


@pytest.mark.parametrize("language, typed", [("nl", "1.700"), ("nl", "1.700,00"), ("en", "1,700")])
def test_an_amount_is_read_as_people_type_it_in_their_language(as_viewer, db, language, typed):
    """Issue 22: in Dutch 1.700 and 1.700,00 are one thousand seven hundred euros (the dot
    groups thousands); English reads 1,700 the same. The page's language decides."""
    priya = as_viewer("priya")
    post(priya, "/language", {"language": language, "next": "/"})
    claim = _submit(priya, _sub("Reiskosten vrijwilligers"), kind="other", km="", amount=typed)
    assert claim.amount_cents == 170_000
