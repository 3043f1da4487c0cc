"""Kept numbers instead of recounting (issue 13 point 3).

`ledger_total`: the money of each budget line (a post's own entries, `sub` 0, or one
sub-budget's), written in the same transaction as each ledger entry
(models/budget/totals.py). Filled here from the entries already booked, so an existing
database (or a restored older backup) starts with totals equal to its ledger.

`rota_turn`: each project's next turns (models/meetings/stored_rota.py), filled here from
the planned meetings.

`report_version`: the token of the data the 51% report counts; database triggers give it a
new random value in the same transaction as every change the report counts, whatever code
writes it (models/people/representation.py keeps a report per token). Only a real change of
a counted column fires them, and on PostgreSQL they run at the commit (`_report_triggers`).
"""

import secrets

from peewee import (
    BigIntegerField,
    CharField,
    DateField,
    ForeignKeyField,
    IntegerField,
    Model,
    SqliteDatabase,
)

# What the 51% report counts (models/people/representation.py): a real change to any of these
# columns gives the report's ReportVersion row a new random token, in the same transaction.
# (table, whether a new row counts, the counted columns). A deleted row always counts; a new
# person, project or step counts only once a membership names it (a membership insert).
COUNTED = (
    ("membership", True, ("person_id", "project_id", "layer", "step_id", "status")),
    ("person", False, ("client_background",)),
    ("role_step", False, ("category",)),
    ("project", False, ("name",)),
)
BUMP = (
    "UPDATE report_version SET token = {token}, changes = changes + 1 WHERE name = 'representation'"
)
# PostgreSQL: the bump runs once per transaction (the first of its deferred row triggers;
# the setting is local to the transaction), so a bulk write of many rows updates the one
# report_version row once, not once per row.
PG_FUNCTION = (
    "CREATE FUNCTION report_changed() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
    " IF current_setting('tafel.report_changed', true) IS DISTINCT FROM 'yes' THEN"
    " PERFORM set_config('tafel.report_changed', 'yes', true); {bump}; END IF;"
    " RETURN NULL; END $$"
)


def _report_triggers(db):
    """Row triggers: an insert or delete of a counted row, and an update that really changes
    a counted column (`WHEN`: peewee's save() writes every column, so `UPDATE OF` alone would
    also fire on saving a goal, an opt-in or a description).

    SQLite: the bump runs in the statement (SQLite has one writer at a time, no row locks).
    PostgreSQL: constraint triggers deferred to the commit, so the report_version row is the
    last row a transaction locks, and only for the moment of its commit. Taken at the
    statement instead, it would be held until the commit while the transaction goes on to
    lock other rows (store_rota locks the project's row after a membership change; a project
    edit locks its row and then report_version): two such transactions deadlock, and the
    report_version row would make every counted write wait for the slowest open one."""
    sqlite = isinstance(db, SqliteDatabase)
    if sqlite:
        bump = BUMP.format(token="lower(hex(randomblob(16)))")
    else:
        bump = BUMP.format(token="md5(random()::text || clock_timestamp()::text)")
        db.execute_sql(PG_FUNCTION.format(bump=bump))
    for table, insert_counts, columns in COUNTED:
        events = [("delete", "DELETE", None)]
        if insert_counts:
            events.append(("insert", "INSERT", None))
        changed = " OR ".join(
            f"OLD.{c} IS NOT NEW.{c}" if sqlite else f"OLD.{c} IS DISTINCT FROM NEW.{c}"
            for c in columns
        )
        events.append(("update", f"UPDATE OF {', '.join(columns)}", changed))
        for suffix, event, when in events:
            name = f"{table}_counted_{suffix}"
            condition = f" WHEN ({when})" if when else ""
            if sqlite:
                db.execute_sql(
                    f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW{condition}"
                    f" BEGIN {bump}; END"
                )
            else:
                db.execute_sql(
                    f"CREATE CONSTRAINT TRIGGER {name} AFTER {event} ON {table}"
                    f" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW{condition}"
                    " EXECUTE FUNCTION report_changed()"
                )


def up(migrator, db):
    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    class Post(Base):
        class Meta:
            table_name = "post"

    class LedgerTotal(Base):
        post = ForeignKeyField(Post, on_delete="RESTRICT")
        sub = BigIntegerField(default=0)
        spent_cents = BigIntegerField(default=0)
        received_cents = BigIntegerField(default=0)
        entries = IntegerField(default=0)

        class Meta:
            indexes = ((("post", "sub"), True),)

    class ReportVersion(Base):
        name = CharField(max_length=40, unique=True)
        token = CharField(max_length=40)
        changes = IntegerField(default=0)

    class Person(Base):
        class Meta:
            table_name = "person"

    class Project(Base):
        class Meta:
            table_name = "project"

    class Meeting(Base):
        class Meta:
            table_name = "meeting"

    class RotaTurn(Base):
        project = ForeignKeyField(Project, on_delete="CASCADE")
        position = IntegerField()
        meeting = ForeignKeyField(Meeting, on_delete="CASCADE")
        date = DateField()
        chair = ForeignKeyField(Person, null=True, on_delete="SET NULL")
        chair_duo = ForeignKeyField(Person, null=True, on_delete="SET NULL")
        minute_taker = ForeignKeyField(Person, null=True, on_delete="SET NULL")

        class Meta:
            indexes = ((("project", "position"), True),)

    db.create_tables([LedgerTotal, ReportVersion, RotaTurn])
    # Each project's first ROTA_AHEAD (6) planned meetings, as models/meetings/stored_rota.py
    # stores them.
    db.execute_sql(
        'INSERT INTO rota_turn (project_id, "position", meeting_id, "date", chair_id,'
        " chair_duo_id, minute_taker_id)"
        ' SELECT project_id, n - 1, id, "date", chair_id, chair_duo_id, minute_taker_id FROM ('
        '  SELECT id, project_id, "date", chair_id, chair_duo_id, minute_taker_id,'
        '   ROW_NUMBER() OVER (PARTITION BY project_id ORDER BY "date", id) AS n'
        "  FROM meeting WHERE state = 'planned') AS coming"
        " WHERE n <= 6"
    )
    ReportVersion.create(name="representation", token=secrets.token_hex(16))
    _report_triggers(db)
    # The signs of models/budget/tables.py: income and corrections of income are received;
    # spending, reimbursements and their corrections are spent (kept positive).
    db.execute_sql(
        "INSERT INTO ledger_total (post_id, sub, spent_cents, received_cents, entries)"
        " SELECT post_id, COALESCE(sub_budget_id, 0),"
        "  -COALESCE(SUM(CASE WHEN kind IN ('spending', 'reimbursement')"
        "   OR (kind = 'reversal' AND amount_cents > 0) THEN amount_cents ELSE 0 END), 0),"
        "  COALESCE(SUM(CASE WHEN kind = 'income'"
        "   OR (kind = 'reversal' AND amount_cents < 0) THEN amount_cents ELSE 0 END), 0),"
        "  COUNT(*)"
        " FROM ledger_entry GROUP BY post_id, COALESCE(sub_budget_id, 0)"
    )
