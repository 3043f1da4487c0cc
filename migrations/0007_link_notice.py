"""A link is not a key to someone's health data (issue 11 point 2).

`account.background_held`: the account was opened, or its password chosen, through a link
made by someone without the privacy right; its client-background answer stays hidden from
the account until the person gives their answer themselves.
`access_link.notice_seen_at`: when the person was told, at a login, that the link was made
for them (and by whom); empty until then.
"""

from peewee import BooleanField, DateTimeField


def up(migrator, db):
    migrator.migrate(
        migrator.add_column("account", "background_held", BooleanField(default=False)),
        migrator.add_column("access_link", "notice_seen_at", DateTimeField(null=True)),
    )
