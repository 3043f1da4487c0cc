"""Issue 21.5, a quiet concern (docs/rules.md "A quiet concern"): the concerns passed on to
the trusted persons (nothing in them says who raised one: the day only, no author), and the
signals that answer one "via a trusted person". The trusted person's right is a grant like
any other (`grant.right = 'trusted'`), so it needs no column."""

from peewee import BooleanField, CharField, DateField, ForeignKeyField, Model, TextField


def up(migrator, db):
    migrator.migrate(
        migrator.add_column("signal", "via_trusted", BooleanField(default=False)),
    )

    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    class Project(Base):
        class Meta:
            table_name = "project"

    class AgendaItem(Base):
        class Meta:
            table_name = "agenda_item"

    class Signal(Base):
        class Meta:
            table_name = "signal"

    class Concern(Base):
        project = ForeignKeyField(Project, null=True, on_delete="CASCADE")
        text = TextField()
        received_on = DateField()
        state = CharField(max_length=10, default="waiting")
        reading_hash = CharField(max_length=64, unique=True, null=True)
        agenda_item = ForeignKeyField(AgendaItem, null=True, on_delete="SET NULL")
        signal = ForeignKeyField(Signal, null=True, on_delete="SET NULL")
        handled_on = DateField(null=True)

        class Meta:
            table_name = "concern"
            indexes = ((("project", "received_on"), False),)

    db.create_tables([Concern])
