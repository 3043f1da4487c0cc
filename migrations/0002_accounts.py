"""Accounts: login throttling and one-time invite and reset links (frozen model copies)."""

import datetime

from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField, Model


def up(migrator, db):
    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    now = datetime.datetime.utcnow

    class Person(Base):
        class Meta:
            table_name = "person"

    class Account(Base):
        class Meta:
            table_name = "account"

    class LoginThrottle(Base):
        key = CharField(max_length=120, unique=True)
        failures = IntegerField(default=0)
        last_failure_at = DateTimeField(default=now)
        locked_until = DateTimeField(null=True)

    class AccessLink(Base):
        token_hash = CharField(max_length=64, unique=True)
        kind = CharField(max_length=8)
        person = ForeignKeyField(Person, on_delete="CASCADE")
        created_by = ForeignKeyField(Account, null=True, on_delete="SET NULL")
        created_at = DateTimeField(default=now)
        expires_at = DateTimeField()
        used_at = DateTimeField(null=True)
        rights = CharField(max_length=60, default="")

    db.create_tables([LoginThrottle, AccessLink])
