"""Every kept 51% count carries the number of its last change (issue 23 point 3: "within
10 ms on every call, also the first after a change").

`report_count.stamp`: set by the database, in the same statement, whenever a count row is
inserted or its number changes, to a number higher than every stamp before it. A process that
keeps the organisation's report (models/people/live_report.py) then reads only the rows
changed since the highest stamp it saw, instead of every count.

Stamps follow the order of the commits: every write to the kept counts first takes the
counts' one lock (SQLite: the database's write lock; PostgreSQL: the advisory lock 5151 of
0015_bench_kept_report, held to the end of the transaction), so a transaction that commits
later holds higher stamps. SQLite: the highest stamp plus one (one row a time, along the
index; after a recount emptied the table they start again, which the process notices:
live_report's fingerprint). PostgreSQL: one sequence for all organisations (each reads only
its own rows, so another's stamps are gaps). Any change of a row but its stamp alone is
stamped, also one written by hand. Rows that exist already keep stamp 0: they are the same
in every copy of the database.
"""

from peewee import SqliteDatabase

LOCK = "5151"  # the kept counts' advisory lock (0015_bench_kept_report)

SQLITE_STAMP = (
    "UPDATE report_count SET stamp = (SELECT COALESCE(MAX(stamp), 0) + 1 FROM report_count)"
    " WHERE id = NEW.id"
)


def up(migrator, db):
    db.execute_sql("ALTER TABLE report_count ADD COLUMN stamp BIGINT NOT NULL DEFAULT 0")
    db.execute_sql("CREATE INDEX report_count_stamp ON report_count (stamp)")
    if isinstance(db, SqliteDatabase):
        # AFTER, as SQLite cannot change NEW; setting the stamp alone fires nothing again.
        for name, event in (
            ("report_count_stamp_insert", "AFTER INSERT"),
            ("report_count_stamp_update", "AFTER UPDATE OF scope, dimension, grp, answer, n"),
        ):
            db.execute_sql(
                f"CREATE TRIGGER {name} {event} ON report_count FOR EACH ROW"
                f" BEGIN {SQLITE_STAMP}; END"
            )
        return
    db.execute_sql("CREATE SEQUENCE report_count_stamp_seq")
    db.execute_sql(
        "CREATE FUNCTION report_count_stamp() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
        f" PERFORM pg_advisory_xact_lock({LOCK});"
        " NEW.stamp := nextval('report_count_stamp_seq'); RETURN NEW; END $$"
    )
    db.execute_sql(
        "CREATE TRIGGER report_count_stamp BEFORE INSERT OR UPDATE ON report_count"
        " FOR EACH ROW EXECUTE FUNCTION report_count_stamp()"
    )
