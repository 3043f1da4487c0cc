"""Issue 25, point 1: receipts kept in the database (models/budget/receipt_store.py), the bytes
in one row per receipt, written in the transaction of the claim or ledger line naming it."""

import datetime

from peewee import BlobField, CharField, DateTimeField, IntegerField, Model


def up(migrator, db):
    class ReceiptFile(Model):
        name = CharField(max_length=80, primary_key=True)
        data = BlobField()
        sha256 = CharField(max_length=64)
        size = IntegerField()
        stored_at = DateTimeField(default=datetime.datetime.utcnow)

        class Meta:
            database = db
            table_name = "receipt_file"

    db.create_tables([ReceiptFile])
