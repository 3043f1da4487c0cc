"""Removing someone without an account (issue 12 point 8): a coordinator starts it with a
reason, a second coordinator confirms or anyone with the right cancels it (frozen model
copies)."""

import datetime

from peewee import CharField, DateTimeField, ForeignKeyField, Model, TextField


def up(migrator, db):
    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    class Person(Base):
        class Meta:
            table_name = "person"

    class Account(Base):
        class Meta:
            table_name = "account"

    class RemovalRequest(Base):
        person = ForeignKeyField(Person, on_delete="CASCADE")
        started_by = ForeignKeyField(Account, null=True, backref="+", on_delete="SET NULL")
        reason = TextField(default="")
        started_at = DateTimeField(default=datetime.datetime.utcnow)
        state = CharField(max_length=10, default="open", index=True)
        closed_by = ForeignKeyField(Account, null=True, backref="+", on_delete="SET NULL")
        closed_at = DateTimeField(null=True)

        class Meta:
            table_name = "removal_request"

    db.create_tables([RemovalRequest])
