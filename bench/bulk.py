"""Writing the bench's rows in bulk without passing what the app keeps (bench/build.py)."""

from __future__ import annotations

from models.budget.totals import add_entries
from models.db import database, is_sqlite
from models.registry import MODELS

# Years of history the bench makes (meetings, budgets, memberships, audit lines).
YEARS = 6


class Writer:
    """insert_many in chunks (SQLite takes at most 32,766 variables per statement) for the
    tables nothing is kept from; the ledger goes through the app's `add_entries`."""

    def __init__(self):
        self.rows = 0

    def write(self, model, fields, rows) -> None:
        size = max(1, 30_000 // len(fields))
        for start in range(0, len(rows), size):
            model.insert_many(rows[start : start + size], fields=fields).execute()
        self.rows += len(rows)

    def ledger(self, fields, rows) -> None:
        """Ledger entries through the app's batch writer, which keeps each line's total."""
        names = [f.name for f in fields]
        add_entries([dict(zip(names, row, strict=True)) for row in rows])
        self.rows += len(rows)


def advance_sequences() -> None:
    """PostgreSQL: set each table's id sequence to its highest id, so the app's next insert
    gets a free id after rows written here with ids of their own (SQLite needs nothing: its
    next rowid follows the highest)."""
    if is_sqlite():
        return
    for model in MODELS:
        table = model._meta.table_name
        if model._meta.primary_key is None or model._meta.primary_key.name != "id":
            continue
        # Quoted: some table names are SQL words ("grant").
        quoted = f'"{table}"'
        database.execute_sql(
            f"SELECT setval(pg_get_serial_sequence('{quoted}', 'id'),"
            f" COALESCE(MAX(id), 1), MAX(id) IS NOT NULL) FROM {quoted}"
        )


def next_id(model) -> int:
    return (model.select(model.id).order_by(model.id.desc()).scalar() or 0) + 1
