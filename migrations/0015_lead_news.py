"""Issue 21: news for a person about their own requests and turns (models/news)."""

import datetime

from peewee import CharField, DateTimeField, ForeignKeyField, Model, TextField


def up(migrator, db):
    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    class Person(Base):
        class Meta:
            table_name = "person"

    class NewsItem(Base):
        person = ForeignKeyField(Person, on_delete="CASCADE")
        kind = CharField(max_length=32)
        key = CharField(max_length=100)
        link = CharField(max_length=200, default="")
        params = TextField(default="{}")
        created_at = DateTimeField(default=datetime.datetime.utcnow)
        read_at = DateTimeField(null=True)

        class Meta:
            table_name = "news_item"
            indexes = (
                (("person", "key"), True),
                (("person", "created_at"), False),
            )

    db.create_tables([NewsItem])
