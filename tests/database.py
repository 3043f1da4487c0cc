"""Database helpers only the tests need (kept out of models/, which production runs)."""

from playhouse.pool import PooledPostgresqlDatabase
from playhouse.schema_diff import SchemaDiff, diff_models

from models.db import database
from models.registry import MODELS

ORGANISATION = "organisation_id"


def schema_differences():
    """What differs between the models and the database's schema (falsy when they agree).

    PostgreSQL's `organisation_id` is the database's, not the models' (issue 24: a new row
    takes the organisation at hand by default, row-level security filters by it): the
    column, its index, and a unique index with it in front of the model's columns agree."""
    diff = diff_models(database.obj, MODELS)
    org_unique = {
        (index.table, tuple(index.columns[1:]))
        for index in diff.drop_indexes
        if index.columns and index.columns[0] == ORGANISATION and index.unique
    }
    return SchemaDiff(
        diff.create_tables,
        diff.add_columns,
        [(table, column) for table, column in diff.drop_columns if column != ORGANISATION],
        [
            index
            for index in diff.add_indexes
            if not (index.unique and (index.table, tuple(index.columns or ())) in org_unique)
        ],
        [i for i in diff.drop_indexes if not (i.columns and i.columns[0] == ORGANISATION)],
    )


def close_all() -> None:
    """Close this thread's connection for good, and with a pool every idle one too (before a
    PostgreSQL database is copied as a template, which needs it unused)."""
    for db in database.all_opened():  # every organisation's file on SQLite
        if not db.is_closed():
            db.close()
        if isinstance(db, PooledPostgresqlDatabase):
            db.close_idle()
