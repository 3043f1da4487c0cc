"""`tafel receipts move --to database|s3`: receipts kept before (in the data folder's receipts/
folder, or in the database when they go to an object store now) moved into the chosen store,
once and verifiably.

Each receipt is written into the store, read back, and its SHA-256 compared with the source's;
only then is the source removed. A receipt the store already holds with the same hash is not
written again (only the source is removed), so running the move twice moves nothing twice. A
receipt the store holds with other bytes is left where it is and reported: nothing is
overwritten.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from models.budget import receipt_store
from models.budget.receipt_store import DatabaseStore, FolderStore, sha256
from models.budget.receipts import is_receipt_name
from models.db import database


class MoveError(ValueError):
    """The move cannot start; the message says why in one sentence."""


@dataclass
class Moved:
    """What a move did: each receipt's name and hash, by outcome."""

    target: str
    moved: list[tuple[str, str]] = field(default_factory=list)
    already_there: list[tuple[str, str]] = field(default_factory=list)
    differs: list[tuple[str, str]] = field(default_factory=list)


def move_receipts(to: str, data_dir: Path) -> Moved:
    """Move every receipt kept outside the chosen store into it (`to` must name the store
    TAFEL_RECEIPTS chose: the app reads new receipts only from there)."""
    target = receipt_store.chosen()
    if to != target.kind:
        raise MoveError(
            f"TAFEL_RECEIPTS keeps receipts in {target.where}, not in the {to} store; "
            "set TAFEL_RECEIPTS first, so the app reads them from where they are moved to."
        )
    try:  # the store first, also when nothing is to be moved: the administrator's check
        target.check()
    except receipt_store.StoreError as exc:
        raise MoveError(str(exc)) from None
    sources = [FolderStore(data_dir)]
    if target.kind != "database":
        sources.append(DatabaseStore())
    done = Moved(target=target.where)
    for source in sources:
        for name in source.names():
            if is_receipt_name(name):
                _move_one(source, target, name, done)
    return done


def _move_one(source, target, name: str, done: Moved) -> None:
    data = source.get(name)
    if data is None:
        return
    digest = sha256(data)
    present = target.get(name)
    if present is not None and sha256(present) != digest:
        done.differs.append((name, digest))
        return
    if present is None:
        with database.atomic():
            target.put(name, data)
        copied = target.get(name)
        if copied is None or sha256(copied) != digest:
            raise MoveError(
                f"The receipt {name} read back from {target.where} differs from the one in "
                f"{source.where}; the original is kept there."
            )
        done.moved.append((name, digest))
    else:
        done.already_there.append((name, digest))
    with database.atomic():
        source.delete(name)
