"""`tafel user add` prints a working invite link; `tafel demo` refuses in production."""

import re

from models.accounts import Account, Grant
from models.db import database
from models.person import Person
from tests.accounts.conftest import GOOD
from tests.conftest import csrf_of
from webapp.cli import main


def test_user_add_makes_the_person_and_prints_a_link_that_works(
    client, db_url, monkeypatch, capsys
):
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("TAFEL_BASE_URL", "https://tafel.example.nl")
    assert main(["user", "add", "Nieuwe Naam", "--coordinator", "--admin"]) == 0
    out = capsys.readouterr().out
    url = re.search(r"https://tafel\.example\.nl/welcome/\S+", out).group(0)
    token = url.rsplit("/", 1)[1]
    from webapp.app import create_app

    create_app(db_url)  # the command closed the shared connection; open the test's again
    response = client.post(
        f"/welcome/{token}",
        data={
            "csrf_token": csrf_of(client),
            "username": "nieuw",
            "password": GOOD,
            "repeat": GOOD,
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    with database.connection_context():
        account = Account.get(Account.username == "nieuw")
        assert account.person.display_name == "Nieuwe Naam"
        rights = {g.right for g in Grant.select().where(Grant.account == account.id)}
        assert rights == {"admin", "coordinator"}


def test_user_add_for_someone_with_an_account_prints_a_new_password_link(
    db_url, monkeypatch, capsys
):
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.delenv("TAFEL_BASE_URL", raising=False)
    assert main(["user", "add", "Anouk B."]) == 0
    out = capsys.readouterr().out
    assert "New-password link" in out and "http://127.0.0.1:8000/welcome/" in out


def test_demo_refuses_in_production(db_url, data_dir, monkeypatch, capsys):
    monkeypatch.setenv("TAFEL_ENV", "production")
    monkeypatch.setenv("TAFEL_SECRET_KEY", "k" * 50)
    monkeypatch.setenv("TAFEL_BASE_URL", "http://tafel.test")
    monkeypatch.setenv("DATABASE_URL", db_url)
    from models.db import open_database

    open_database(db_url)
    with database.connection_context():
        before = Person.select().count()
        Account.delete().execute()
    assert main(["demo"]) == 1
    assert "production" in capsys.readouterr().err
    open_database(db_url)
    with database.connection_context():
        assert Account.select().count() == 0
        assert Person.select().count() == before
