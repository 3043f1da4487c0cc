"""Accounts, rights, sessions, login counters and one-time links: who can log in and what
they may do."""

import hashlib

from peewee import (
    JOIN,
    BooleanField,
    CharField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from models.clock import now
from models.db import BaseModel
from models.organisation import Project
from models.person import Person
from models.words import FORMER_MEMBER

# The rights an administrator grants (PRODUCT.md "Everywhere", issue "Accounts and access").
# Membership of a project is not a right: it follows from memberships. A trusted person
# ("vertrouwenspersoon") receives quiet concerns, for the whole organisation or for one
# project (docs/rules.md "A quiet concern"); a coordinator's right, too, may be for one project.
RIGHTS = ("admin", "coordinator", "treasurer", "privacy", "trusted")
# The rights an administrator may give for one project instead of the whole organisation.
PROJECT_RIGHTS = ("coordinator", "trusted")


class Account(BaseModel):
    """A person's login: a username and an argon2id hash. No email address."""

    person = ForeignKeyField(Person, unique=True, backref="accounts", on_delete="CASCADE")
    username = CharField(max_length=60, unique=True)
    password_hash = CharField(max_length=255)
    language = CharField(max_length=5, default="nl")
    created_at = DateTimeField(default=now)
    last_login_at = DateTimeField(null=True)
    # Opened (or its password chosen) through a link made by someone without the privacy
    # right: the client-background answer stays hidden here until the person gives it
    # again themselves (models/accounts/links.py).
    background_held = BooleanField(default=False)

    @classmethod
    def of_person(cls, person_id: int):
        """The person's account, or None."""
        return cls.get_or_none(cls.person == person_id)

    @classmethod
    def with_person(cls, account_id: int):
        """The account with its person loaded."""
        return cls.select(cls, Person).join(Person).where(cls.id == account_id).get()

    @classmethod
    def by_username(cls, username: str):
        """The account with this username, or None."""
        return cls.get_or_none(cls.username == username)

    @classmethod
    def choose_language(cls, account_id: int, language: str) -> None:
        """Remember the account's language."""
        cls.update(language=language).where(cls.id == account_id).execute()

    def note_login(self, new_hash: str | None) -> None:
        """A good login: its moment, and a fresh hash when the hashing costs changed."""
        changes = {"last_login_at": now()}
        if new_hash:
            changes["password_hash"] = new_hash
        Account.update(**changes).where(Account.id == self.id).execute()

    @classmethod
    def username_taken(cls, username: str) -> bool:
        return cls.select().where(cls.username == username).exists()

    @classmethod
    def any_exist(cls) -> bool:
        """True once anyone can log in (a fresh installation has no accounts)."""
        return cls.select().exists()


class Grant(BaseModel):
    """A right held by an account; a coordinator grant with a project covers that project only."""

    account = ForeignKeyField(Account, backref="grants", on_delete="CASCADE")
    right = CharField(max_length=12)
    project = ForeignKeyField(Project, null=True, on_delete="CASCADE")
    granted_by = ForeignKeyField(Account, null=True, on_delete="SET NULL")
    granted_at = DateTimeField(default=now)

    class Meta:
        indexes = ((("account", "right", "project"), True),)

    @classmethod
    def held(cls, account_id: int, right: str, project_id: int | None = None) -> bool:
        """Whether the account holds the right (for the whole organisation when no project)."""
        where_project = cls.project.is_null() if project_id is None else cls.project == project_id
        return (
            cls.select()
            .where((cls.account == account_id) & (cls.right == right) & where_project)
            .exists()
        )

    @classmethod
    def with_account(cls, grant_id: int):
        """The grant with its account loaded, or None."""
        return (
            cls.select(cls, Account)
            .join(Account, on=(cls.account == Account.id))
            .where(cls.id == grant_id)
            .first()
        )

    @classmethod
    def by_account(cls, account_id: int | None = None, account_ids=None) -> dict:
        """Grants with their project, per account id (one account's only when given, or
        those of `account_ids`)."""
        query = cls.select(cls, Project).join(Project, JOIN.LEFT_OUTER)
        if account_id is not None:
            query = query.where(cls.account == account_id)
        if account_ids is not None:
            query = query.where(cls.account.in_(list(account_ids) or [0]))
        grants = {}
        for grant in query.order_by(cls.right, Project.name):
            grants.setdefault(grant.account_id, []).append(grant)
        return grants

    @classmethod
    def administrators(cls) -> int:
        """How many grants of the administrator right there are."""
        return cls.select().where(cls.right == "admin").count()

    @classmethod
    def any_administrator(cls) -> bool:
        return cls.select().where(cls.right == "admin").exists()

    @classmethod
    def person_is_administrator(cls, person_id: int) -> bool:
        return (
            cls.select()
            .join(Account, on=(cls.account == Account.id))
            .where((Account.person == person_id) & (cls.right == "admin"))
            .exists()
        )


class UserSession(BaseModel):
    """A signed-in browser. The cookie holds a random key; only its hash is stored."""

    key_hash = CharField(max_length=64, unique=True)
    account = ForeignKeyField(Account, backref="sessions", on_delete="CASCADE")
    created_at = DateTimeField(default=now)
    last_seen_at = DateTimeField(default=now)

    @staticmethod
    def hash_key(key: str) -> str:
        """The stored form of a session key."""
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def end_all(cls, account_id: int, keep: int | None = None) -> None:
        """Sign the account out everywhere (except in the session `keep`)."""
        query = cls.delete().where(cls.account == account_id)
        if keep is not None:
            query = query.where(cls.id != keep)
        query.execute()


class LoginThrottle(BaseModel):
    """Failed logins for one username ("user:…") or one client address ("addr:…")."""

    key = CharField(max_length=120, unique=True)
    failures = IntegerField(default=0)
    last_failure_at = DateTimeField(default=now)
    locked_until = DateTimeField(null=True)


class AccessLink(BaseModel):
    """A one-time link to make an account (invite) or choose a new password (reset).

    Only the hash of the token is stored; the link itself is shown once to the coordinator.
    `rights` holds rights to grant when an invited person makes their account ("admin,...").
    """

    token_hash = CharField(max_length=64, unique=True)
    kind = CharField(max_length=8)
    person = ForeignKeyField(Person, backref="access_links", on_delete="CASCADE")
    created_by = ForeignKeyField(Account, null=True, on_delete="SET NULL")
    created_at = DateTimeField(default=now)
    expires_at = DateTimeField()
    used_at = DateTimeField(null=True)
    rights = CharField(max_length=60, default="")
    # When the person answered the notice that this link was made for them (`answer`: "mine",
    # they used it themselves, or "not_me"); until then every login shows it again.
    notice_seen_at = DateTimeField(null=True)
    answer = CharField(max_length=8, null=True)
    # A new-password link for an account that holds a power works only once a second person
    # with the admin right approved it (models/accounts/links.py).
    needs_approval = BooleanField(default=False)
    approved_by = ForeignKeyField(Account, null=True, on_delete="SET NULL", backref="+")
    # When the owner took the account back from the link's maker (models/accounts/trust.py):
    # until then the account counts as the maker too for every four-eyes rule.
    taken_back_at = DateTimeField(null=True)

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @property
    def usable(self) -> bool:
        return self.used_at is None and self.expires_at > now()

    @property
    def waits_for_approval(self) -> bool:
        return self.needs_approval and self.approved_by_id is None

    @property
    def asks_name(self) -> bool:
        """An invite for someone who writes their own name on opening it (the first
        administrator of an organisation added without one: `tafel org add`, /federation)."""
        return (
            self.kind == "invite"
            and self.person.display_name is None
            and self.person.erased_at is None
        )

    @classmethod
    def find(cls, token: str):
        """The usable link with this token, or None."""
        link = (
            cls.select(cls, Person)
            .join(Person)
            .where(cls.token_hash == cls.hash_token(token or ""))
            .first()
        )
        return link if link is not None and link.usable else None

    @classmethod
    def with_person(cls, link_id: int):
        """The link with its person loaded, or None."""
        return cls.select(cls, Person).join(Person).where(cls.id == link_id).first()


class CalendarFeed(BaseModel):
    """A person's private calendar address (`/feed/{token}/tafel.ics`), which a calendar app
    reads without a session. Only the hash of the token is stored; the address is shown once,
    when it is made. Making a new one replaces the row, so the old address stops working;
    it goes with the account (CASCADE), and so with the person's removal."""

    account = ForeignKeyField(Account, unique=True, backref="calendar_feeds", on_delete="CASCADE")
    token_hash = CharField(max_length=64, unique=True)
    created_at = DateTimeField(default=now)

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def of_account(cls, account_id: int):
        """The account's feed, or None."""
        return cls.get_or_none(cls.account == account_id)

    @classmethod
    def find(cls, token: str):
        """The feed with this token, with its account and person (one query), or None."""
        return (
            cls.select(cls, Account, Person)
            .join(Account)
            .join(Person)
            .where((cls.token_hash == cls.hash_token(token or "")) & Person.erased_at.is_null())
            .first()
        )


REMOVAL_STATES = ("open", "confirmed", "cancelled")


class RemovalRequest(BaseModel):
    """The removal of someone without an account, started by a coordinator with a reason and
    waiting for a second coordinator (models/records/removal.py). At most one is open per
    person; a closed one stays as history (its reason is emptied when the person is erased:
    it may name them)."""

    person = ForeignKeyField(Person, backref="removal_requests", on_delete="CASCADE")
    started_by = ForeignKeyField(Account, null=True, backref="+", on_delete="SET NULL")
    reason = TextField(default="")
    started_at = DateTimeField(default=now)
    state = CharField(max_length=10, default="open", index=True)  # REMOVAL_STATES
    closed_by = ForeignKeyField(Account, null=True, backref="+", on_delete="SET NULL")
    closed_at = DateTimeField(null=True)

    @classmethod
    def with_people(cls):
        """Requests with their person and the person who started them (one query)."""
        starter, starter_person = Account.alias(), Person.alias()
        return (
            cls.select(cls, Person, starter, starter_person)
            .join(Person, on=(cls.person == Person.id))
            .join_from(
                cls, starter, JOIN.LEFT_OUTER, on=(cls.started_by == starter.id), attr="starter"
            )
            .join_from(
                starter,
                starter_person,
                JOIN.LEFT_OUTER,
                on=(starter.person == starter_person.id),
                attr="who",
            )
        )

    @property
    def starter_person_id(self) -> int | None:
        """The person who started it (loaded by `with_people`), or None when their account
        is gone."""
        starter = getattr(self, "starter", None)
        return starter.person_id if starter is not None else None

    @property
    def starter_name(self):
        """The starter's name (loaded by `with_people`), or "former member"."""
        starter = getattr(self, "starter", None)
        who = getattr(starter, "who", None) if starter is not None else None
        return who.shown_name if who is not None and who.id else FORMER_MEMBER

    @classmethod
    def open_for(cls, person_id: int) -> "RemovalRequest | None":
        """The person's open request with its starter, or None."""
        return cls.with_people().where((cls.person == person_id) & (cls.state == "open")).first()


MODELS = [Account, Grant, UserSession, LoginThrottle, AccessLink, CalendarFeed, RemovalRequest]
