"""The tables made beside the federation (issue 24) become organisation data too.

Migrations of one day sort by name, so three tables were created after
0015_federation_tenancy had made every table one organisation's data: the news lines, the
phones that get messages and the receipts kept in the database. On PostgreSQL they get their
organisation, forced row-level security and its policy here, like every other table.

The kept 51% counts (0015_bench_kept_report) were made before and got their organisation
then, but their counts for the whole organisation (scope 0) are keyed by values that repeat
between organisations (a layer's name, a role's category): their unique key, and the
triggers' ON CONFLICT that adds to a count, now include the organisation, so each
organisation adds to its own count (the row of another is out of sight under row-level
security, and adding to it would be refused). SQLite: nothing (a file per organisation).
"""

from peewee import SqliteDatabase

from models.schema import organisation_data

NEW_TABLES = ("news_item", "push_subscription", "receipt_file")
OLD_TARGET = "ON CONFLICT (scope, dimension, grp, answer)"
NEW_TARGET = "ON CONFLICT (organisation_id, scope, dimension, grp, answer)"


def up(migrator, db):
    if isinstance(db, SqliteDatabase):
        return
    for table in NEW_TABLES:
        organisation_data(db, table)
    for (index,) in db.execute_sql(
        "SELECT indexname FROM pg_indexes WHERE tablename = 'report_count' AND indexdef LIKE %s",
        ("CREATE UNIQUE INDEX%(scope, dimension, grp, answer)",),
    ).fetchall():
        db.execute_sql(f'DROP INDEX "{index}"')
    db.execute_sql(
        "CREATE UNIQUE INDEX report_count_organisation_scope ON report_count"
        " (organisation_id, scope, dimension, grp, answer)"
    )
    functions = db.execute_sql(
        "SELECT p.oid, pg_get_functiondef(p.oid) FROM pg_proc p"
        " JOIN pg_namespace n ON n.oid = p.pronamespace"
        " WHERE n.nspname = current_schema() AND p.prosrc LIKE %s",
        (f"%{OLD_TARGET}%",),
    ).fetchall()
    for _oid, definition in functions:
        db.execute_sql(definition.replace(OLD_TARGET, NEW_TARGET))
