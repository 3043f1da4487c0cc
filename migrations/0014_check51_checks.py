"""Issue 22, section 1 (docs/rules.md "Asking for a 51% check"): a coordinator who may not count
every answer asks the holders of the privacy right to check a pending membership change; the
ask, its group-level answer, and whether the coordinator went on with it. And the day a person
answered "may the coordinators of your projects know your answer?" (asked once; someone who
shares already chose), and the day a person was shown that their earlier answer is held back
(shown once)."""

import datetime

from peewee import (
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)


def up(migrator, db):
    migrator.migrate(
        migrator.add_column("person", "share_chosen_on", DateField(null=True)),
        migrator.add_column("person", "held_note_on", DateField(null=True)),
    )
    db.execute_sql("UPDATE person SET share_chosen_on = CURRENT_DATE WHERE share_background")

    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    class Person(Base):
        class Meta:
            table_name = "person"

    class Project(Base):
        class Meta:
            table_name = "project"

    class CheckRequest(Base):
        asked_by_account = IntegerField(index=True)
        asked_by = ForeignKeyField(Person, null=True, on_delete="SET NULL")
        project = ForeignKeyField(Project, on_delete="CASCADE")
        kind = CharField(max_length=8)
        target = IntegerField()
        asked = TextField()
        groups = TextField()
        fingerprint = CharField(max_length=64)
        asked_at = DateTimeField(default=datetime.datetime.utcnow, index=True)
        answer = CharField(max_length=8, null=True)
        note = TextField(default="")
        answered_by_account = IntegerField(null=True)
        answered_on = DateField(null=True)
        used_at = DateTimeField(null=True)

        class Meta:
            table_name = "check_request"

    db.create_tables([CheckRequest])
