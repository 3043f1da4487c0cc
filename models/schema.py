"""Bringing the schema up to date with the files in migrations/ (peewee's migration runner)."""

from pathlib import Path

from playhouse.migrations import Runner

from models.db import database

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def migrate() -> list[str]:
    """Apply every pending migration; returns the names applied."""
    return Runner(database.obj, str(MIGRATIONS)).up()


def pending() -> list[str]:
    """Names of migrations not yet applied."""
    return [m.name for m in Runner(database.obj, str(MIGRATIONS)).status() if not m.applied]
