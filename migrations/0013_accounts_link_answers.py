"""Issue 19: the person answers each link notice ("I used it myself" / "this was not me"),
and a new-password link for an account that holds a power waits for a second person with
the admin right before it works (models/accounts/links.py)."""

from peewee import BooleanField, CharField, ForeignKeyField, Model


class Account(Model):
    """A frozen stand-in for the account table (only its id is pointed at)."""

    class Meta:
        table_name = "account"


def up(migrator, db):
    migrator.migrate(
        migrator.add_column("access_link", "answer", CharField(max_length=8, null=True)),
        migrator.add_column("access_link", "needs_approval", BooleanField(default=False)),
        migrator.add_column(
            "access_link",
            "approved_by_id",
            ForeignKeyField(Account, field=Account.id, null=True, on_delete="SET NULL"),
        ),
    )
