"""Kept numbers instead of recounting (issue 13 point 3).

`ledger_total`: the money of each budget line (a post's own entries, `sub` 0, or one
sub-budget's), written in the same transaction as each ledger entry
(models/budget/totals.py). Filled here from the entries already booked, so an existing
database (or a restored older backup) starts with totals equal to its ledger.
"""

from peewee import BigIntegerField, ForeignKeyField, IntegerField, Model


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

    db.create_tables([LedgerTotal])
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
