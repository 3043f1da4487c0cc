"""Issue 19 (finding H2, by answers): an answer recorded by someone other than the person (a
coordinator's form, members.csv) settles before the published 51% figures count it, as a
membership change does: the answer they counted before (`prior_background`) and the day it
settles (`background_settles_on`; NULL: settled, which every answer already stored is)."""

from peewee import CharField, DateField


def up(migrator, db):
    migrator.migrate(
        migrator.add_column("person", "prior_background", CharField(max_length=8, null=True)),
        migrator.add_column("person", "background_settles_on", DateField(null=True)),
    )
