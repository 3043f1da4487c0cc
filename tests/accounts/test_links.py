"""Invite and reset links: one use only, expiry, old sessions ended after a reset; passwords."""

import datetime as dt
import re

from starlette.testclient import TestClient

from models.accounts import Account, Grant, UserSession
from models.accounts.audit import AuditEntry
from models.accounts.passwords import password_problem
from models.accounts.tables import AccessLink
from models.clock import now
from models.db import database
from models.organisation import Project
from models.person import Person
from tests.accounts.conftest import GOOD, new_link, use
from tests.conftest import OTHER_PROJECT, PASSWORDS, csrf_of, login, post


def test_password_rules():
    assert password_problem("kort") == "short"
    assert password_problem("wachtwoord123") == "common"
    assert password_problem("Password123") == "common"
    assert password_problem("jansen-de-bakker", username="jansen-de-bakker") == "common"
    assert password_problem(GOOD) is None


def test_an_invite_makes_an_account_and_signs_in(client):
    _link, token = new_link("Bram")
    page = client.get(f"/welcome/{token}")
    assert page.status_code == 200 and "Bram" in page.text
    response = use(client, token, username="Bram01")
    assert response.status_code == 303
    assert client.get("/account").status_code == 200
    with database.connection_context():
        account = Account.get(Account.username == "bram01")
        assert account.password_hash.startswith("$argon2id$")
        assert GOOD not in "".join(a.before + a.after for a in AuditEntry.select())


def test_a_short_or_common_password_gets_one_plain_sentence(client):
    _link, token = new_link("Bram")
    response = use(client, token, username="bram", password="wachtwoord123", repeat="wachtwoord123")
    assert response.status_code == 400
    assert "Veel mensen gebruiken dit wachtwoord" in response.text
    response = use(client, token, username="bram", password="kort", repeat="kort")
    assert "minstens 10 tekens" in response.text
    with database.connection_context():
        assert not Account.select().where(Account.username == "bram").exists()


def test_a_link_works_only_once(client):
    _link, token = new_link("Bram")
    assert use(client, token, username="bram").status_code == 303
    other = TestClient(client.app)
    assert other.get(f"/welcome/{token}").status_code == 404
    response = other.post(
        f"/welcome/{token}",
        data={"csrf_token": csrf_of(other), "username": "bram2", "password": GOOD, "repeat": GOOD},
    )
    assert response.status_code == 404
    with database.connection_context():
        assert Account.select().where(Account.username == "bram2").count() == 0


def test_a_link_stops_working_after_7_days(client):
    link, token = new_link("Bram")
    with database.connection_context():
        AccessLink.update(expires_at=now() - dt.timedelta(seconds=1)).execute()
    assert client.get(f"/welcome/{token}").status_code == 404
    assert use(client, token, username="bram").status_code == 404


def test_a_new_link_replaces_the_older_one(client):
    _old, old_token = new_link("Bram")
    _new, new_token = new_link("Bram")
    assert client.get(f"/welcome/{old_token}").status_code == 404
    assert client.get(f"/welcome/{new_token}").status_code == 200


def test_a_reset_ends_every_other_session(client, app):
    elsewhere = TestClient(app)
    login(elsewhere, "anouk")
    assert elsewhere.get("/account").status_code == 200
    link, token = new_link("Anouk B.")
    assert link.kind == "reset"
    assert use(client, token).status_code == 303
    assert elsewhere.get("/account", follow_redirects=False).status_code == 303
    with database.connection_context():
        assert UserSession.select().count() == 1  # only the browser that used the link
    # The new password works, the old one not.
    fresh = TestClient(app)
    bad = fresh.post(
        "/login",
        data={"username": "anouk", "password": PASSWORDS["anouk"], "csrf_token": csrf_of(fresh)},
    )
    assert bad.status_code == 400
    ok = fresh.post(
        "/login",
        data={"username": "anouk", "password": GOOD, "csrf_token": csrf_of(fresh)},
        follow_redirects=False,
    )
    assert ok.status_code == 303


def test_a_coordinator_makes_a_link_with_a_qr_slip(client):
    login(client, "coordinator")
    with database.connection_context():
        bram = Person.get(Person.display_name == "Bram").id
    response = post(client, "/accounts/links", {"person": bram})
    assert response.status_code == 200
    base = re.escape(client.app.state.settings.public_url)
    url = re.search(rf'href="({base}/welcome/[^"]+)"', response.text).group(1)
    assert 'src="data:image/svg+xml' in response.text
    assert "style=" not in response.text
    token = url.rsplit("/", 1)[1]
    with database.connection_context():
        link = AccessLink.get(AccessLink.person == bram)
        assert token not in link.token_hash and link.token_hash == AccessLink.hash_token(token)
        assert AuditEntry.select().where(AuditEntry.action == "link.invite").exists()
    # The slip shows the link to its maker only.
    other = TestClient(client.app)
    login(other, "coordinator")
    assert token not in other.get(f"/accounts/links/{link.id}").text


def test_a_project_coordinator_only_invites_people_of_their_projects(client):
    with database.connection_context():
        anouk = Account.get(Account.username == "anouk")
        from models.organisation import Project

        woordwerk = Project.get(Project.name == "Uitgeverij Woordwerk")
        Grant.create(account=anouk, right="coordinator", project=woordwerk)
        priya = Person.get(Person.display_name == "Priya").id
    login(client, "anouk")
    assert "Priya" not in client.get("/accounts/links").text
    assert post(client, "/accounts/links", {"person": priya}).status_code == 400


def test_only_an_administrator_makes_links_for_accounts_with_rights(client, as_viewer):
    with database.connection_context():
        beheer = Person.get(Person.display_name == "Sam (beheer)").id
        kim = Person.get(Person.display_name == "Kim (coördinatie)").id
    login(client, "coordinator")
    assert "Sam (beheer)" not in client.get("/accounts/links").text
    assert post(client, "/accounts/links", {"person": beheer}).status_code == 400
    admin = TestClient(client.app)
    login(admin, "beheer")
    assert post(admin, "/accounts/links", {"person": kim}).status_code == 200


def test_a_project_coordinator_cannot_read_another_s_link_slip_by_its_number(client):
    login(client, "coordinator")
    with database.connection_context():
        bram = Person.get(Person.display_name == "Bram")
    post(client, "/accounts/links", {"person": bram.id})
    with database.connection_context():
        link = AccessLink.get(AccessLink.person == bram.id)
        other_project = Project.get(Project.name == OTHER_PROJECT)
        Grant.create(
            account=Account.get(Account.username == "priya"),
            right="coordinator",
            project=other_project,
        )
    other = TestClient(client.app)
    login(other, "priya")
    response = other.get(f"/accounts/links/{link.id}")
    assert response.status_code == 403 and "Bram" not in response.text
