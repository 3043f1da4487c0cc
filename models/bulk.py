"""Many rows into one table at once (issue 23.5): a ledger file's thousands of entries and
their audit lines. peewee builds an INSERT's SQL text value by value (for 10,000 entries
most of an import's time); here the text of a batch is put together once from the model's
column names and the driver's placeholder, and every value still goes as a parameter,
converted by its field (`db_value`) as peewee would. Column names come from the model,
never from input."""

from __future__ import annotations

from models.db import database

BATCH = 500  # rows per statement: 500 rows of 12 columns, far below SQLite's 32,766 parameters


def insert_rows(model, rows: list[dict], batch: int = BATCH) -> None:
    """INSERT `rows` (dicts of field names) into `model`'s table, `batch` rows a statement;
    a field a row leaves out gets its default, as with peewee's `insert_many`. Call it
    inside the writing transaction."""
    if not rows:
        return
    given = {name for row in rows for name in row}
    fields_of = model._meta.fields
    defaults = {
        name: field.default for name, field in fields_of.items() if field.default is not None
    }
    names = sorted(given) + sorted(set(defaults) - given)
    fields = [fields_of[name] for name in names]
    columns = ", ".join(f'"{field.column_name}"' for field in fields)
    group = "(" + ", ".join([database.param] * len(fields)) + ")"
    head = f'INSERT INTO "{model._meta.table_name}" ({columns}) VALUES '
    converters = [field.db_value for field in fields]

    def value(row: dict, name: str):
        if name in row:
            return row[name]
        default = defaults.get(name)
        return default() if callable(default) else default

    for start in range(0, len(rows), batch):
        chunk = rows[start : start + batch]
        params = [
            convert(value(row, name))
            for row in chunk
            for name, convert in zip(names, converters, strict=True)
        ]
        database.execute_sql(head + ", ".join([group] * len(chunk)), params)
