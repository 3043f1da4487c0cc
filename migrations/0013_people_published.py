"""Issue 19 (findings H2 and M1), docs/rules.md "Published figures that cannot be steered" and
"Coordinators of a person are current ones":

- a membership keeps the state the published 51% figures count until its last change has
  settled (prior layer, step and status, and the day it settles; NULL: settled, which every
  membership already in the database is);
- a person's choice to share their answer with the coordinators of their projects keeps its
  moment (those coordinating then are the ones chosen; a choice made before this migration
  counts from now);
- the edge watch: each change by one account that moved a group across its 51% edge, and each
  later change to that group by the same account (the alert for the privacy right).
"""

import datetime

from peewee import (
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
)


def up(migrator, db):
    migrator.migrate(
        migrator.add_column("membership", "prior_layer", CharField(max_length=12, null=True)),
        migrator.add_column("membership", "prior_step", IntegerField(null=True)),
        migrator.add_column("membership", "prior_status", CharField(max_length=8, null=True)),
        migrator.add_column("membership", "settles_on", DateField(null=True)),
        migrator.add_column("person", "background_shared_at", DateTimeField(null=True)),
    )
    db.execute_sql(
        "UPDATE person SET background_shared_at = CURRENT_TIMESTAMP WHERE share_background"
    )

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

    class EdgeEvent(Base):
        account_id = IntegerField(null=True, index=True)
        person = ForeignKeyField(Person, null=True, on_delete="SET NULL")
        project = ForeignKeyField(Project, null=True, on_delete="CASCADE")
        scope = CharField(max_length=120)
        dimension = CharField(max_length=8)
        grp = CharField(max_length=12)
        crossed = BooleanField(default=False)
        alert = BooleanField(default=False)
        at = DateTimeField(default=datetime.datetime.utcnow, index=True)

        class Meta:
            table_name = "edge_event"

    db.create_tables([EdgeEvent])
