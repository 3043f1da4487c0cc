"""Where uploaded receipts are kept: in the database (the default) or in an S3-compatible
object store, chosen by one setting, TAFEL_RECEIPTS (docs/deploy.md "Several hosts").

  TAFEL_RECEIPTS=database             (or unset) the table receipt_file holds the bytes
  TAFEL_RECEIPTS=s3://bucket/prefix   an object per receipt; the client reads the usual
                                      AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
                                      AWS_DEFAULT_REGION and AWS_ENDPOINT_URL

In the database a receipt is written in the same transaction as the claim or ledger line that
names it, so a line never points at a receipt that was lost. In an object store the object is
written first, inside that transaction but before its commit: a line never points at a missing
object; at worst an object nobody names is left when the commit fails.

Receipts kept before this (in the data folder's receipts/ folder), or in the other store, are
still read from there until `tafel receipts move` has moved them: `read` looks in the chosen
store, then in the database table, then in the folder. A host writes no receipt to its folder.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from urllib.parse import urlsplit

from peewee import BlobField, CharField, DateTimeField, IntegerField

from models.clock import now
from models.db import BaseModel

RECEIPTS_FOLDER = "receipts"
# What a kept receipt's name looks like: a random hex name and the type's extension. Backups
# hold only such names, so a restore can refuse anything else.
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,70}(\.[A-Za-z0-9]{1,8})?")


def is_receipt_name(name: str) -> bool:
    """True for a plain file name as Tafel gives receipts (no folders, no dots in front)."""
    return NAME.fullmatch(name) is not None


class ReceiptFile(BaseModel):
    """One receipt's bytes, under the name a claim or ledger entry keeps (`receipt`)."""

    name = CharField(max_length=80, primary_key=True)
    data = BlobField()
    sha256 = CharField(max_length=64)
    size = IntegerField()
    stored_at = DateTimeField(default=now)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class StoreError(ValueError):
    """TAFEL_RECEIPTS cannot be used; the message says how to fix it."""


class DatabaseStore:
    """Receipts in the table receipt_file (call `put` inside the line's transaction)."""

    kind = "database"
    where = "the database"

    def put(self, name: str, data: bytes) -> None:
        ReceiptFile.insert(name=name, data=data, sha256=sha256(data), size=len(data)).execute()

    def get(self, name: str) -> bytes | None:
        row = ReceiptFile.select(ReceiptFile.data).where(ReceiptFile.name == name).first()
        return None if row is None else bytes(row.data)

    def names(self) -> list[str]:
        return [
            n for (n,) in ReceiptFile.select(ReceiptFile.name).order_by(ReceiptFile.name).tuples()
        ]

    def delete(self, name: str) -> None:
        ReceiptFile.delete().where(ReceiptFile.name == name).execute()

    def check(self) -> None:
        """The database is always there when a command runs."""


class S3Store:
    """Receipts as objects under `prefix` in an S3 bucket (boto3, AWS_* variables)."""

    kind = "s3"

    def __init__(self, bucket: str, prefix: str = ""):
        self.bucket = bucket
        self.prefix = f"{prefix.strip('/')}/" if prefix.strip("/") else ""
        self.where = f"s3://{bucket}/{self.prefix}"
        self._client = None

    @property
    def client(self):
        if self._client is None:
            import boto3
            from botocore.config import Config

            # Path-style addresses work with every S3-compatible store (MinIO, Garage, Ceph);
            # AWS answers them too.
            config = Config(s3={"addressing_style": "path"}, retries={"mode": "standard"})
            self._client = boto3.client("s3", config=config)
        return self._client

    def put(self, name: str, data: bytes) -> None:
        self.client.put_object(
            Bucket=self.bucket,
            Key=self.prefix + name,
            Body=data,
            Metadata={"sha256": sha256(data)},
        )

    def get(self, name: str) -> bytes | None:
        try:
            answer = self.client.get_object(Bucket=self.bucket, Key=self.prefix + name)
        except self.client.exceptions.NoSuchKey:
            return None
        return answer["Body"].read()

    def names(self) -> list[str]:
        found = []
        pages = self.client.get_paginator("list_objects_v2")
        for page in pages.paginate(Bucket=self.bucket, Prefix=self.prefix):
            found += [item["Key"][len(self.prefix) :] for item in page.get("Contents", [])]
        return sorted(n for n in found if "/" not in n)

    def delete(self, name: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self.prefix + name)

    def check(self) -> None:
        """StoreError when the bucket cannot be listed (not there, no right, a wrong address
        or key), found with one small request; the message names the store and the error."""
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            self.client.list_objects_v2(Bucket=self.bucket, Prefix=self.prefix, MaxKeys=1)
        except ClientError as exc:
            error = exc.response.get("Error", {})
            reason = f"{error.get('Message') or 'refused'} ({error.get('Code', 'no code')})"
        except BotoCoreError as exc:
            reason = str(exc)
        else:
            return
        raise StoreError(
            f"The object store {self.where} cannot be used: {reason}. Make the bucket first, "
            "and check TAFEL_RECEIPTS, AWS_ENDPOINT_URL and the key's rights."
        )


class FolderStore:
    """The data folder's receipts/ folder, where receipts were kept before: read and emptied
    by `tafel receipts move`, never written by a host."""

    kind = "folder"

    def __init__(self, data_dir: Path):
        self.folder = Path(data_dir) / RECEIPTS_FOLDER
        self.where = str(self.folder)

    def get(self, name: str) -> bytes | None:
        path = self.folder / Path(name).name
        return path.read_bytes() if path.is_file() else None

    def names(self) -> list[str]:
        if not self.folder.is_dir():
            return []
        return sorted(
            p.name for p in self.folder.iterdir() if p.is_file() and is_receipt_name(p.name)
        )

    def delete(self, name: str) -> None:
        (self.folder / Path(name).name).unlink(missing_ok=True)


def parse(setting: str | None):
    """The store TAFEL_RECEIPTS names; StoreError with a plain sentence for anything else."""
    value = (setting or "").strip()
    if value in ("", "database"):
        return DatabaseStore()
    parts = urlsplit(value)
    if parts.scheme == "s3" and parts.netloc and not parts.query and not parts.fragment:
        return S3Store(parts.netloc, parts.path)
    raise StoreError(
        f"TAFEL_RECEIPTS must be database or s3://bucket (with an optional /prefix), not {value!r}."
    )


class _Chosen:
    store = DatabaseStore()
    folder: FolderStore | None = None


def use(setting: str | None, data_dir: Path | None = None):
    """Keep receipts where TAFEL_RECEIPTS says from now on (the app and every command call
    this once at start); receipts still in `data_dir`'s receipts/ folder stay readable."""
    _Chosen.store = parse(setting)
    _Chosen.folder = FolderStore(data_dir) if data_dir is not None else None
    return _Chosen.store


def chosen():
    """The store new receipts go into."""
    return _Chosen.store


def old_folder() -> FolderStore | None:
    """The data folder's receipts/ folder, when one is known."""
    return _Chosen.folder


def put(name: str, data: bytes) -> None:
    """Keep a new receipt in the chosen store (inside the transaction of its line)."""
    _Chosen.store.put(name, data)


def read(name: str) -> bytes | None:
    """A receipt's bytes: from the chosen store, else from where receipts were kept before
    (the database table, the data folder) until they are moved; None when it is nowhere."""
    data = _Chosen.store.get(name)
    if data is None and _Chosen.store.kind != "database":
        data = DatabaseStore().get(name)
    if data is None and _Chosen.folder is not None:
        data = _Chosen.folder.get(name)
    return data
