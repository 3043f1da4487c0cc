"""Database helpers only the tests need (kept out of models/, which production runs)."""

from playhouse.pool import PooledPostgresqlDatabase
from playhouse.schema_diff import diff_models

from models.db import database
from models.registry import MODELS


def schema_differences():
    """What differs between the models and the database's schema (falsy when they agree)."""
    return diff_models(database.obj, MODELS)


def close_all() -> None:
    """Close this thread's connection for good, and with a pool every idle one too (before a
    PostgreSQL database is copied as a template, which needs it unused)."""
    db = database.obj
    if not db.is_closed():
        db.close()
    if isinstance(db, PooledPostgresqlDatabase):
        db.close_idle()
