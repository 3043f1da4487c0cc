"""Rights page, audit log page, my account, data download and removal."""

import json

from models.accounts import Account, Grant, UserSession, audit
from models.accounts.audit import AuditEntry
from models.db import database
from models.organisation import Project
from models.people import Membership
from models.person import Person
from tests.accounts.conftest import GOOD, account_id
from tests.conftest import PASSWORDS, login, post


def test_an_administrator_grants_and_withdraws_a_right_and_it_is_audited(client):
    login(client, "beheer")
    assert client.get("/admin/rights").status_code == 200
    with database.connection_context():
        woordwerk = Project.get(Project.name == "Uitgeverij Woordwerk").id
    anouk = account_id("anouk")
    response = post(
        client,
        "/admin/rights/grant",
        {"account": anouk, "right": "coordinator", "project": woordwerk},
        follow_redirects=False,
    )
    assert response.status_code == 303
    with database.connection_context():
        grant = Grant.get((Grant.account == anouk) & (Grant.right == "coordinator"))
        assert grant.project_id == woordwerk
        assert AuditEntry.select().where(AuditEntry.action == "right.grant").count() == 1
    response = post(client, f"/admin/rights/{grant.id}/withdraw", follow_redirects=False)
    assert response.status_code == 303
    with database.connection_context():
        assert not Grant.select().where(Grant.id == grant.id).exists()
        assert AuditEntry.select().where(AuditEntry.action == "right.withdraw").count() == 1


def test_nobody_can_withdraw_the_last_administrator(client):
    login(client, "beheer")
    with database.connection_context():
        grant = Grant.get(Grant.right == "admin")
    response = post(client, f"/admin/rights/{grant.id}/withdraw")
    assert response.status_code == 400
    assert "Dit is de laatste beheerder." in response.text
    with database.connection_context():
        assert Grant.select().where(Grant.right == "admin").count() == 1


def make_background_line():
    with database.connection_context():
        priya = Person.get(Person.display_name == "Priya")
        audit.record(
            None,
            "person.change",
            priya,
            person=priya.id,
            before={"client_background": "no"},
            after={"client_background": "yes", "password": "geheim-geheim"},
        )


def test_the_audit_log_hides_background_answers_without_the_privacy_right(client):
    make_background_line()
    login(client, "coordinator")
    page = client.get("/audit").text
    assert "Tafel veranderde iets voor Priya" in page
    assert "client_background" not in page and "Ervaring als cliënt" not in page
    assert "geheim-geheim" not in page


def test_the_audit_log_shows_background_answers_with_the_privacy_right(client):
    make_background_line()
    with database.connection_context():
        Grant.create(account=account_id("coordinator"), right="privacy")
    login(client, "coordinator")
    page = client.get("/audit").text
    assert "Tafel veranderde iets voor Priya" in page
    assert "Ervaring als cliënt nu: Ja" in page
    assert "geheim-geheim" not in page


def test_the_audit_log_filters_by_person_and_project_and_date(client):
    make_background_line()
    login(client, "coordinator")
    with database.connection_context():
        priya = Person.get(Person.display_name == "Priya").id
        anouk = Person.get(Person.display_name == "Anouk B.").id
    assert "veranderde iets voor Priya" in client.get(f"/audit?person={priya}").text
    assert "veranderde iets voor Priya" not in client.get(f"/audit?person={anouk}").text
    assert "veranderde iets voor Priya" not in client.get("/audit?to=2000-01-01").text
    assert "veranderde iets voor Priya" in client.get("/audit?from=2000-01-01&page=1").text
    assert client.get("/audit?from=nonsense&person=x&page=-3").status_code == 200


def test_the_audit_log_uses_a_fixed_number_of_queries(client, count_queries):
    login(client, "coordinator")
    few = count_queries(client, "/audit")
    for _ in range(20):
        make_background_line()
    assert count_queries(client, "/audit") == few


def test_change_password_needs_the_current_one_and_ends_other_sessions(client, as_viewer):
    elsewhere = as_viewer("member")
    login(client, "anouk")
    response = post(
        client,
        "/account/password",
        {"current": "wrong-password", "password": GOOD, "repeat": GOOD},
    )
    assert response.status_code == 400
    response = post(
        client,
        "/account/password",
        {"current": PASSWORDS["anouk"], "password": GOOD, "repeat": GOOD},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert client.get("/account").status_code == 200
    assert elsewhere.get("/account", follow_redirects=False).status_code == 303
    with database.connection_context():
        assert UserSession.select().count() == 1
        hashed = Account.get(Account.username == "anouk").password_hash
        assert hashed.startswith("$argon2id$") and GOOD not in hashed


def test_the_download_holds_my_data_and_nobody_elses(client):
    login(client, "anouk")
    response = client.get("/account/download")
    assert response.status_code == 200
    assert "attachment" in response.headers["content-disposition"]
    data = json.loads(response.text)
    assert data["person"]["display_name"] == "Anouk B."
    assert data["person"]["client_background"] == "yes"
    assert data["account"]["username"] == "anouk"
    assert "password_hash" not in response.text and "$argon2" not in response.text
    assert data["memberships"]
    with database.connection_context():
        others = [
            p.display_name
            for p in Person.select().where(
                Person.display_name.is_null(False) & (Person.display_name != "Anouk B.")
            )
        ]
        usernames = [a.username for a in Account.select() if a.username != "anouk"]
    for name in others + usernames:
        assert name not in response.text, name


def test_asking_for_removal_and_a_coordinator_confirming_it(client, as_viewer):
    login(client, "anouk")
    assert post(client, "/account/removal", follow_redirects=False).status_code == 303
    with database.connection_context():
        person = Person.get(Person.display_name == "Anouk B.")
        assert person.removal_requested_at is not None
        memberships = Membership.select().where(Membership.person == person.id).count()
    coordinator = as_viewer("coordinator")
    assert "Anouk B." in coordinator.get("/removals").text
    # First the what-if of the 51% check (her memberships end); nothing changes yet.
    response = post(coordinator, f"/removals/{person.id}/confirm", follow_redirects=False)
    assert response.status_code == 200 and "Controleer voor je opslaat" in response.text
    with database.connection_context():
        assert Person.get_by_id(person.id).erased_at is None
    response = post(
        coordinator,
        f"/removals/{person.id}/confirm",
        {"confirmed": "1", "accept_below": "y"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    with database.connection_context():
        erased = Person.get_by_id(person.id)
        assert erased.display_name is None and erased.contact == "" and erased.erased_at
        assert erased.client_background == "not_said"
        assert not Account.select().where(Account.username == "anouk").exists()
        assert Membership.select().where(Membership.person == person.id).count() == memberships
        assert AuditEntry.select().where(AuditEntry.action == "person.erase").exists()
    # Her browser is signed out; the history stays.
    assert client.get("/account", follow_redirects=False).status_code == 303
    assert "Anouk B." not in coordinator.get("/removals").text


def test_removal_is_refused_for_someone_who_did_not_ask(client):
    login(client, "coordinator")
    with database.connection_context():
        bram = Person.get(Person.display_name == "Bram").id
    assert post(client, f"/removals/{bram}/confirm").status_code == 400
    with database.connection_context():
        assert Person.get_by_id(bram).display_name == "Bram"


def test_my_account_page_and_the_other_pages_have_no_inline_styles(client):
    login(client, "beheer")
    for url in ("/account", "/admin/rights", "/audit", "/removals", "/accounts/links"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "style=" not in response.text, url


def test_a_project_coordinator_sees_only_their_projects_in_the_audit_log(client):
    with database.connection_context():
        woordwerk = Project.get(Project.name == "Uitgeverij Woordwerk")
        fietswerk = Project.get(Project.name == "Fietswerkplaats Op Weg")
        Grant.create(account=account_id("anouk"), right="coordinator", project=woordwerk)
        audit.record(None, "project.update", woordwerk, project=woordwerk.id, note="")
        audit.record(None, "notice.secret", fietswerk, project=fietswerk.id)
    login(client, "anouk")
    page = client.get("/audit").text
    assert "Tafel paste het project Uitgeverij Woordwerk aan" in page
    assert "Tafel veranderde iets" not in page  # the other project's line


def test_nobody_removes_the_last_administrator(client):
    with database.connection_context():
        sam = Person.get(Person.display_name == "Sam (beheer)")
        Person.update(removal_requested_at=sam.created_at).where(Person.id == sam.id).execute()
    login(client, "coordinator")
    response = post(client, f"/removals/{sam.id}/confirm")
    assert response.status_code == 400
    assert "Dit is de laatste beheerder." in response.text
    with database.connection_context():
        assert Account.select().where(Account.username == "beheer").exists()


def test_erasing_someone_also_erases_their_answers_and_username_from_the_audit_log(
    client, as_viewer
):
    login(client, "anouk")
    assert post(client, "/my-path/background", {"answer": "yes"}).status_code < 400
    assert post(client, "/account/removal", follow_redirects=False).status_code == 303
    with database.connection_context():
        person = Person.get(Person.display_name == "Anouk B.")
        audit.record(None, "account.create", None, person=person.id, after={"username": "anouk"})
        assert AuditEntry.select().where(AuditEntry.after.contains("client_background")).exists()
    coordinator = as_viewer("coordinator")
    confirmed = {"confirmed": "1", "accept_below": "y"}
    assert post(coordinator, f"/removals/{person.id}/confirm", confirmed).status_code < 400
    with database.connection_context():
        lines = list(AuditEntry.select().where(AuditEntry.person == person.id))
        assert lines
        for line in lines:
            for text in (line.before, line.after):
                assert "client_background" not in text and "anouk" not in text
