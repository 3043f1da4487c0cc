"""Access to the accounts area: links, welcome, rights, audit log, my account, removals."""

import datetime as dt
import secrets

from models.accounts.links import make_link
from models.accounts.tables import AccessLink, Grant
from models.clock import now
from models.person import Person

OK, LOGIN, NO = "ok", "login", 403


def _token() -> str:
    """A fresh invite link for someone without an account (Bram)."""
    token = secrets.token_urlsafe(16)
    AccessLink.create(
        token_hash=AccessLink.hash_token(token),
        kind="invite",
        person=Person.get(Person.display_name == "Bram"),
        expires_at=now() + dt.timedelta(days=7),
    )
    return token


def _link_id() -> int:
    """Any link's id (made for Carla V. when none exists)."""
    link = AccessLink.select().first()
    return link.id if link else make_link(Person.get(Person.display_name == "Carla V."))[0].id


#            anonymous, member, coordinator, other project's member
ACCESS = {
    "GET /accounts/links": (LOGIN, NO, OK, NO),
    "POST /accounts/links": (LOGIN, NO, OK, NO),
    "GET /accounts/links/{link_id:int}": (LOGIN, NO, OK, NO),
    "GET /welcome/{token}": (OK, OK, OK, OK),
    "POST /welcome/{token}": (OK, OK, OK, OK),
    "GET /admin/rights": (LOGIN, NO, NO, NO),
    "POST /admin/rights/grant": (LOGIN, NO, NO, NO),
    "POST /admin/rights/{grant_id:int}/withdraw": (LOGIN, NO, NO, NO),
    "GET /audit": (LOGIN, NO, OK, NO),
    "GET /account": (LOGIN, OK, OK, OK),
    "POST /account/password": (LOGIN, OK, OK, OK),
    "GET /account/download": (LOGIN, OK, OK, OK),
    "GET /account/my-data": (LOGIN, OK, OK, OK),
    "GET /account/links-made": (LOGIN, OK, OK, OK),
    "POST /account/links-made": (LOGIN, OK, OK, OK),
    # Accounts someone else's link holds: the admin and privacy rights (none of the four).
    "GET /accounts/held": (LOGIN, NO, NO, NO),
    "GET /accounts/held/{person_id:int}": (LOGIN, NO, NO, NO),
    "POST /accounts/held/{person_id:int}": (LOGIN, NO, NO, NO),
    "POST /accounts/links/{link_id:int}/approve": (LOGIN, NO, NO, NO),
    "POST /account/calendar": (LOGIN, OK, OK, OK),
    "POST /account/removal": (LOGIN, OK, OK, OK),
    "GET /removals": (LOGIN, NO, OK, NO),
    "POST /removals/{person_id:int}/confirm": (LOGIN, NO, OK, NO),
    # The removal of someone without an account ({person_id} is Dewi, people.py's PARAMS: in
    # the member's project only, no account): the organisation's coordinators, and the
    # coordinators of a project the person is in now (of a former one only when they are in
    # none; models.records.removal.may_remove). Kim coordinates the organisation: unchanged.
    "GET /people/{person_id:int}/removal": (LOGIN, NO, OK, NO),
    "POST /people/{person_id:int}/removal": (LOGIN, NO, OK, NO),
    "POST /people/{person_id:int}/removal/confirm": (LOGIN, NO, OK, NO),
    "POST /people/{person_id:int}/removal/cancel": (LOGIN, NO, OK, NO),
}

PARAMS = {
    "token": _token,
    "link_id": _link_id,
    "grant_id": lambda: _grant_id(),
    "person_id": lambda: Person.get(Person.display_name == "Anouk B.").id,
}


def _grant_id() -> int:
    return Grant.select(Grant.id).order_by(Grant.id).scalar()
