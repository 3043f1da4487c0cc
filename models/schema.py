"""Bringing the schema up to date with the files in migrations/ (peewee's migration runner),
and the migration toolkit's one step for a table of an organisation's data (issue 24).

A new table that holds an organisation's data needs, in its migration, after it is created:

    from models.schema import organisation_data
    organisation_data(db, "news_item")                       # or, with per-organisation
    organisation_data(db, "news_item", unique=[("slug",)])   # uniqueness of value columns

On SQLite it does nothing (each organisation has its own file); on PostgreSQL it adds the
`organisation_id` column (filled with the first organisation for rows already there; a new
row takes the organisation at hand by default), forces row-level security on and adds the
policy. tests/core/test_federation_guard.py fails for a table that lacks it.
"""

from pathlib import Path

from peewee import SqliteDatabase
from playhouse.migrations import Runner

from models import tenancy
from models.db import build_database, database, role_of

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"

# The organisation at hand inside a PostgreSQL transaction (NULL when none: no row matches).
CURRENT = "tafel_organisation()"

CURRENT_FUNCTION = """
CREATE OR REPLACE FUNCTION tafel_organisation() RETURNS integer
LANGUAGE sql STABLE PARALLEL SAFE AS
$$ SELECT NULLIF(current_setting('tafel.organisation', true), '')::integer $$
"""

# Tables of the installation rather than of one organisation.
NOT_ORGANISATION_DATA = ("organisation", "schema_migration")


def organisation_data(db, table: str, unique=()) -> None:
    """PostgreSQL: make `table` one organisation's data, kept apart by row-level security.

    `unique`: the unique indexes of plain values (a username, a project's name) that must be
    unique per organisation; each is made again with the organisation in front. (A unique
    index holding an id of another row needs nothing: that row is one organisation's.)
    """
    if isinstance(db, SqliteDatabase):
        return
    q = f'"{table}"'
    for statement in (
        CURRENT_FUNCTION,
        f"ALTER TABLE {q} ADD COLUMN organisation_id integer"
        " REFERENCES organisation (id) ON DELETE CASCADE",
        f"UPDATE {q} SET organisation_id = (SELECT min(id) FROM organisation)",
        f"ALTER TABLE {q} ALTER COLUMN organisation_id SET NOT NULL",
        f"ALTER TABLE {q} ALTER COLUMN organisation_id SET DEFAULT {CURRENT}",
        f'CREATE INDEX "{table}_organisation_id" ON {q} (organisation_id)',
        f"ALTER TABLE {q} ENABLE ROW LEVEL SECURITY",
        f"ALTER TABLE {q} FORCE ROW LEVEL SECURITY",
        f'CREATE POLICY "{table}_organisation" ON {q} FOR ALL'
        f" USING (organisation_id = {CURRENT}) WITH CHECK (organisation_id = {CURRENT})",
    ):
        db.execute_sql(statement)
    for columns in unique:
        name = f"{table}_{'_'.join(columns)}"
        cols = ", ".join(f'"{c}"' for c in columns)
        db.execute_sql(f'DROP INDEX IF EXISTS "{name}"')
        db.execute_sql(f'CREATE UNIQUE INDEX "{name}" ON {q} (organisation_id, {cols})')


def migrate(db=None) -> list[str]:
    """Apply every pending migration; returns the names applied.

    SQLite: the installation's file, then each other organisation's own file. PostgreSQL: in
    the database open (or `db`, the owner's: `migrate_as_owner`)."""
    applied = _up(db or database.home)
    if db is None and isinstance(database.home, SqliteDatabase):
        for entry in tenancy.directory.entries(fresh=True)[1:]:
            with tenancy.working_for(entry.id), database.connection_context():
                _up(database.obj)
    return applied


def _up(db) -> list[str]:
    """The runner's `up`, after a look whether anything is pending: an up-to-date database
    needs nothing the app's role may not do (it may not create the history table).

    Several hosts may start together on one PostgreSQL, each migrating as `tafel serve`
    does (issue 25): with something pending they take turns, and each looks again once it is
    its turn, so the first migrates and the others find nothing left. Without the turns the
    second host failed to start ("duplicate key value violates unique constraint"). The turn
    is an advisory lock held by one transaction around all pending migrations (each its own
    savepoint inside it): it holds through PgBouncer in transaction mode, where a session's
    lock would be handed to another client, and it ends with the transaction whatever
    happens; a migration that fails undoes the whole run."""
    if all(m.applied for m in Runner(db, str(MIGRATIONS)).status()):
        return []
    if isinstance(db, SqliteDatabase):  # one host; its file lets one writer in at a time
        applied = Runner(db, str(MIGRATIONS)).up()
    else:
        with db.atomic():
            db.execute_sql("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
            runner = Runner(db, str(MIGRATIONS))
            if all(m.applied for m in runner.status()):
                return []
            applied = runner.up()
    tenancy.directory.forget()
    return applied


# The advisory lock migrations hold on PostgreSQL (any number; the same in every process).
MIGRATION_LOCK = 250_2025


def pending() -> list[str]:
    """Names of migrations not yet applied."""
    return [m.name for m in Runner(database.home, str(MIGRATIONS)).status() if not m.applied]


def migrate_as_owner(owner_url: str, app_role: str) -> list[str]:
    """PostgreSQL with two roles: migrate as the owner, then grant the app's role its use."""
    owner = build_database(owner_url)
    owner.connect()
    try:
        applied = migrate(owner)
        if app_role and app_role != role_of(owner_url):
            grant_to(owner, app_role)
    finally:
        owner.close()
        owner.close_all()
    return applied


def grant_to(db, role: str) -> None:
    """PostgreSQL: let the app's role (which owns nothing and bypasses nothing) read and write
    the tables and use their sequences and functions; row-level security decides which rows."""
    role = role.replace('"', "")
    for statement in (
        f'GRANT USAGE ON SCHEMA public TO "{role}"',
        f'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "{role}"',
        f'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO "{role}"',
        f'GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO "{role}"',
        f'REVOKE INSERT, UPDATE, DELETE ON schema_migration FROM "{role}"',
    ):
        db.execute_sql(statement)
