"""Minutes that keep up with the meeting (issue 12 point 2).

`minutes_item`: the minute-taker's notes per agenda item (one row per minutes and item).
`minutes.approved_facts`: the facts (attendance, decisions, actions, the notes per item) as
they stood when the minutes were approved, as JSON; empty for minutes not approved yet.
Minutes approved before this migration keep an empty copy: their text already held what was
typed then, and their pages show the records as they are (models/meetings/minutes_facts.py).
"""

from peewee import ForeignKeyField, Model, TextField


def up(migrator, db):
    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    class Minutes(Base):
        class Meta:
            table_name = "minutes"

    class AgendaItem(Base):
        class Meta:
            table_name = "agenda_item"

    class MinutesItem(Base):
        minutes = ForeignKeyField(Minutes, on_delete="CASCADE")
        agenda_item = ForeignKeyField(AgendaItem, on_delete="CASCADE")
        text = TextField(default="")

        class Meta:
            table_name = "minutes_item"
            indexes = ((("minutes", "agenda_item"), True),)

    migrator.migrate(migrator.add_column("minutes", "approved_facts", TextField(default="")))
    db.create_tables([MinutesItem])
