"""A federation on one install (issue 24; docs/federation.md).

The organisation gets the host name it answers on and whether it is suspended. A database
without an organisation gets one (0006 made it; an empty one made later gets it here), so
every install has its first organisation, which is where everything already there belongs.

PostgreSQL: every table of an organisation's data (all but the organisation itself and the
migrations' history) gets `organisation_id`, filled with the first organisation, forced
row-level security and its policy (`models.schema.organisation_data`); the plain values that
were unique in the installation are unique per organisation. The organisation table itself
is readable as the directory (name, host: what the federation shows anyway) and writable
only for the organisation at hand. SQLite: nothing more; each organisation has its own file.
"""

from peewee import BooleanField, CharField, SqliteDatabase

from models.schema import CURRENT, CURRENT_FUNCTION, NOT_ORGANISATION_DATA, organisation_data

# The plain values unique per organisation (frozen as they were at this migration).
UNIQUE = {
    "person": [("display_name",)],
    "project": [("name",)],
    "role_step": [("name",)],
    "report_version": [("name",)],
    "account": [("username",)],
    "login_throttle": [("key",)],
    "budget_year": [("year",)],
    "ledger_import": [("content_hash",), ("rows_hash",)],
}


def up(migrator, db):
    migrator.migrate(
        migrator.add_column("organisation", "host", CharField(max_length=253, null=True)),
        migrator.add_column("organisation", "suspended", BooleanField(default=False)),
        migrator.add_index("organisation", ("host",), True),
    )
    db.execute_sql(
        "INSERT INTO organisation (name, description, km_rate_cents, suspended)"
        " SELECT 'Tafel', '', 23, false WHERE NOT EXISTS (SELECT 1 FROM organisation)"
    )
    if isinstance(db, SqliteDatabase):
        return
    tables = [
        name
        for (name,) in db.execute_sql(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
        ).fetchall()
        if name not in NOT_ORGANISATION_DATA
    ]
    for table in tables:
        organisation_data(db, table, unique=UNIQUE.get(table, ()))
    db.execute_sql(CURRENT_FUNCTION)
    for statement in (
        "ALTER TABLE organisation ENABLE ROW LEVEL SECURITY",
        "ALTER TABLE organisation FORCE ROW LEVEL SECURITY",
        "CREATE POLICY organisation_directory ON organisation FOR SELECT USING (true)",
        f"CREATE POLICY organisation_insert ON organisation FOR INSERT WITH CHECK (id = {CURRENT})",
        f"CREATE POLICY organisation_update ON organisation FOR UPDATE"
        f" USING (id = {CURRENT}) WITH CHECK (id = {CURRENT})",
    ):
        db.execute_sql(statement)
