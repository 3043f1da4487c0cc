"""The transparent budget: years, posts, sub-budgets, claims, the ledger, planned changes.

Models here are frozen copies of models/budget.py as it was when this migration was written.
"""

import datetime

from peewee import (
    BigIntegerField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)


def up(migrator, db):
    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    def now():
        return datetime.datetime.now(datetime.UTC).replace(tzinfo=None, microsecond=0)

    class Person(Base):
        class Meta:
            table_name = "person"

    class Project(Base):
        class Meta:
            table_name = "project"

    class BudgetYear(Base):
        year = IntegerField(unique=True)

    class Post(Base):
        year = ForeignKeyField(BudgetYear, on_delete="RESTRICT")
        name = CharField(max_length=120)
        planned_cents = BigIntegerField(default=0)

        class Meta:
            indexes = ((("year", "name"), True),)

    class SubBudget(Base):
        post = ForeignKeyField(Post, on_delete="RESTRICT")
        name = CharField(max_length=120)
        planned_cents = BigIntegerField(default=0)
        project = ForeignKeyField(Project, null=True, on_delete="SET NULL")
        manager = ForeignKeyField(Person, null=True, on_delete="SET NULL", index=True)

        class Meta:
            indexes = ((("post", "name"), True),)

    class Claim(Base):
        claimant = ForeignKeyField(Person, on_delete="RESTRICT", index=True)
        sub_budget = ForeignKeyField(SubBudget, on_delete="RESTRICT")
        kind = CharField(max_length=16)
        km = IntegerField(null=True)
        amount_cents = BigIntegerField()
        spent_on = DateField()
        description = TextField(default="")
        receipt = CharField(max_length=80, null=True)
        status = CharField(max_length=10, default="submitted", index=True)
        reason = TextField(default="")
        decided_by = ForeignKeyField(Person, null=True, on_delete="SET NULL")
        created_at = DateTimeField(default=now)
        decided_at = DateTimeField(null=True)
        paid_by = ForeignKeyField(Person, null=True, on_delete="SET NULL")
        paid_at = DateTimeField(null=True)
        withdrawn_at = DateTimeField(null=True)

    class LedgerEntry(Base):
        date = DateField(index=True)
        post = ForeignKeyField(Post, on_delete="RESTRICT")
        sub_budget = ForeignKeyField(SubBudget, null=True, on_delete="RESTRICT")
        description = TextField(default="")
        amount_cents = BigIntegerField()
        kind = CharField(max_length=14)
        reverses = ForeignKeyField("self", null=True, unique=True, on_delete="RESTRICT")
        booked_by = ForeignKeyField(Person, null=True, on_delete="SET NULL")
        booked_at = DateTimeField(default=now)
        receipt = CharField(max_length=80, null=True)
        claim = ForeignKeyField(Claim, null=True, unique=True, on_delete="RESTRICT")

        class Meta:
            indexes = ((("post", "sub_budget", "kind", "amount_cents"), False),)

    class PlannedChange(Base):
        post = ForeignKeyField(Post, on_delete="RESTRICT")
        sub_budget = ForeignKeyField(SubBudget, null=True, on_delete="RESTRICT")
        old_cents = BigIntegerField()
        new_cents = BigIntegerField()
        decision = TextField(default="")
        proposed_by = ForeignKeyField(Person, null=True, on_delete="SET NULL")
        approved_by = ForeignKeyField(Person, null=True, on_delete="SET NULL")
        status = CharField(max_length=10, default="applied")
        created_at = DateTimeField(default=now)
        applied_at = DateTimeField(null=True)

    class LedgerImport(Base):
        content_hash = CharField(max_length=64, unique=True)
        file_name = CharField(max_length=200, default="")
        entries = IntegerField(default=0)
        imported_at = DateTimeField(default=now)

    db.create_tables([BudgetYear, Post, SubBudget, Claim, LedgerEntry, PlannedChange, LedgerImport])
