"""A person: a display name (may be a pseudonym), what they choose to share, their goals.

The people area's table that every area points to (core's notices, accounts, the audit log,
meetings, budget). It stays in this module, outside models/people/, because core's
`Announcement` points to it while models/people/tables.py points to core's `Project`: inside
the package the two would import each other. models.people re-exports it.
"""

from peewee import (
    OP,
    SQL,
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    Expression,
    ForeignKeyField,
    NodeList,
    TextField,
)

from models.clock import now
from models.db import BaseModel, lowered
from models.words import FORMER_MEMBER

BACKGROUND_ANSWERS = ("yes", "no", "not_said")
SEARCH_LIMIT = 20  # a person picker shows at most this many names (issue 13)


def holds(column, text: str):
    """The condition "`column` holds `text`" (any case: peewee's ILIKE is LIKE on SQLite),
    its wildcards escaped (SQLite has no escape character by default)."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return Expression(column, OP.ILIKE, NodeList((f"%{escaped}%", SQL("ESCAPE '\\'"))))


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
    # The published 51% figures (models/people/representation.py): an answer recorded by
    # someone else (a coordinator, members.csv) counts there only once it settled; until
    # `background_settles_on` the answer before it (`prior_background`) counts (issue 19, H2
    # by answers). NULL: settled. Health data like the answer: erased with it.
    prior_background = CharField(max_length=8, null=True)
    background_settles_on = DateField(null=True, index=True)
    # Whom the person lets know their answer besides the privacy right: False (the default)
    # "only the privacy officer", True "also the coordinators of my projects".
    share_background = BooleanField(default=False)
    # When the person chose "also the coordinators of my projects": those coordinating their
    # projects then are the ones chosen (docs/rules.md "Coordinators of a person are current
    # ones"). NULL with share_background: a choice kept from before the moment was kept.
    background_shared_at = DateTimeField(null=True)
    # When the person answered "may the coordinators of your projects know your answer?"
    # (either way; issue 22): the question is not asked again once they chose.
    share_chosen_on = DateField(null=True)
    # When a person whose account is held (opened through someone else's link) was shown the
    # note that their earlier answer is held back: shown once (issue 22); cleared when they
    # give their answer again, so a later hold shows it again.
    held_note_on = DateField(null=True)
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

    @classmethod
    def name_matches(cls, text: str):
        """The condition "the display name holds `text`" (any case, % and _ meaning
        themselves); true for an empty text."""
        text = " ".join((text or "").split())[:80].lower()
        if not text:
            return cls.id.is_null(False)
        return holds(lowered(cls.display_name), text)

    @classmethod
    def search(cls, text: str, *, among=None, besides=None, outside=None, limit=SEARCH_LIMIT):
        """A person picker's matches: people with a name holding `text`, by name, id and
        display name only (never more), at most `limit`; nobody for an empty text. `among`
        and `outside` are subqueries of person ids, `besides` one person left out."""
        if not " ".join((text or "").split()):
            return []
        query = cls._pickable(among, besides, outside).where(cls.name_matches(text))
        return list(query.order_by(cls.display_name, cls.id).limit(limit))

    @classmethod
    def pickable(cls, person_id: int | None, *, among=None, besides=None, outside=None):
        """The person with this id when a picker with these limits (see `search`) could have
        offered them, else None: a posted id is checked, never trusted."""
        if person_id is None:
            return None
        return cls._pickable(among, besides, outside).where(cls.id == person_id).first()

    @classmethod
    def _pickable(cls, among, besides, outside):
        query = cls.select(cls.id, cls.display_name).where(cls.display_name.is_null(False))
        if among is not None:
            query = query.where(cls.id.in_(among))
        if besides is not None:
            query = query.where(cls.id != besides)
        if outside is not None:
            query = query.where(cls.id.not_in(outside))
        return query

    @classmethod
    def name_taken(cls, name: str) -> bool:
        """True when someone already has this display name."""
        return cls.select().where(cls.display_name == name).exists()

    @classmethod
    def wanting_to_grow(cls, in_scope, limit=None) -> list:
        """Among the people meeting a condition (such as Membership.in_scope), who wants paid
        work or wrote what to learn (the first `limit` by name)."""
        return list(cls.growing_query(in_scope, limit))

    @classmethod
    def growing_query(cls, in_scope, limit=None):
        """The query of `wanting_to_grow` (models/people/overview.py keeps its SQL)."""
        return (
            cls.select(cls.id, cls.display_name, cls.wants_paid_work, cls.learn)
            .where(in_scope & ((cls.wants_paid_work == True) | (cls.learn != "")))  # noqa: E712
            .order_by(cls.display_name, cls.id)
            .limit(limit)
        )
