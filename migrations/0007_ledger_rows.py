"""A ledger import remembers the hash of its rows as read, besides the hash of its text.

The same rows saved again by a spreadsheet (semicolons, a decimal comma, a BOM, another
date format) have another text, and were booked a second time. Imports made before this
migration have no rows hash (their files are not kept); their text hash still refuses the
same file.
"""

from peewee import CharField


def up(migrator, db):
    migrator.migrate(
        migrator.add_column("ledger_import", "rows_hash", CharField(max_length=64, null=True)),
        migrator.add_index("ledger_import", ("rows_hash",), True),
    )
