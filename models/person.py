"""A person: a display name (may be a pseudonym), what they choose to share, their goals."""

from peewee import BooleanField, CharField, DateField, DateTimeField, ForeignKeyField, TextField

from models.clock import now
from models.db import BaseModel
from models.words import FORMER_MEMBER

BACKGROUND_ANSWERS = ("yes", "no", "not_said")


class Person(BaseModel):
    """Someone taking part. No address, birth date or email is ever required."""

    # NULL after removal: the person's history stays as "former member".
    display_name = CharField(max_length=80, unique=True, null=True)
    contact = TextField(default="")
    # Health data (PRODUCT.md "Client background"): only the person and holders of the
    # privacy right ever see an individual answer.
    client_background = CharField(max_length=8, default="not_said")
    background_consent_on = DateField(null=True)
    background_recorded_by = ForeignKeyField("self", null=True, on_delete="SET NULL")
    wants_paid_work = BooleanField(default=False)
    dream = TextField(default="")
    learn = TextField(default="")
    removal_requested_at = DateTimeField(null=True)
    erased_at = DateTimeField(null=True)
    created_at = DateTimeField(default=now)

    @property
    def shown_name(self) -> str:
        """The name to show: the display name, or "former member" once erased."""
        return self.display_name or FORMER_MEMBER

    @property
    def is_former(self) -> bool:
        """True once the person's identity was erased."""
        return self.erased_at is not None
