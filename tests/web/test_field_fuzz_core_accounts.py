"""Every POST form of core and accounts, field by field (tests/web/field_fuzz.py): the valid
submission is what the route's own page draws (plus what a person types), each field on its
own gets each hostile value while the others stay valid, and no answer is a server error."""

import pytest

from models.accounts.links import make_link
from models.accounts.tables import Grant
from models.person import Person
from tests.conftest import PASSWORDS, post
from tests.web.field_fuzz import Form, fuzz_route, refusal_of

# What the 51% check's confirming screen (templates/people/confirm.html) adds to a removal.
CONFIRMED = {"confirmed": "1", "accept_below": "y"}
NEW_PASSWORD = {"password": "een-lang-nieuw-wachtwoord", "repeat": "een-lang-nieuw-wachtwoord"}


def _person(name: str) -> int:
    return Person.get(Person.display_name == name).id


def _not_the_last_admin() -> int:
    """A grant that may be withdrawn (the last administrator's may not)."""
    return Grant.select(Grant.id).where(Grant.right != "admin").order_by(Grant.id).scalar()


def _link_for_anouk(as_viewer, values):
    """A link the coordinator made for Anouk: her notice to answer (the link's id is
    in the drawn form)."""
    from models.db import database

    with database.connection_context():
        make_link(Person.get_by_id(_person("Anouk B.")), created_by=None)


def _anouk_asks_removal(as_viewer, values):
    post(as_viewer("member"), "/account/removal")


def _removal_started(as_viewer, values):
    """Dewi's removal, started by the administrator: the coordinator confirms or cancels it."""
    from models.accounts.tables import Account
    from models.actor import Actor
    from models.db import database
    from models.records.removal import start_removal

    with database.connection_context():
        beheer = Account.get(Account.username == "beheer")
        start_removal(Actor(account_id=beheer.id), values["person_id"], "Verhuisd.")


def _anouk_held(as_viewer, values):
    """Anouk's account, held by the coordinator: Kim made her a new-password link and it
    was used (the administrator takes it back with Anouk beside her)."""
    from models.accounts.tables import Account
    from models.db import database

    with database.connection_context():
        kim = Account.get(Account.username == "coordinator")
        _link, token = make_link(Person.get_by_id(_person("Anouk B.")), created_by=kim.id)
    used = post(as_viewer("anonymous"), f"/welcome/{token}", NEW_PASSWORD, follow_redirects=False)
    assert used.status_code == 303, used.text[:300]
    return {"person_id": _person_now("Anouk B.")}


def _person_now(name: str) -> int:
    from models.db import database

    with database.connection_context():
        return _person(name)


def _held_link(as_viewer, values):
    """A new-password link for the coordinator (who holds a power), made by someone else: it
    waits for a second administrator's approval."""
    from models.db import database

    with database.connection_context():
        link, _token = make_link(
            Person.get_by_id(_person("Kim (coördinatie)")), needs_approval=True
        )
    return {"link_id": link.id}


def _federation_admin(as_viewer, values):
    """The demo's administrator holds the federation right (`tafel org admin beheer`)."""
    from models.records.federation import set_federation_right

    set_federation_right("beheer")


def _federation_to_grow(as_viewer, values):
    """The federation administrator, whose organisation answers on the test client's host,
    so that it still does once a second organisation is added."""
    from models.records import organisations

    _federation_admin(as_viewer, values)
    organisations.set_host("testserver")


FORMS = {
    # core
    "POST /language": Form("member", "/"),
    "POST /login": Form(
        "anonymous", "/login", {"username": "anouk", "password": PASSWORDS["anouk"]}
    ),
    "POST /logout": Form("member", "/"),
    "POST /projects/new": Form("coordinator", "/projects/new", {"name": "Buurtkeuken"}),
    "POST /projects/{project_id:int}/edit": Form("coordinator", "/projects/{project_id}/edit"),
    "POST /projects/{project_id:int}/notices": Form(
        "coordinator", "/projects/{project_id}/notices", {"title": "Zomer", "body": "Dicht in juli"}
    ),
    "POST /organisation/edit": Form("coordinator", "/organisation/edit"),
    "POST /federation": Form(
        "beheer",
        "/federation",
        {"name": "Buurtkeuken Noord", "host": "noord.example"},
        prepare=_federation_to_grow,
    ),
    # The one organisation is the home: resuming it is taken (and changes nothing).
    "POST /federation/{organisation_id:int}": Form(
        "beheer", None, {"suspended": "no"}, prepare=_federation_admin
    ),
    # accounts
    "POST /accounts/links": Form("coordinator", "/accounts/links?q=Carla"),
    "POST /welcome/{token}": Form(
        "anonymous", "/welcome/{token}", {"username": "bram", **NEW_PASSWORD}
    ),
    "POST /admin/rights/grant": Form("beheer", "/admin/rights?q=Anouk"),
    "POST /admin/rights/{grant_id:int}/withdraw": Form(
        "beheer", "/admin/rights", params={"grant_id": _not_the_last_admin}
    ),
    "POST /account/password": Form(
        "member", "/account", {"current": PASSWORDS["anouk"], **NEW_PASSWORD}
    ),
    "POST /account/calendar": Form("member", "/account"),
    "POST /account/removal": Form("member", "/account"),
    "POST /account/links-made": Form(
        "member", "/account/links-made", {"answer": "mine"}, prepare=_link_for_anouk
    ),
    "POST /removals/{person_id:int}/confirm": Form(
        "coordinator",
        "/removals",
        CONFIRMED,
        params={"person_id": lambda: _person("Anouk B.")},
        prepare=_anouk_asks_removal,
    ),
    "POST /people/{person_id:int}/removal": Form(
        "coordinator", "/people/{person_id}/removal", {"reason": "Verhuisd."}
    ),
    "POST /people/{person_id:int}/removal/confirm": Form(
        "coordinator", "/people/{person_id}/removal", CONFIRMED, prepare=_removal_started
    ),
    "POST /people/{person_id:int}/removal/cancel": Form(
        "coordinator", "/people/{person_id}/removal", prepare=_removal_started
    ),
    "POST /accounts/held/{person_id:int}": Form(
        "beheer", "/accounts/held/{person_id}", {**NEW_PASSWORD, "seen": "y"}, prepare=_anouk_held
    ),
    "POST /accounts/links/{link_id:int}/approve": Form("beheer", prepare=_held_link),
}


@pytest.mark.parametrize("key", FORMS)
def test_each_field_alone_never_gives_a_server_error(as_viewer, key):
    assert fuzz_route(as_viewer, key, FORMS[key]) == []


@pytest.mark.once
@pytest.mark.parametrize("key", FORMS)
def test_the_valid_submission_is_taken(as_viewer, key):
    assert refusal_of(as_viewer, key, FORMS[key]) is None
