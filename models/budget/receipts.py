"""Uploaded receipts: files in the data folder's receipts/ folder, outside the web root.

Each is stored under a random name (the database keeps the name on the entry or claim) and
is readable by its owner only. A receipt appears under its name in one step, so a backup
taken meanwhile never holds half a file.
"""

import os
import re
import uuid
from pathlib import Path

from models.private_files import open_new_private_file, private_folder

FOLDER = "receipts"
MAX_RECEIPT_BYTES = 5 * 1024 * 1024
# The first bytes of the files we accept as a receipt, with the type they are served as.
RECEIPT_TYPES = (
    (b"%PDF-", ".pdf", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", ".png", "image/png"),
    (b"\xff\xd8\xff", ".jpg", "image/jpeg"),
)
MEDIA_TYPES = {ext: media for _magic, ext, media in RECEIPT_TYPES}

# What a stored receipt's name looks like: a random hex name and the type's extension.
# Backups hold only such names, so a restore can refuse anything else.
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,70}(\.[A-Za-z0-9]{1,8})?")


def receipt_folder(data_dir: Path) -> Path:
    """Where the receipts of the installation with this data folder live."""
    return Path(data_dir) / FOLDER


def is_receipt_name(name: str) -> bool:
    """True for a plain file name as Tafel gives receipts (no folders, no dots in front)."""
    return NAME.fullmatch(name) is not None


def save_receipt(data_dir: Path, data: bytes, ext: str) -> str:
    """Store the bytes as a new receipt (mode 0600) and return its name."""
    folder = private_folder(receipt_folder(data_dir))
    name = uuid.uuid4().hex + ext
    partial = folder / f".{name}.part"
    with open_new_private_file(partial) as fh:
        fh.write(data)
    os.replace(partial, folder / name)
    return name


def stored_receipts(data_dir: Path) -> list[Path]:
    """Every stored receipt, by name (files still being written are left out)."""
    folder = receipt_folder(data_dir)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and is_receipt_name(p.name))


def receipt_extension(data: bytes) -> str | None:
    """The extension a receipt with these first bytes is stored under; None for any other
    kind of file."""
    for magic, ext, _media in RECEIPT_TYPES:
        if data.startswith(magic):
            return ext
    return None


def receipt_path(data_dir: Path, name: str | None) -> Path | None:
    """The stored receipt of this name, when it exists and is of a type we serve."""
    if not name:
        return None
    path = receipt_folder(data_dir) / Path(name).name
    if path.suffix not in MEDIA_TYPES or not path.is_file():
        return None
    return path
