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

And the person is told, at every login until they answer, which links were made for them,
by whom and when (`link_notices`); they answer each one "I used this link myself" or "this
was not me" (`answer_notice`, docs/rules.md "A key made by someone else"). A new-password
link for an account that holds a power works only after a second administrator approved it
(`approve_link`); a reset ends the calendar address.
"""

import datetime as dt
import secrets

from peewee import JOIN

from models.accounts import audit, sessions
from models.accounts.passwords import hash_password
from models.accounts.tables import AccessLink, Account, CalendarFeed, Grant, UserSession
from models.accounts.trust import counts_as
from models.clock import now
from models.db import database, lock_for_update
from models.person import Person
from models.rules.errors import RuleError
from models.rules.names import clean_name
from models.words import Text

LINK_LIFETIME = dt.timedelta(days=7)
LINK_KINDS = ("invite", "reset")


def make_link(
    person: Person, created_by=None, rights: tuple = (), needs_approval: bool = False
) -> tuple[AccessLink, str]:
    """A new invite (no account yet) or reset link for the person; older open links stop working.
    `needs_approval`: a new-password link that works only once a second person with the admin
    right approved it (`approve_link`; the caller decides, models/records/links.py).

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
        needs_approval=needs_approval and has_account,
    )
    return link, token


def open_link(
    link: AccessLink,
    password: str,
    username: str = "",
    language: str = "nl",
    old_key=None,
    name: str = "",
) -> tuple[Account, str] | None:
    """Use a link and sign in with it, in one transaction: (the account, its new session's
    key), or None when the link was used meanwhile or cannot be used (nothing changes).
    `name`: the person's own name, for an invite that asks it (`AccessLink.asks_name`)."""
    with database.atomic():
        account = use_link(link, password, username, language, name)
        if account is None:
            return None
        return account, sessions.begin(account, old_key=old_key)


def use_link(
    link: AccessLink, password: str, username: str = "", language: str = "nl", name: str = ""
):
    """Use a link once: an invite makes the account (with the link's rights; an invite that
    asks a name gives the person `name`), a reset sets a new password and ends every other
    session of the person. Returns the account to sign in, or None when the link was used
    meanwhile or cannot be used. Call inside a transaction (`open_link`); a name that is
    missing or taken is refused (RuleError)."""
    used = (
        AccessLink.update(used_at=now())
        .where(
            (AccessLink.id == link.id)
            & AccessLink.used_at.is_null()
            & (~AccessLink.needs_approval | AccessLink.approved_by.is_null(False))
        )
        .execute()
    )
    if used != 1:
        return None
    held = link.created_by_id is not None and not Grant.held(link.created_by_id, "privacy")
    account = Account.of_person(link.person_id)
    if link.kind == "invite" and account is None:
        named = {}
        if link.asks_name:
            named = {"display_name": _give_name(link.person_id, name)}
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
            after={"username": account.username, "rights": link.rights, **named},
        )
    elif account is not None:
        changes = {"password_hash": hash_password(password)}
        if held:
            changes["background_held"] = True
        Account.update(**changes).where(Account.id == account.id).execute()
        # A new password ends every other session of the person, and the calendar address
        # (whoever held the account before may have made one).
        UserSession.end_all(account.id)
        CalendarFeed.delete().where(CalendarFeed.account == account.id).execute()
        audit.record(account.id, "account.reset_password", account, person=link.person_id)
    return account


NAME_MISSING = Text("Write your name (at most 80 characters).")
NAME_TAKEN = Text("Someone here already has this name; add your surname or an initial.")


def _give_name(person_id: int, name: str) -> str:
    """The invited person's own name, written by them on opening their invite."""
    name = clean_name(name)
    if not name or len(name) > Person.display_name.max_length:
        raise RuleError(NAME_MISSING)
    if Person.name_taken(name):
        raise RuleError(NAME_TAKEN)
    Person.update(display_name=name).where(
        (Person.id == person_id) & Person.display_name.is_null()
    ).execute()
    return name


def release_background(account_id: int) -> None:
    """The person gave their client-background answer themselves: the account shows it from
    now on (call inside the transaction that saves the answer)."""
    Account.update(background_held=False).where(Account.id == account_id).execute()


ANSWERS = ("mine", "not_me")
NO_SUCH_NOTICE = "This notice has been answered already."


def _unanswered(person_id: int):
    return AccessLink.select().where((AccessLink.person == person_id) & AccessLink.answer.is_null())


def unanswered_notices(person_id: int) -> int:
    """How many links made for the person they have not answered yet (one query): every
    login shows them until they answer (an ordinary login marks nothing as seen)."""
    return _unanswered(person_id).count()


def link_notices(person_id: int) -> list[AccessLink]:
    """The links made for the person that they have not answered yet, oldest first, each with
    `maker_name` (None: made with the `tafel` command)."""
    maker, maker_person = Account.alias(), Person.alias()
    query = (
        AccessLink.select(AccessLink, maker_person.display_name.alias("maker_name"))
        .join(maker, JOIN.LEFT_OUTER, on=(AccessLink.created_by == maker.id))
        .join(maker_person, JOIN.LEFT_OUTER, on=(maker.person == maker_person.id))
        .where((AccessLink.person == person_id) & AccessLink.answer.is_null())
        .order_by(AccessLink.created_at, AccessLink.id)
    )
    return list(query.objects())


def answer_notice(actor, link_id: int | None, answer: str) -> str:
    """The person answers the notice of one link made for them: "mine" (I used it myself) or
    "not_me" (this was not me). "not_me" ends every session of the account, this one too,
    and the holders of the privacy and admin rights see it on their page
    (models/accounts/trust.py `held_accounts`). Both are audit lines. Refuses (RuleError) a
    link that is not theirs or was answered already."""
    if answer not in ANSWERS:
        raise RuleError(NO_SUCH_NOTICE)
    with database.atomic():
        link = lock_for_update(
            _unanswered(actor.person_id).where(AccessLink.id == (link_id or 0))
        ).first()
        if link is None:
            raise RuleError(NO_SUCH_NOTICE)
        AccessLink.update(answer=answer, notice_seen_at=now()).where(
            AccessLink.id == link.id
        ).execute()
        audit.record(
            actor.account_id,
            "link.not_me" if answer == "not_me" else "link.mine",
            link,
            person=actor.person_id,
            after={"kind": link.kind},
        )
        if answer == "not_me" and actor.account_id is not None:
            UserSession.end_all(actor.account_id)
    return answer


NOT_TO_APPROVE = "This link does not wait for approval any more."
OWN_LINK = "You made this link, or it is for you. Another administrator has to approve it."


def links_to_approve() -> list[AccessLink]:
    """The new-password links that wait for a second administrator (at most 200, oldest
    first), each with its person and `maker_name`."""
    maker, maker_person = Account.alias(), Person.alias()
    query = (
        AccessLink.select(AccessLink, Person, maker_person.display_name.alias("maker_name"))
        .join(Person, on=(AccessLink.person == Person.id))
        .switch(AccessLink)
        .join(maker, JOIN.LEFT_OUTER, on=(AccessLink.created_by == maker.id))
        .join(maker_person, JOIN.LEFT_OUTER, on=(maker.person == maker_person.id))
        .where(
            AccessLink.needs_approval
            & AccessLink.approved_by.is_null()
            & AccessLink.used_at.is_null()
            & (AccessLink.expires_at > now())
        )
        .order_by(AccessLink.created_at, AccessLink.id)
        .limit(200)
    )
    return list(query)


def approve_link(actor, link_id: int | None) -> AccessLink:
    """A second administrator approves a new-password link for an account that holds a
    power, so it works. Refuses (RuleError) the link's maker, anyone who counts as the maker
    or as the person it is for (models/accounts/trust.py), and a link that does not wait
    (used, expired, approved, or never needing it). The caller checked the admin right."""
    with database.atomic():
        link = lock_for_update(AccessLink.select().where(AccessLink.id == (link_id or 0))).first()
        if link is None or not link.waits_for_approval or not link.usable:
            raise RuleError(NOT_TO_APPROVE)
        maker_person = (
            Account.select(Account.person).where(Account.id == link.created_by_id).scalar()
            if link.created_by_id
            else None
        )
        if (
            link.created_by_id == actor.account_id
            or counts_as(actor, maker_person)
            or counts_as(actor, link.person_id)
        ):
            raise RuleError(OWN_LINK)
        AccessLink.update(approved_by=actor.account_id).where(AccessLink.id == link.id).execute()
        audit.record(actor.account_id, "link.approve", link, person=link.person_id)
    return link


def invite(name: str | None, rights: tuple = ()) -> tuple[Person, AccessLink, str]:
    """The person called `name` (made when missing) and a new one-time link for them.

    Someone without an account gets an invite that grants `rights` when they make their
    account; someone with an account gets the rights now and a new-password link. Every
    change is in the audit log, in one transaction (`tafel user add`, `tafel setup`).
    `name` None: a new person who writes their own name on opening the invite (the first
    administrator of an organisation added without one; `AccessLink.asks_name`).
    """
    with database.atomic():
        person = None if name is None else Person.get_or_none(Person.display_name == name)
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
