"""Files in and out of the budget: receipts (uploaded with a booking or a claim, served only
to those who may see them), budget.csv and ledger.csv uploads (the treasurer), and the
ledger and summary downloads (models/budget/exchange.py writes the rows)."""

import base64
import binascii

from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from models.budget import exchange, ledger_file, receipts
from models.budget.lookalikes import Lookalikes
from models.budget.receipts import (
    MAX_RECEIPT_BYTES,
    MEDIA_TYPES,
    ReceiptError,
    clean_receipt,
    receipt_file,
)
from models.budget.tables import BudgetYear, LedgerImport
from models.rules.csvfile import CsvError
from webapp.access import TREASURER, Routes
from webapp.budget.forms import ImportForm
from webapp.budget.permissions import BUDGET_VIEWER
from webapp.budget.words import problem_text
from webapp.forms import bind, posted_id
from webapp.i18n import _, current_language, lazy_gettext, ngettext
from webapp.templating import file_download, render

routes = Routes()

MAX_CSV_BYTES = 5 * 1024 * 1024


# --- receipts --------------------------------------------------------------------------


# models/budget/receipts.py's sentences, named here for the translators.
RECEIPT_PROBLEMS = {
    receipts.TOO_LARGE: lazy_gettext(
        "The file is larger than 10 MB. Take a smaller photo or scan."
    ),
    receipts.NOT_A_RECEIPT: lazy_gettext("Choose a photo (JPEG or PNG) or a PDF file."),
    receipts.UNREADABLE_PHOTO: lazy_gettext(
        "This photo cannot be read. Take the photo again or choose another file."
    ),
    receipts.UNREADABLE_PDF: lazy_gettext(
        "This PDF file cannot be read, or is locked with a password. Save it again as a PDF "
        "without a password, or take a photo of the receipt."
    ),
}


def read_receipt(field) -> tuple[bytes, str] | None:
    """The uploaded receipt as it will be stored (a photo without its metadata) and its
    extension, None when none was chosen; errors on the field."""
    upload = field.data
    if not isinstance(upload, UploadFile) or not upload.filename:
        return None
    data = upload.file.read(MAX_RECEIPT_BYTES + 1)
    if not data:
        return None
    try:
        return clean_receipt(data)
    except ReceiptError as error:
        field.errors.append(str(RECEIPT_PROBLEMS[error.template]))
        return None


def serve_receipt(request: Request, name: str | None) -> Response:
    """A kept receipt (from the database or the object store), never cached; a PDF as a
    download, a photo shown in the browser. Only PDF, PNG and JPEG are ever served, under the
    type their name says (the content was checked on upload)."""
    found = receipt_file(name)
    if found is None:
        raise HTTPException(404)
    data, ext = found
    disposition = "attachment" if ext == ".pdf" else "inline"
    return Response(
        data,
        media_type=MEDIA_TYPES[ext],
        headers={
            "Content-Disposition": f'{disposition}; filename="receipt{ext}"',
            "Cache-Control": "private, no-store",
        },
    )


# --- budget files ------------------------------------------------------------------------


def _files_page(request, problems=None, done=None, status=200, lookalikes=None):
    return render(
        request,
        "budget/files.html",
        {
            "problems": problems or [],
            "done": done,
            "lookalikes": lookalikes,
            "imports": LedgerImport.latest(10),
            "years": BudgetYear.numbers(),
        },
        status_code=status,
    )


@routes.get("/budget/files", permission=TREASURER)
def files_page(request: Request, viewer):
    """Upload budget.csv or ledger.csv (the treasurer)."""
    return _files_page(request)


def _uploaded(form: ImportForm) -> tuple[bytes, str] | None:
    """The file's bytes and name: the upload, or the file sent back with the look-alike rows'
    confirmation; None when there is none."""
    upload = form.file.data
    if isinstance(upload, UploadFile) and upload.filename:
        return upload.file.read(MAX_CSV_BYTES + 1), upload.filename
    if form.confirmed is not None and form.content.data:
        try:
            raw = base64.b64decode(form.content.data, validate=True)
        except (binascii.Error, ValueError):
            return None
        return raw, (form.file_name.data or "")[:200]
    return None


def _import(request: Request, viewer, what: str):
    form = bind(ImportForm, request)
    uploaded = _uploaded(form)
    if uploaded is None or not uploaded[0]:
        return _files_page(request, problems=[_("Choose a CSV file.")], status=400)
    raw, file_name = uploaded
    if len(raw) > MAX_CSV_BYTES:
        return _files_page(request, problems=[_("The file is larger than 5 MB.")], status=400)
    try:
        if what == "budget":
            counts = exchange.import_budget(
                raw, viewer.account_id, viewer.person_id, language=current_language.get()
            )
            done = _plan_done(counts)
        else:
            result = ledger_file.import_ledger(
                raw, viewer.account_id, viewer.person_id, file_name=file_name,
                confirmed=form.confirmed, language=current_language.get(),
            )  # fmt: skip
            done = _ledger_done(result)
    except Lookalikes as found:
        lookalikes = {
            "rows": found.rows,
            "content": base64.b64encode(raw).decode("ascii"),
            "file_name": file_name,
        }
        problems = [problem_text(found.problems[0])]
        return _files_page(request, problems=problems, status=400, lookalikes=lookalikes)
    except CsvError as error:
        problems = [problem_text(p) for p in error.problems]
        problems.append(_("Nothing was imported. Fix these lines and upload the file again."))
        return _files_page(request, problems=problems, status=400)
    return _files_page(request, done=done)


def _plan_done(counts: dict) -> str:
    """What a budget.csv import did, in words; that it changed nothing, when so."""
    if not any(counts.values()):
        return _("Nothing changed: the plan in Tafel is already as this file says.")
    return _(
        "Imported: %(posts)s and %(subs)s.",
        posts=ngettext("%(num)s post", "%(num)s posts", counts["posts"]),
        subs=ngettext("%(num)s sub-budget", "%(num)s sub-budgets", counts["sub_budgets"]),
    )


def _ledger_done(result) -> str:
    """What a ledger import did, in words."""
    done = ngettext(
        "Imported: %(num)s ledger entry.", "Imported: %(num)s ledger entries.", result.booked
    )
    if result.known:
        done += " " + ngettext(
            "%(num)s row was left out: it is already in the ledger "
            "(this file holds rows of a ledger export).",
            "%(num)s rows were left out: they are already in the ledger "
            "(this file holds rows of a ledger export).",
            result.known,
        )
    if result.left_out:
        done += " " + ngettext(
            "%(num)s row that looks like an entry in the ledger was left out.",
            "%(num)s rows that look like entries in the ledger were left out.",
            result.left_out,
        )
    return done


@routes.post("/budget/import/budget", permission=TREASURER)
def budget_file_upload(request: Request, viewer):
    """Import the plan (budget.csv): all or nothing."""
    return _import(request, viewer, "budget")


@routes.post("/budget/import/ledger", permission=TREASURER)
def ledger_file_upload(request: Request, viewer):
    """Import ledger entries (ledger.csv): all or nothing, never the same file twice."""
    return _import(request, viewer, "ledger")


def _excel(request: Request) -> bool:
    return request.query_params.get("excel") == "1"


@routes.get("/budget/export/ledger.csv", permission=BUDGET_VIEWER)
def export_ledger(request: Request, viewer):
    """The ledger as CSV (no names of people), plain or for Excel."""
    year = posted_id(request.query_params.get("year"))
    text = exchange.export_ledger(year, excel=_excel(request))
    return file_download(text, f"ledger-{year}.csv" if year else "ledger.csv")


@routes.get("/budget/export/budget.csv", permission=BUDGET_VIEWER)
def export_plan(request: Request, viewer):
    """The plan as budget.csv (every year, or ?year=), plain or for Excel: imported again it
    changes nothing."""
    year = posted_id(request.query_params.get("year"))
    text = exchange.export_plan(year, excel=_excel(request))
    return file_download(text, f"budget-{year}.csv" if year else "budget.csv")


@routes.get("/budget/export/budget-summary.csv", permission=BUDGET_VIEWER)
def export_summary(request: Request, viewer):
    """The summary per post and sub-budget as CSV: the same numbers as the budget page."""
    year = BudgetYear.asked_or_latest(posted_id(request.query_params.get("year")))
    text = exchange.export_summary(year, excel=_excel(request))
    return file_download(text, f"budget-summary-{year.year if year else ''}.csv")
