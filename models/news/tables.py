"""The news table: one line per person and thing that happened to them."""

from peewee import CharField, DateTimeField, ForeignKeyField, TextField

from models.clock import now
from models.db import BaseModel
from models.person import Person


class NewsItem(BaseModel):
    """Something that happened to one person's request or turn.

    `key` names the event (for example "claim:12:paid"); it is unique per person, so telling
    the same event twice (two workers, a job that runs again after a restart) stores it once.
    `params` is a small JSON object with what the sentence shows (a date, an amount, a
    project's name, an outcome): never a client-background answer, and nothing the person
    could not already see on the page `link` points to.
    """

    person = ForeignKeyField(Person, on_delete="CASCADE")
    kind = CharField(max_length=32)
    key = CharField(max_length=100)
    link = CharField(max_length=200, default="")
    params = TextField(default="{}")
    created_at = DateTimeField(default=now)
    read_at = DateTimeField(null=True)

    class Meta:
        indexes = (
            (("person", "key"), True),
            (("person", "created_at"), False),
        )
