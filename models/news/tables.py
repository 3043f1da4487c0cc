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
    # When a push message about it went to the person's phones (models/news/push.py): set in
    # the transaction that claims it, so two workers never send it twice.
    pushed_at = DateTimeField(null=True)

    class Meta:
        indexes = (
            (("person", "key"), True),
            (("person", "created_at"), False),
        )


class PushSubscription(BaseModel):
    """A phone or browser that a person allowed to receive push messages from Tafel (Web
    Push): where to send them (`endpoint`, the push service's address for that browser) and
    the keys that encrypt them for it. The message never says more than "there is news"."""

    person = ForeignKeyField(Person, on_delete="CASCADE", index=True)
    endpoint = CharField(max_length=500, unique=True)
    p256dh = CharField(max_length=200)
    auth = CharField(max_length=100)
    created_at = DateTimeField(default=now)
