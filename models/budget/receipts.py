"""Uploaded receipts: checked and cleaned here, kept where receipt_store.py says (the
database by default, or an S3-compatible object store), never in a host's own folders.

Each is kept under a random name (the claim or ledger entry keeps the name), written in the
transaction of the line that names it (`keep_receipt`).

A photo is stored as a new image with the same pixels and nothing else (`clean_receipt`): a
phone writes where and when it was taken, and with which device, into the file (EXIF, PNG
text), and a receipt must not tell anyone where a person lives. A PDF is written again
without its document information (author, creator, producer, title, dates) and its XMP
metadata, of the document and of each page (issue 19): a scan app or a word processor puts
a person's name and the moment of writing there. A file that cannot be read as what it says
it is is refused. The type is read from the content, never from the name, and the size is
limited.
"""

import io
import uuid
import warnings
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError
from pypdf import PdfReader, PdfWriter

from models.budget import receipt_store
from models.rules.errors import RuleError
from models.words import Text

FOLDER = receipt_store.RECEIPTS_FOLDER  # where a backup archive holds them
MAX_RECEIPT_BYTES = 10_000_000  # 10 MB, as webapp/limits.py lets an upload through
# A photo larger than this many pixels is refused before it is decoded (a phone's camera
# gives some 50 million at most; a tiny file can claim billions and fill the memory).
MAX_PIXELS = 60_000_000
TOO_LARGE = Text("The file is larger than 10 MB. Take a smaller photo or scan.")
NOT_A_RECEIPT = Text("Choose a photo (JPEG or PNG) or a PDF file.")
UNREADABLE_PHOTO = Text("This photo cannot be read. Take the photo again or choose another file.")
UNREADABLE_PDF = Text(
    "This PDF file cannot be read, or is locked with a password. Save it again as a PDF "
    "without a password, or take a photo of the receipt."
)
# What a PDF says about itself besides its pages: left out when it is written again.
PDF_METADATA = ("/Metadata", "/PieceInfo")
# The first bytes of the files we accept as a receipt, with the type they are served as.
RECEIPT_TYPES = (
    (b"%PDF-", ".pdf", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", ".png", "image/png"),
    (b"\xff\xd8\xff", ".jpg", "image/jpeg"),
)
MEDIA_TYPES = {ext: media for _magic, ext, media in RECEIPT_TYPES}

# What a kept receipt's name looks like (a random hex name and the type's extension).
NAME = receipt_store.NAME


is_receipt_name = receipt_store.is_receipt_name


def keep_receipt(receipt: tuple[bytes, str] | None) -> str | None:
    """Keep a cleaned receipt (bytes and extension, as `clean_receipt` gives them) under a
    new name and return the name; None for no receipt. Call it inside the transaction that
    writes the line naming it."""
    if receipt is None:
        return None
    data, ext = receipt
    name = uuid.uuid4().hex + ext
    receipt_store.put(name, data)
    return name


def receipt_extension(data: bytes) -> str | None:
    """The extension a receipt with these first bytes is stored under; None for any other
    kind of file."""
    for magic, ext, _media in RECEIPT_TYPES:
        if data.startswith(magic):
            return ext
    return None


def receipt_file(name: str | None) -> tuple[bytes, str] | None:
    """The kept receipt of this name and its extension, when it exists and is of a type we
    serve."""
    if not name or not is_receipt_name(name):
        return None
    ext = Path(name).suffix
    if ext not in MEDIA_TYPES:
        return None
    data = receipt_store.read(name)
    return None if data is None else (data, ext)


class ReceiptError(RuleError):
    """An upload that cannot be a receipt, with the plain sentence why."""


def clean_receipt(data: bytes) -> tuple[bytes, str]:
    """The receipt as it is stored, and its extension: a PDF written again without its
    metadata, a photo (JPEG or PNG, known by its content) drawn again without any metadata,
    the right way up. Raises ReceiptError for a file that is too large, of another kind or
    not readable."""
    if len(data) > MAX_RECEIPT_BYTES:
        raise ReceiptError(TOO_LARGE)
    ext = receipt_extension(data)
    if ext is None:
        raise ReceiptError(NOT_A_RECEIPT)
    if ext == ".pdf":
        return _pdf_without_metadata(data), ext
    return _photo_without_metadata(data, "JPEG" if ext == ".jpg" else "PNG"), ext


def _photo_without_metadata(data: bytes, kind: str) -> bytes:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[kind]) as photo:
                width, height = photo.size
                if width * height > MAX_PIXELS:
                    raise ReceiptError(TOO_LARGE)
                photo.load()
                # The orientation is the one piece of EXIF a photo needs: apply it to the
                # pixels, then draw the pixels on a new image that carries nothing else.
                upright = ImageOps.exif_transpose(photo)
    except ReceiptError:
        raise
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError,
            Image.DecompressionBombWarning, UnidentifiedImageError):  # fmt: skip
        raise ReceiptError(UNREADABLE_PHOTO) from None
    if kind == "JPEG" and upright.mode not in ("L", "RGB", "CMYK"):
        upright = upright.convert("RGB")
    clean = Image.new(upright.mode, upright.size)
    if upright.mode == "P":
        clean.putpalette(upright.getpalette())
    clean.paste(upright)
    out = io.BytesIO()
    if kind == "JPEG":
        clean.save(out, "JPEG", quality=90)
    else:
        clean.save(out, "PNG")
    return out.getvalue()


def _pdf_without_metadata(data: bytes) -> bytes:
    """The PDF's pages written again, without the document information dictionary and
    without XMP metadata (of the document and of each page)."""
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise ReceiptError(UNREADABLE_PDF)
        writer = PdfWriter(clone_from=reader)
        writer.metadata = None  # no /Info at all, not even pypdf's own /Producer
        for holder in (writer.root_object, *writer.pages):
            for key in PDF_METADATA:
                holder.pop(key, None)
        # What nothing points at any more (the metadata streams) is not written; the same
        # object twice is written once.
        writer.compress_identical_objects()
        out = io.BytesIO()
        writer.write(out)
    except ReceiptError:
        raise
    except Exception:  # noqa: BLE001 - a damaged PDF can fail anywhere in the reader
        raise ReceiptError(UNREADABLE_PDF) from None
    return out.getvalue()
