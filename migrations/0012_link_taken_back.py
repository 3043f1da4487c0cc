"""Issue 19: an account opened or reset through someone else's link counts as that person
for every four-eyes rule until its owner takes it back (models/accounts/trust.py)."""

from peewee import DateTimeField


def up(migrator, db):
    migrator.migrate(migrator.add_column("access_link", "taken_back_at", DateTimeField(null=True)))
