"""A person's private calendar address: a secret in the URL that a calendar app on a phone
reads without a session (issue 12 point 5). Only its hash is kept; making a new address
makes the old one stop working, and removing the person removes it."""

import secrets

from models.accounts.tables import Account, CalendarFeed
from models.clock import now
from models.db import database


def make_feed(account: Account) -> str:
    """A new calendar address token for the account, replacing (and so ending) any earlier
    one; returns the token, which is shown once."""
    token = secrets.token_urlsafe(32)
    with database.atomic():
        CalendarFeed.delete().where(CalendarFeed.account == account.id).execute()
        CalendarFeed.create(
            account=account.id, token_hash=CalendarFeed.hash_token(token), created_at=now()
        )
    return token


def find_feed(token: str):
    """The calendar address with this token, with its account and person, or None (an
    unknown token, or one that was renewed or removed)."""
    return CalendarFeed.find(token)
