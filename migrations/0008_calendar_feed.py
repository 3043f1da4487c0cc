"""A private calendar address per account (issue 12 point 5): only the token's hash is
stored; the row goes with the account (frozen model copies)."""

import datetime

from peewee import CharField, DateTimeField, ForeignKeyField, Model


def up(migrator, db):
    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    class Account(Base):
        class Meta:
            table_name = "account"

    class CalendarFeed(Base):
        account = ForeignKeyField(Account, unique=True, on_delete="CASCADE")
        token_hash = CharField(max_length=64, unique=True)
        created_at = DateTimeField(default=datetime.datetime.utcnow)

        class Meta:
            table_name = "calendar_feed"

    db.create_tables([CalendarFeed])
