"""Files and folders that hold personal data, created readable by their owner only.

The SQLite database (its -wal and -shm files take the database file's mode), the uploaded
receipts, backups and the data folder itself: 0600 files in a 0700 folder, set when they
are created rather than fixed afterwards.
"""

import os
from pathlib import Path
from typing import BinaryIO

FILE_MODE = 0o600
FOLDER_MODE = 0o700


def private_folder(path: Path) -> Path:
    """The folder, made 0700 when it does not exist yet (an existing folder is left as is)."""
    path.mkdir(parents=True, exist_ok=True, mode=FOLDER_MODE)
    return path


def create_private_file(path: Path) -> bool:
    """Make an empty 0600 file unless one is there already; True when it was made here."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
    except FileExistsError:
        return False
    return True


def open_new_private_file(path: Path) -> BinaryIO:
    """A new 0600 file opened for writing; FileExistsError when the name is taken."""
    return os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE), "wb")
