"""Issue 21, point 2 (docs/rules.md "Proposals between meetings"): a proposal put to the
project outside a meeting closes by itself at its moment (`closes_at`, naive UTC); the
reminders before it closes are claimed by `reminded_hours` (24, then 2), so each is told
once whatever number of workers runs the job."""

from peewee import DateTimeField, IntegerField


def up(migrator, db):
    migrator.migrate(
        migrator.add_column("proposal", "closes_at", DateTimeField(null=True)),
        migrator.add_column("proposal", "reminded_hours", IntegerField(null=True)),
        migrator.add_index("proposal", ("closes_at",), False),
    )
