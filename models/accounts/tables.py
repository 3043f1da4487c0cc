"""Accounts, rights and sessions: who can log in and what they may do."""

import hashlib

from peewee import CharField, DateTimeField, ForeignKeyField

from models.clock import now
from models.db import BaseModel
from models.organisation import Project
from models.person import Person

# The rights an administrator grants (PRODUCT.md "Everywhere", issue "Accounts and access").
# Membership of a project is not a right: it follows from memberships.
RIGHTS = ("admin", "coordinator", "treasurer", "privacy")


class Account(BaseModel):
    """A person's login: a username and an argon2id hash. No email address."""

    person = ForeignKeyField(Person, unique=True, backref="accounts", on_delete="CASCADE")
    username = CharField(max_length=60, unique=True)
    password_hash = CharField(max_length=255)
    language = CharField(max_length=5, default="nl")
    created_at = DateTimeField(default=now)
    last_login_at = DateTimeField(null=True)


class Grant(BaseModel):
    """A right held by an account; a coordinator grant with a project covers that project only."""

    account = ForeignKeyField(Account, backref="grants", on_delete="CASCADE")
    right = CharField(max_length=12)
    project = ForeignKeyField(Project, null=True, on_delete="CASCADE")
    granted_by = ForeignKeyField(Account, null=True, on_delete="SET NULL")
    granted_at = DateTimeField(default=now)

    class Meta:
        indexes = ((("account", "right", "project"), True),)


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
