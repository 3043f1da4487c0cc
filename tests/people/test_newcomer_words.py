"""Issue 22: privacy words that do not confuse newcomers (docs/rules.md "Privacy words for
newcomers"): the note that an earlier answer is held back shows once, with what to do; right
after using a link oneself the link notice is calm; the hint about small groups is for
coordinators; "niet te zeggen" is gone."""

import re

from models.db import database
from models.organisation import Project
from models.people import Person
from tests.accounts.conftest import GOOD
from tests.accounts.test_link_privacy import PERSON, _held_account
from tests.conftest import csrf_of, post

ONCE = "We zeggen dit één keer."


def test_the_held_back_note_shows_once_with_what_to_do(client):
    _held_account(client)
    first = client.get("/my-path").text
    assert ONCE in first and "Geef hieronder je antwoord" in first
    second = client.get("/my-path").text
    assert ONCE not in second
    assert 'action="/my-path/background"' in second  # the answer form stays
    # Giving the answer ends the hold; a later hold would tell them again.
    post(client, "/my-path/background", {"answer": "no"})
    with database.connection_context():
        assert Person.get(Person.display_name == PERSON).held_note_on is None


def test_the_next_login_after_using_a_link_oneself_is_calm(client):
    _held_account(client)
    post(client, "/logout")
    data = {"username": "bram", "password": GOOD, "csrf_token": csrf_of(client)}
    response = client.post("/login", data=data, follow_redirects=False)
    notice = client.get(response.headers["location"]).text
    assert "Er is niets aan de hand." in notice
    assert "Kies dan „Ik heb deze link zelf gebruikt”" in notice
    assert "We vragen het bij elke keer inloggen opnieuw" not in notice


def test_the_small_group_hint_is_for_coordinators(as_viewer, db):
    with database.connection_context():
        woordwerk = Project.get(Project.name == "Uitgeverij Woordwerk").id
    hint = "Sommige kleine groepen hebben antwoorden die privé zijn"
    assert hint in as_viewer("coordinator").get(f"/projects/{woordwerk}").text
    assert hint not in as_viewer("member").get(f"/projects/{woordwerk}").text


def test_no_screen_says_niet_te_zeggen():
    with open("translations/nl/LC_MESSAGES/people.po", encoding="utf-8") as po:
        assert not re.search(r"niet te zeggen", po.read(), re.I)
