"""Issue 21, point 4: news reaches a phone. The phones (browsers) a person allowed to get push
messages, and when each news line was pushed (claimed once, whatever runs the job)."""

import datetime

from peewee import CharField, DateTimeField, ForeignKeyField, Model


def up(migrator, db):
    migrator.migrate(migrator.add_column("news_item", "pushed_at", DateTimeField(null=True)))

    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    class Person(Base):
        class Meta:
            table_name = "person"

    class PushSubscription(Base):
        person = ForeignKeyField(Person, on_delete="CASCADE", index=True)
        endpoint = CharField(max_length=500, unique=True)
        p256dh = CharField(max_length=200)
        auth = CharField(max_length=100)
        created_at = DateTimeField(default=datetime.datetime.utcnow)

        class Meta:
            table_name = "push_subscription"

    db.create_tables([PushSubscription])
