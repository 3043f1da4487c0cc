"""One-time links for people without email: invites (make an account) and new-password links.

A coordinator or `tafel user add` makes a link; only its token's hash is stored, the link is
shown once. Opening it, the person chooses a username (invite) and a password.

A link is not a key to someone's health data (issue 11 point 2). Whoever holds a link can
use it, its maker included; so an account opened, or a password chosen, through a link made
by someone without the privacy right is *held*: the client-background answer recorded for
the person is not shown to that account (not in My path, not in "download my data") until
the person gives their answer again themselves (`release_background`). Giving an answer
shows nothing that was recorded before, so the maker learns nothing they may not already
know. Links made with the `tafel` command (by whoever runs the server, who holds the whole
database anyway) and by holders of the privacy right hold nothing.

And the person is told, at their next login, which links were made for them, by whom and
when (`take_link_notices`), once.
"""

import datetime as dt
import secrets

from peewee import JOIN

from models.accounts import audit, sessions
from models.accounts.passwords import hash_password
from models.accounts.tables import AccessLink, Account, Grant, UserSession
from models.clock import now
from models.db import database
from models.person import Person

LINK_LIFETIME = dt.timedelta(days=7)
LINK_KINDS = ("invite", "reset")


def make_link(person: Person, created_by=None, rights: tuple = ()) -> tuple[AccessLink, str]:
    """A new invite (no account yet) or reset link for the person; older open links stop working.

    Returns the link and its token (the token is not stored; call inside a transaction)."""
    has_account = Account.select().where(Account.person == person.id).exists()
    moment = now()
    AccessLink.update(expires_at=moment).where(
        (AccessLink.person == person.id) & AccessLink.used_at.is_null()
    ).execute()
    token = secrets.token_urlsafe(24)
    link = AccessLink.create(
        token_hash=AccessLink.hash_token(token),
        kind="reset" if has_account else "invite",
        person=person,
        created_by=created_by,
        created_at=moment,
        expires_at=moment + LINK_LIFETIME,
        rights=",".join(rights),
    )
    return link, token


def open_link(
    link: AccessLink, password: str, username: str = "", language: str = "nl", old_key=None
) -> tuple[Account, str] | None:
    """Use a link and sign in with it, in one transaction: (the account, its new session's
    key), or None when the link was used meanwhile or cannot be used (nothing changes)."""
    with database.atomic():
        account = use_link(link, password, username, language)
        if account is None:
            return None
        return account, sessions.begin(account, old_key=old_key)


def use_link(link: AccessLink, password: str, username: str = "", language: str = "nl"):
    """Use a link once: an invite makes the account (with the link's rights), a reset sets a
    new password and ends every other session of the person. Returns the account to sign in,
    or None when the link was used meanwhile or cannot be used. Call inside a transaction
    (`open_link`)."""
    used = (
        AccessLink.update(used_at=now())
        .where((AccessLink.id == link.id) & AccessLink.used_at.is_null())
        .execute()
    )
    if used != 1:
        return None
    held = link.created_by_id is not None and not Grant.held(link.created_by_id, "privacy")
    account = Account.of_person(link.person_id)
    if link.kind == "invite" and account is None:
        account = Account.create(
            person=link.person_id,
            username=username.strip().lower(),
            password_hash=hash_password(password),
            language=language,
            background_held=held,
        )
        for right in filter(None, link.rights.split(",")):
            Grant.create(account=account, right=right, granted_by=link.created_by_id)
        audit.record(
            account.id,
            "account.create",
            account,
            person=link.person_id,
            after={"username": account.username, "rights": link.rights},
        )
    elif account is not None:
        changes = {"password_hash": hash_password(password)}
        if held:
            changes["background_held"] = True
        Account.update(**changes).where(Account.id == account.id).execute()
        # A new password ends every other session of the person.
        UserSession.end_all(account.id)
        audit.record(account.id, "account.reset_password", account, person=link.person_id)
    return account


def release_background(account_id: int) -> None:
    """The person gave their client-background answer themselves: the account shows it from
    now on (call inside the transaction that saves the answer)."""
    Account.update(background_held=False).where(Account.id == account_id).execute()


def take_link_notices(person_id: int) -> list[int]:
    """The ids of the links made for the person that they were not told about yet, now
    marked as told (call inside the login's transaction): a login tells them once."""
    ids = [
        link_id
        for (link_id,) in AccessLink.select(AccessLink.id)
        .where((AccessLink.person == person_id) & AccessLink.notice_seen_at.is_null())
        .order_by(AccessLink.created_at, AccessLink.id)
        .tuples()
    ]
    if ids:
        AccessLink.update(notice_seen_at=now()).where(AccessLink.id.in_(ids)).execute()
    return ids


def link_notices(person_id: int, link_ids) -> list[AccessLink]:
    """The person's own links among `link_ids`, oldest first, each with `maker_name` (None:
    made with the `tafel` command)."""
    maker, maker_person = Account.alias(), Person.alias()
    query = (
        AccessLink.select(AccessLink, maker_person.display_name.alias("maker_name"))
        .join(maker, JOIN.LEFT_OUTER, on=(AccessLink.created_by == maker.id))
        .join(maker_person, JOIN.LEFT_OUTER, on=(maker.person == maker_person.id))
        .where((AccessLink.person == person_id) & AccessLink.id.in_(list(link_ids) or [0]))
        .order_by(AccessLink.created_at, AccessLink.id)
    )
    return list(query.objects())


def invite(name: str, rights: tuple = ()) -> tuple[Person, AccessLink, str]:
    """The person called `name` (made when missing) and a new one-time link for them.

    Someone without an account gets an invite that grants `rights` when they make their
    account; someone with an account gets the rights now and a new-password link. Every
    change is in the audit log, in one transaction (`tafel user add`, `tafel setup`).
    """
    with database.atomic():
        person = Person.get_or_none(Person.display_name == name)
        if person is None:
            person = Person.create(display_name=name)
            audit.record(
                None, "person.create", person, person=person.id, after={"display_name": name}
            )
        account = Account.of_person(person.id)
        if account is not None:
            for right in rights:
                if not Grant.held(account.id, right):
                    grant = Grant.create(account=account, right=right)
                    audit.record(
                        None, "right.grant", grant, person=person.id, after={"right": right}
                    )
        link, token = make_link(person, rights=() if account is not None else rights)
        audit.record(None, f"link.{link.kind}", link, person=person.id, after={"kind": link.kind})
    return person, link, token


def link_url(base_url: str, token: str) -> str:
    """The address a person opens to use the link."""
    return f"{base_url.rstrip('/')}/welcome/{token}"
