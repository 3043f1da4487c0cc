"""A link is not a key to someone's health data (issue 11 point 2).

A coordinator without the privacy right makes a link for a person with a recorded
client-background answer and uses it: every response on that path is the same whatever the
answer (two databases that differ only in it). The person gives their answer again to see
it; links made by a privacy-right holder or with the `tafel` command hold nothing; and at
every login until they answer, the person is told which links were made for them, by whom
and when.
"""

import json
import re

import pytest
from starlette.testclient import TestClient

from models.accounts import AccessLink, Account, Grant
from models.accounts.links import invite
from models.db import database, open_database
from models.people import Membership
from models.person import Person
from tests.accounts.conftest import GOOD, use
from tests.conftest import build_demo, csrf_of, login, post

PERSON = "Bram"


def _normalised(text: str, token: str = "") -> str:
    """A response without what differs on every run: CSRF tokens, the link's random token
    and the QR code made of it."""
    text = re.sub(r'name="csrf_token" value="[^"]*"', 'name="csrf_token" value=""', text)
    text = re.sub(r'"X-CSRFToken":\s*"[^"]*"', '"X-CSRFToken": ""', text)
    text = re.sub(r"data:image/svg\+xml[^\"']*", "QR", text)
    return text.replace(token, "TOKEN") if token else text


def _person_pages(person_id: int) -> list[str]:
    """Every page the person's new account is likely to open, their projects' included."""
    projects = [m.project_id for m in Membership.select().where(Membership.person == person_id)]
    return [
        "/",
        "/my-path",
        f"/people/{person_id}",
        "/account",
        "/account/download",
        "/account/links-made",
        "/projects",
        *(f"/projects/{project}" for project in projects),
    ]


def _the_coordinator_s_path(url: str, answer: str, data_dir) -> list[tuple]:
    """The coordinator (no privacy right) makes a link for PERSON, opens it, makes the
    account and looks around as PERSON, then logs in with the password they chose."""
    from webapp.app import create_app

    open_database(url)
    with database.connection_context():
        Person.update(client_background=answer).where(Person.display_name == PERSON).execute()
        person_id = Person.get(Person.display_name == PERSON).id
        pages = _person_pages(person_id)
    app = create_app(url)
    seen = []
    with TestClient(app) as coordinator, TestClient(app) as as_person:
        login(coordinator, "coordinator")
        seen.append(("links", coordinator.get("/accounts/links")))
        made = post(coordinator, "/accounts/links", {"person": person_id}, follow_redirects=False)
        seen.append(("made", made))
        slip = coordinator.get(made.headers["location"])
        token = re.search(r'href="[^"]+/welcome/([^"]+)"', slip.text).group(1)
        seen.append(("slip", slip))
        seen.append(("welcome", as_person.get(f"/welcome/{token}")))
        seen.append(("use", use(as_person, token, username="bram-echt")))
        seen.extend((page, as_person.get(page)) for page in pages)
        post(as_person, "/logout")
        data = {"username": "bram-echt", "password": GOOD, "csrf_token": csrf_of(as_person)}
        seen.append(("login", as_person.post("/login", data=data)))
        seen.extend((page, as_person.get(page)) for page in pages)
    database.close()
    return [
        (
            label,
            response.status_code,
            response.headers.get("location"),
            _normalised(response.text, token),
        )
        for label, response in seen
    ]


@pytest.mark.parametrize("other_answer", ["no", "not_said"])
def test_a_coordinator_s_link_shows_the_same_whatever_the_answer(databases, data_dir, other_answer):
    first, second = databases.fresh(build_demo), databases.fresh(build_demo)
    try:
        seen_yes = _the_coordinator_s_path(first, "yes", data_dir)
        seen_other = _the_coordinator_s_path(second, other_answer, data_dir)
    finally:
        databases.discard(first)
        databases.discard(second)
    assert [label for label, *_ in seen_yes] == [label for label, *_ in seen_other]
    for one, other in zip(seen_yes, seen_other, strict=True):
        assert one == other, one[0]
    statuses = {label: status for label, status, *_ in seen_yes}
    assert statuses["use"] == 303 and statuses["/my-path"] == 200


def _held_account(client, made_by: str = "coordinator"):
    """PERSON's account, opened through a link that `made_by` made."""
    maker = TestClient(client.app)
    login(maker, made_by)
    with database.connection_context():
        person_id = Person.get(Person.display_name == PERSON).id
    made = post(maker, "/accounts/links", {"person": person_id}, follow_redirects=False)
    slip = maker.get(made.headers["location"])
    token = re.search(r'href="[^"]+/welcome/([^"]+)"', slip.text).group(1)
    assert use(client, token, username="bram").status_code == 303
    return person_id


def _my_answer(client) -> str | None:
    """The answer My path shows as chosen (None: none chosen)."""
    checked = re.search(
        r'<input checked[^>]*name="answer"[^>]*value="(\w+)"', client.get("/my-path").text
    )
    return checked.group(1) if checked else None


def test_the_person_gives_their_answer_again_to_see_it(client):
    _held_account(client)
    # The note says what to do, once (issue 22); the answer stays held back.
    assert "Geef hieronder je antwoord" in client.get("/my-path").text
    assert _my_answer(client) is None
    # My data is held back as a whole while the maker's link holds the account (issue 19).
    download = json.loads(client.get("/account/download").text)
    assert "person" not in download and "link that someone else made" in download["held"]
    response = post(client, "/my-path/background", {"answer": "no"}, follow_redirects=False)
    assert response.status_code == 303
    assert _my_answer(client) == "no"
    with database.connection_context():
        assert not Account.get(Account.username == "bram").background_held
    assert "person" not in json.loads(client.get("/account/download").text)
    # Taken back in person with an administrator: the file shows everything again.
    admin = login(TestClient(client.app), "beheer")
    with database.connection_context():
        person_id = Person.get(Person.display_name == PERSON).id
    form = {"password": GOOD + " twee", "repeat": GOOD + " twee", "seen": "y"}
    taken = post(admin, f"/accounts/held/{person_id}", form, follow_redirects=False)
    assert taken.status_code == 303
    login_as_bram = {"username": "bram", "password": GOOD + " twee"}
    client.post("/login", data={**login_as_bram, "csrf_token": csrf_of(client)})
    assert json.loads(client.get("/account/download").text)["person"]["client_background"] == "no"


def test_a_link_made_by_a_privacy_right_holder_holds_nothing(client):
    with database.connection_context():
        Grant.create(account=Account.get(Account.username == "coordinator"), right="privacy")
    _held_account(client)
    assert _my_answer(client) == "yes"


def test_a_link_made_with_the_tafel_command_holds_nothing(client):
    with database.connection_context(), database.atomic():
        _person, _link, token = invite(PERSON)
    assert use(client, token, username="bram").status_code == 303
    assert _my_answer(client) == "yes"


def test_a_reset_link_made_by_a_coordinator_holds_the_answer_too(client):
    with database.connection_context():
        anouk = Person.get(Person.display_name == "Anouk B.").id
    maker = TestClient(client.app)
    login(maker, "coordinator")
    made = post(maker, "/accounts/links", {"person": anouk}, follow_redirects=False)
    token = re.search(r"/welcome/([^\"]+)\"", maker.get(made.headers["location"]).text).group(1)
    # Anouk holds a power (a task in a coming meeting or a sub-budget): an administrator
    # approves the link first.
    assert use(client, token).status_code == 404
    admin = login(TestClient(client.app), "beheer")
    link_id = int(made.headers["location"].rsplit("/", 1)[1])
    assert post(admin, f"/accounts/links/{link_id}/approve").status_code == 200
    assert use(client, token).status_code == 303
    assert _my_answer(client) is None


def test_the_notice_stays_until_the_person_answers_it(client):
    _held_account(client)
    post(client, "/logout")
    data = {"username": "bram", "password": GOOD, "csrf_token": csrf_of(client)}
    response = client.post("/login", data={**data, "next": "/my-path"}, follow_redirects=False)
    assert response.headers["location"] == "/account/links-made?next=/my-path"
    notice = client.get(response.headers["location"])
    assert "Kim (coördinatie) heeft op 17 juni 2026, 10.00 een link voor je gemaakt." in notice.text
    assert "Die is gebruikt op 17 juni 2026, 10.00." in notice.text
    assert "Ik heb deze link zelf gebruikt" in notice.text and "Dit was ik niet" in notice.text
    assert 'href="/my-path"' in notice.text
    # A login marks nothing as seen: whoever logs in next is shown it again.
    assert "Kim (coördinatie)" in client.get("/account/links-made").text
    post(client, "/logout")
    data["csrf_token"] = csrf_of(client)
    again = client.post("/login", data=data, follow_redirects=False)
    assert again.headers["location"] == "/account/links-made?next=/"
    # Answered: gone, and the next login goes straight on.
    with database.connection_context():
        link_id = AccessLink.get(AccessLink.person == Person.get(Person.display_name == PERSON)).id
    answered = post(
        client,
        "/account/links-made",
        {"link": link_id, "answer": "mine", "next": "/my-path"},
        follow_redirects=False,
    )
    assert answered.headers["location"] == "/my-path"
    assert "Kim (coördinatie)" not in client.get("/account/links-made").text
    post(client, "/logout")
    data["csrf_token"] = csrf_of(client)
    assert client.post("/login", data=data, follow_redirects=False).headers["location"] == "/"


def test_a_held_account_cannot_share_the_earlier_answer_with_coordinators(client):
    """Sharing would let the link's maker, a coordinator, see the answer recorded before."""
    person_id = _held_account(client)
    assert 'action="/my-path/background/share"' not in client.get("/my-path").text
    refused = post(client, "/my-path/background/share", {"share": "also"})
    assert refused.status_code == 400
    assert "Geef eerst hierboven opnieuw je antwoord." in refused.text
    with database.connection_context():
        assert not Person.get_by_id(person_id).share_background
    # Once the person gave their answer themselves, they choose freely.
    post(client, "/my-path/background", {"answer": "no"})
    assert post(client, "/my-path/background/share", {"share": "also"}).status_code == 200
    with database.connection_context():
        assert Person.get_by_id(person_id).share_background
