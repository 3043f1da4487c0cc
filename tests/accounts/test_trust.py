"""Issue 19 point 1: a key made by someone else is theirs until the owner takes it back.

The audit's replays (H1: one organisation coordinator erases anyone; H3: taking over an
account that holds a power) are refused, the link notice stays until the person answers it,
and the owner takes the account back in person with a second person who holds the right.
Also the low findings of the accounts area: the calendar address ends with a reset or a
new password, no throttle rows while an address waits, and no-store on anonymous pages.
"""

import datetime as dt
import re

import pytest
from starlette.testclient import TestClient

from models.accounts import AccessLink, Account, CalendarFeed, Grant, LoginThrottle, UserSession
from models.accounts.audit import AuditEntry
from models.accounts.calendar_feed import make_feed
from models.accounts.links import make_link
from models.accounts.throttle import reserve_attempt, throttle_keys
from models.accounts.trust import counts_as, makers_holding
from models.clock import now
from models.db import database
from models.person import Person
from models.records.removal import confirm_removal, start_removal
from models.rules.errors import RuleError
from tests.accounts.conftest import GOOD, use
from tests.conftest import csrf_of, login, post
from tests.core.test_for_you import for_you
from webapp.access import viewer_of


def _make_link(maker: TestClient, person_id: int):
    """A link made on the links page: (its id, its token)."""
    made = post(maker, "/accounts/links", {"person": person_id}, follow_redirects=False)
    assert made.status_code == 303, made.text
    slip = maker.get(made.headers["location"])
    token = re.search(r'href="[^"]+/welcome/([^"]+)"', slip.text).group(1)
    return int(made.headers["location"].rsplit("/", 1)[1]), token


def _viewer(username: str):
    with database.connection_context():
        account = (
            Account.select(Account, Person).join(Person).where(Account.username == username).get()
        )
        return viewer_of(account)


def _person(name: str) -> int:
    with database.connection_context():
        return Person.get(Person.display_name == name).id


def _wendy() -> int:
    with database.connection_context():
        return Person.create(display_name="Wendy Hoek").id


# --- H1: one organisation coordinator erases anyone ---------------------------------------


def test_h1_kim_cannot_confirm_the_removal_she_asked_for_as_wendy(app):
    """Kim (organisation coordinator, no privacy right) makes an invite for Wendy, opens it
    herself, asks for Wendy's removal as Wendy, and confirms it as herself: refused."""
    wendy = _wendy()
    kim = login(TestClient(app), "coordinator")
    assert "privacy" not in _viewer("coordinator").rights
    _link_id, token = _make_link(kim, wendy)
    as_wendy = TestClient(app)
    assert use(as_wendy, token, username="wendy").status_code == 303
    assert post(as_wendy, "/account/removal", follow_redirects=False).status_code == 303
    # The account Kim opened counts as Kim.
    held = _viewer("wendy")
    assert held.acts_for == {_viewer("coordinator").person_id}
    with database.connection_context():
        assert counts_as(_viewer("coordinator"), wendy)
    confirm = {"confirmed": "1", "accept_below": "y"}
    refused = post(kim, f"/removals/{wendy}/confirm", confirm)
    assert refused.status_code == 400
    assert "met een link die jij hebt gemaakt. Iemand anders moet" in refused.text
    with database.connection_context():
        assert Person.get_by_id(wendy).erased_at is None
        assert not AuditEntry.select().where(AuditEntry.action == "person.erase").exists()
    # Someone else with the right may: the four eyes are two people.
    other = login(TestClient(app), "beheer")
    done = post(other, f"/removals/{wendy}/confirm", confirm, follow_redirects=False)
    assert done.status_code in (200, 303)


def test_a_removal_started_through_a_link_cannot_be_confirmed_by_its_maker(app):
    """The started-by-a-coordinator path: whoever counts as the starter cannot confirm."""
    with database.connection_context():
        kim = Account.get(Account.username == "coordinator")
        starter = Person.create(display_name="Stijn")
        account = Account.create(person=starter, username="stijn", password_hash="x")
        Grant.create(account=account, right="coordinator")
        # Stijn's account was opened with a link Kim made: it counts as Kim.
        AccessLink.create(
            token_hash="h1-starter",
            kind="invite",
            person=starter,
            created_by=kim,
            expires_at=now() + dt.timedelta(days=7),
            used_at=now(),
        )
        assert makers_holding(starter.id) == {kim.person_id}
    target = _wendy()
    with database.connection_context():
        request = start_removal(_viewer("stijn"), target, "Verhuisd.")
        with pytest.raises(RuleError, match="You started this removal yourself"):
            confirm_removal(
                _viewer("coordinator"), target, request.id, confirmed=True, accepted_below=True
            )
        assert Person.get_by_id(target).erased_at is None


# --- H3: taking over an account that holds a power ------------------------------------------


def test_h3_a_reset_link_for_a_manager_waits_for_a_second_administrator(app):
    """Kim makes a reset link for Anouk (who holds tasks: the link needs approval); it does
    not work until an administrator other than its maker approves it; used by Kim, the
    account counts as Kim, keeps the notice and holds back Anouk's data."""
    anouk = _person("Anouk B.")
    kim = login(TestClient(app), "coordinator")
    link_id, token = _make_link(kim, anouk)
    assert "werkt pas als een tweede beheerder" in kim.get(f"/accounts/links/{link_id}").text
    taker = TestClient(app)
    waiting = taker.get(f"/welcome/{token}")
    assert waiting.status_code == 404 and "tweede beheerder" in waiting.text
    assert use(taker, token).status_code == 404
    # Kim is no administrator; the administrator approves.
    assert post(kim, f"/accounts/links/{link_id}/approve").status_code == 403
    admin = login(TestClient(app), "beheer")
    assert "Anouk B." in admin.get("/accounts/held").text
    assert post(admin, f"/accounts/links/{link_id}/approve").status_code == 200
    assert use(taker, token).status_code == 303
    with database.connection_context():
        assert AuditEntry.select().where(AuditEntry.action == "link.approve").exists()
    anouk_as_kim = _viewer("anouk")
    kim_viewer = _viewer("coordinator")
    assert anouk_as_kim.acts_for == {kim_viewer.person_id}
    assert anouk_as_kim.is_one_of(kim_viewer.person_id)
    with database.connection_context():
        # Either way round: Kim's half and the account's half are one person's.
        assert counts_as(kim_viewer, anouk) and counts_as(anouk_as_kim, kim_viewer.person_id)
    # The notice stays: the next login, whoever's, shows it again.
    post(taker, "/logout")
    data = {"username": "anouk", "password": GOOD, "csrf_token": csrf_of(taker)}
    again = taker.post("/login", data=data, follow_redirects=False)
    assert again.headers["location"].startswith("/account/links-made")
    assert "Dit was ik niet" in taker.get("/account/links-made").text
    # My data is held back (with the signals Anouk sent without her name).
    assert "link die iemand anders maakte" in taker.get("/account/my-data").text
    assert "signals" not in taker.get("/account/download").text


def test_an_administrator_cannot_approve_a_link_she_made(app):
    admin = login(TestClient(app), "beheer")
    link_id, _token = _make_link(admin, _person("Anouk B."))
    refused = post(admin, f"/accounts/links/{link_id}/approve")
    assert refused.status_code == 400
    assert "Een andere beheerder moet hem goedkeuren" in refused.text


def test_a_reset_link_for_someone_without_a_power_works_at_once(app):
    with database.connection_context():
        person = Person.create(display_name="Zonder Taak")
        Account.create(person=person, username="zondertaak", password_hash="x")
    kim = login(TestClient(app), "coordinator")
    _link_id, token = _make_link(kim, person.id)
    assert use(TestClient(app), token).status_code == 303


# --- the notice and "Dit was ik niet" --------------------------------------------------------


def test_this_was_not_me_ends_every_session_and_tells_the_right_holders(app):
    wendy = _wendy()
    kim = login(TestClient(app), "coordinator")
    link_id, token = _make_link(kim, wendy)
    first, second = TestClient(app), TestClient(app)
    assert use(first, token, username="wendy").status_code == 303
    second.post(
        "/login",
        data={"username": "wendy", "password": GOOD, "csrf_token": csrf_of(second)},
    )
    with database.connection_context():
        account = Account.get(Account.username == "wendy")
        assert UserSession.select().where(UserSession.account == account).count() == 2
    answer = {"link": link_id, "answer": "not_me", "next": "/"}
    said = post(first, "/account/links-made", answer, follow_redirects=False)
    assert said.headers["location"] == "/login?signed_out=1"
    with database.connection_context():
        assert not UserSession.select().where(UserSession.account == account).exists()
        line = AuditEntry.get(AuditEntry.action == "link.not_me")
        assert line.person_id == wendy
    # Both browsers are signed out.
    assert second.get("/account", follow_redirects=False).status_code == 303
    # The right holders see it (Kim, without the right, does not see the page).
    admin = login(TestClient(app), "beheer")
    assert '<a href="/accounts/held">1 persoon zei dat een link' in for_you(admin)
    assert "/accounts/held" not in kim.get("/").text
    held = admin.get("/accounts/held").text
    assert "Deze persoon zei: dit was ik niet." in held and "Wendy Hoek" in held
    assert kim.get("/accounts/held").status_code == 403


def test_a_notice_of_someone_else_cannot_be_answered(app):
    wendy = _wendy()
    kim = login(TestClient(app), "coordinator")
    link_id, _token = _make_link(kim, wendy)
    anouk = login(TestClient(app), "anouk")
    refused = post(anouk, "/account/links-made", {"link": link_id, "answer": "mine"})
    assert refused.status_code == 400
    with database.connection_context():
        assert AccessLink.get_by_id(link_id).answer is None


# --- taking the account back -----------------------------------------------------------------


def test_the_owner_takes_the_account_back_with_a_second_person_not_with_the_maker(app):
    wendy = _wendy()
    admin = login(TestClient(app), "beheer")
    _link_id, token = _make_link(admin, wendy)
    as_wendy = TestClient(app)
    assert use(as_wendy, token, username="wendy").status_code == 303
    with database.connection_context():
        make_feed(Account.get(Account.username == "wendy"))
    form = {"password": "mijn eigen nieuwe zin", "repeat": "mijn eigen nieuwe zin", "seen": "y"}
    # The maker cannot give it back to herself.
    refused = post(admin, f"/accounts/held/{wendy}", form)
    assert refused.status_code == 400 and "Iemand anders met het recht" in refused.text
    # Without the tick, nothing happens.
    unticked = post(admin, f"/accounts/held/{wendy}", {**form, "seen": ""})
    assert unticked.status_code == 400
    # A second person with the privacy right confirms in person.
    with database.connection_context():
        Grant.create(account=Account.get(Account.username == "penningmeester"), right="privacy")
    guard = login(TestClient(app), "penningmeester")
    done = post(guard, f"/accounts/held/{wendy}", form, follow_redirects=False)
    assert done.headers["location"] == "/accounts/held?done=taken_back"
    assert _viewer("wendy").acts_for == frozenset()
    with database.connection_context():
        account = Account.get(Account.username == "wendy")
        assert not UserSession.select().where(UserSession.account == account).exists()
        assert not CalendarFeed.select().where(CalendarFeed.account == account).exists()
        assert AuditEntry.select().where(AuditEntry.action == "account.take_back").exists()
    # The password the maker chose no longer works; the owner's does.
    data = {"username": "wendy", "password": GOOD, "csrf_token": csrf_of(as_wendy)}
    assert as_wendy.post("/login", data=data, follow_redirects=False).status_code == 400
    data["password"] = form["password"]
    assert as_wendy.post("/login", data=data, follow_redirects=False).status_code == 303
    assert "Wie je bent" in as_wendy.get("/account/my-data").text


def test_an_account_without_a_maker_s_link_has_nothing_to_take_back(app):
    admin = login(TestClient(app), "beheer")
    anouk = _person("Anouk B.")
    form = {"password": "mijn eigen nieuwe zin", "repeat": "mijn eigen nieuwe zin", "seen": "y"}
    refused = post(admin, f"/accounts/held/{anouk}", form)
    assert refused.status_code == 400 and "al van de eigenaar" in refused.text


# --- the calendar address, the throttle, no-store ------------------------------------------


def test_a_reset_and_a_password_change_end_the_calendar_address(app):
    with database.connection_context():
        person = Person.create(display_name="Zonder Taak")
        account = Account.create(person=person, username="zondertaak", password_hash="x")
        make_feed(account)
    kim = login(TestClient(app), "coordinator")
    _link_id, token = _make_link(kim, person.id)
    client = TestClient(app)
    assert use(client, token).status_code == 303
    with database.connection_context():
        assert not CalendarFeed.select().where(CalendarFeed.account == account).exists()
        make_feed(account)
    changed = post(
        client,
        "/account/password",
        {"current": GOOD, "password": "een nieuwe lange zin", "repeat": "een nieuwe lange zin"},
        follow_redirects=False,
    )
    assert changed.status_code == 303
    with database.connection_context():
        assert not CalendarFeed.select().where(CalendarFeed.account == account).exists()


def test_no_throttle_rows_are_made_while_an_address_waits(db):
    address = "10.1.2.3"
    for number in range(20):
        with database.atomic():
            wait, _attempt = reserve_attempt(throttle_keys(f"naam{number}", address))
        assert wait == 0
    rows = LoginThrottle.select().count()
    for number in range(20, 40):
        with database.atomic():
            wait, attempt = reserve_attempt(throttle_keys(f"naam{number}", address))
        assert wait > 0 and attempt is None
    assert LoginThrottle.select().count() == rows


def test_anonymous_login_start_and_welcome_pages_are_not_stored(client):
    for url in ("/login", "/"):
        assert client.get(url).headers["cache-control"] == "no-store"
    with database.connection_context():
        _link, token = make_link(Person.get(Person.display_name == "Bram"))
    assert client.get(f"/welcome/{token}").headers["cache-control"] == "no-store"
    assert client.get("/welcome/no-such-token").headers["cache-control"] == "no-store"


def test_no_right_is_given_to_an_account_someone_else_s_link_holds(app):
    """Kim opens the invite she made for Wendy herself; an administrator who later makes
    Wendy the privacy officer would give Kim every answer (and the admin right, every
    power). Refused with a sentence until Wendy takes her account back in person."""
    wendy = _wendy()
    kim = login(TestClient(app), "coordinator")
    _link_id, token = _make_link(kim, wendy)
    assert use(TestClient(app), token, username="wendy").status_code == 303
    admin = login(TestClient(app), "beheer")
    with database.connection_context():
        account = Account.get(Account.username == "wendy").id
    for right in ("privacy", "admin", "treasurer"):
        data = {"account": account, "right": right, "project": "0"}
        refused = post(admin, "/admin/rights/grant", data)
        assert refused.status_code == 400, right
        assert "Een link die iemand anders maakte" in refused.text
    with database.connection_context():
        assert not Grant.select().where(Grant.account == account).exists()
        grants = AuditEntry.select().where(AuditEntry.action == "right.grant")
        assert not grants.where(AuditEntry.person == wendy).exists()
    # Taken back in person (with someone who is not Kim): now the right may be given.
    form = {"password": GOOD + " twee", "repeat": GOOD + " twee", "seen": "y"}
    assert post(admin, f"/accounts/held/{wendy}", form, follow_redirects=False).status_code == 303
    data = {"account": account, "right": "privacy", "project": "0"}
    given = post(admin, "/admin/rights/grant", data)
    assert given.status_code == 200 and "privacy" in _viewer("wendy").rights
