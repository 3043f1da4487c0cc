"""Issue 21 point 1 (docs/rules.md "Moving, cancelling and adding meetings"): a meeting can be
moved (its calendar SEQUENCE goes up, the date it had is kept), cancelled with a reason (the
state "cancelled" needs ten characters), and a notice can be written by Tafel itself, with a
kind and the values its one line shows (shown in the reader's language)."""

from peewee import PostgresqlDatabase


def up(migrator, db):
    # Plain ALTER TABLE: peewee's SQLite migrator makes a NOT NULL column by copying the table.
    db.execute_sql('ALTER TABLE meeting ADD COLUMN "sequence" INTEGER NOT NULL DEFAULT 0')
    db.execute_sql("ALTER TABLE meeting ADD COLUMN \"cancel_reason\" TEXT NOT NULL DEFAULT ''")
    db.execute_sql('ALTER TABLE meeting ADD COLUMN "moved_from" DATE')
    db.execute_sql('ALTER TABLE announcement ADD COLUMN "kind" VARCHAR(32)')
    db.execute_sql("ALTER TABLE announcement ADD COLUMN \"params\" TEXT NOT NULL DEFAULT ''")
    if isinstance(db, PostgresqlDatabase):  # SQLite does not hold a VARCHAR to its length
        db.execute_sql('ALTER TABLE meeting ALTER COLUMN "state" TYPE VARCHAR(10)')
