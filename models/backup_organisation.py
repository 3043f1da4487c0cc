"""One organisation of a PostgreSQL federation written out as a SQLite database (issue 24.5:
leaving is possible). `tafel --org HOST backup FILE` puts it in an ordinary backup archive of
kind "sqlite", so `tafel restore FILE` on a SQLite install gives that organisation alone, as
a working single-organisation install.

The rows are read through the app's own connection with the organisation set, so row-level
security hands over that organisation's rows and no other's; the SQLite file is made by the
migrations (the same schema), emptied, and filled table by table with the same ids.
"""

from pathlib import Path

from peewee import SqliteDatabase

from models import schema, tenancy
from models.organisation import Organisation
from models.people.kept_counts import ReportCount, ReportPerson
from models.registry import MODELS

# Kept by the database's own triggers as the rows they count are copied (the 51% counts):
# copying them as well would count everything twice.
KEPT_BY_TRIGGERS = (ReportCount, ReportPerson)

BATCH = 500


def export_organisation(target: Path) -> None:
    """Write the organisation at hand to a new SQLite file at `target`."""
    organisation = tenancy.current_id()
    out = SqliteDatabase(str(target), pragmas={"foreign_keys": 0})
    out.connect()
    try:
        schema.migrate(out)
        with out.atomic():
            for model in reversed(MODELS):
                out.execute(model.delete())
        for model in MODELS:
            if model in KEPT_BY_TRIGGERS:
                continue
            query = model.select()
            if model is Organisation:
                query = query.where(Organisation.id == organisation)
            rows = list(query.order_by(model._meta.primary_key).dicts())
            with out.atomic(), out.bind_ctx([model], bind_refs=False, bind_backrefs=False):
                for start in range(0, len(rows), BATCH):
                    model.insert_many(rows[start : start + BATCH]).execute()
        out.execute_sql("PRAGMA foreign_keys = ON")
        problems = out.execute_sql("PRAGMA foreign_key_check").fetchall()
        if problems:
            raise ValueError(f"the copy points at rows it does not hold: {problems[:3]}")
    finally:
        out.close()
