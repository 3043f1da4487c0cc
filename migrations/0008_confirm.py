"""Confirming a provisional decision at the next meeting (issue 12 point 1).

`proposal.first_version`: the id of a proposal's first version, so a new round opened on the
next meeting's agenda keeps the history; filled in for the amendments made so far (the first
proposal on their agenda item, which is how their history was found until now).
`proposal.confirmed_on`, `proposal.confirmed_in`: the date and the meeting where a
provisional decision was confirmed (its outcome becomes "confirmed").
"""

from peewee import DateField, ForeignKeyField, IntegerField, Model


class Meeting(Model):
    class Meta:
        table_name = "meeting"


def up(migrator, db):
    migrator.migrate(
        migrator.add_column("proposal", "first_version", IntegerField(null=True)),
        migrator.add_index("proposal", ("first_version",), False),
        migrator.add_column("proposal", "confirmed_on", DateField(null=True)),
        migrator.add_column(
            "proposal",
            "confirmed_in_id",
            ForeignKeyField(Meeting, null=True, field=Meeting.id, on_delete="SET NULL"),
        ),
    )
    db.execute_sql(
        "UPDATE proposal SET first_version = ("
        " SELECT MIN(p.id) FROM proposal p WHERE p.agenda_item_id = proposal.agenda_item_id)"
        " WHERE previous_id IS NOT NULL"
    )
