"""Kept numbers instead of recounting (issue 13 point 3).

`ledger_total`: the money of each budget line (a post's own entries, `sub` 0, or one
sub-budget's), written in the same transaction as each ledger entry
(models/budget/totals.py). Filled here from the entries already booked, so an existing
database (or a restored older backup) starts with totals equal to its ledger.

`rota_turn`: each project's next turns (models/meetings/stored_rota.py), filled here from
the planned meetings.

`report_version`: the token of the data the 51% report counts; database triggers give it a
new random value in the same transaction as every change the report counts, whatever code
writes it (models/people/representation.py keeps a report per token).
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

# What the 51% report counts (models/people/representation.py): a change to any of these
# columns gives the report's ReportVersion row a new random token, in the same transaction.
COUNTED = (
    ("membership", "INSERT OR DELETE OR UPDATE OF person_id, project_id, layer, step_id, status"),
    ("person", "DELETE OR UPDATE OF client_background"),
    ("role_step", "DELETE OR UPDATE OF category"),
    ("project", "DELETE OR UPDATE OF name"),
)
BUMP = (
    "UPDATE report_version SET token = {token}, changes = changes + 1 WHERE name = 'representation'"
)


def _report_triggers(db):
    """SQLite: a trigger per table and event (FOR EACH ROW, the only kind it has).
    PostgreSQL: one function and a trigger per table, once per statement."""
    if isinstance(db, SqliteDatabase):
        bump = BUMP.format(token="lower(hex(randomblob(16)))")
        for table, events in COUNTED:
            for number, event in enumerate(events.split(" OR ")):
                db.execute_sql(
                    f"CREATE TRIGGER {table}_counted_{number} AFTER {event} ON {table}"
                    f" BEGIN {bump}; END"
                )
        return
    bump = BUMP.format(token="md5(random()::text || clock_timestamp()::text)")
    db.execute_sql(
        "CREATE FUNCTION report_changed() RETURNS trigger LANGUAGE plpgsql AS"
        f" $$ BEGIN {bump}; RETURN NULL; END $$"
    )
    for table, events in COUNTED:
        db.execute_sql(
            f"CREATE TRIGGER {table}_counted AFTER {events} ON {table}"
            " FOR EACH STATEMENT EXECUTE FUNCTION report_changed()"
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
