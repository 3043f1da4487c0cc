"""Issue 22: consent asked where it is natural. After a person gave an answer, one plain
question (at login and on Mijn pad) whether the coordinators of their projects may know it;
"nee" is the default; once they chose, it is not asked again (docs/rules.md "Consent, asked
once")."""

from models.db import database
from models.people import Person
from tests.conftest import PASSWORDS, csrf_of, post


def _unchosen(name: str, answer: str = "yes") -> None:
    with database.connection_context():
        Person.update(share_chosen_on=None, client_background=answer).where(
            Person.display_name == name
        ).execute()


def _login(client, username):
    return client.post(
        "/login",
        data={
            "username": username,
            "password": PASSWORDS[username],
            "csrf_token": csrf_of(client),
        },
        follow_redirects=False,
    )


def test_the_question_comes_once_after_login_with_no_as_the_default(as_viewer, db):
    _unchosen("Anouk B.")
    client = as_viewer("anonymous")
    response = _login(client, "anouk")
    assert response.headers["location"].startswith("/my-path/share")
    page = client.get(response.headers["location"]).text
    assert "Mogen de coördinatoren van je projecten je antwoord weten?" in page
    assert (
        'checked id="share-0"' in page
        or 'id="share-0" name="share" type="radio" value="no"' in (page)
    )
    assert "Allebei is goed" in page  # no pressure either way
    saved = post(client, "/my-path/share", {"share": "no", "next": "/"}, follow_redirects=False)
    assert saved.status_code == 303 and saved.headers["location"] == "/"
    with database.connection_context():
        anouk = Person.get(Person.display_name == "Anouk B.")
        assert anouk.share_chosen_on is not None and not anouk.share_background
    # Chosen: not asked again, at login nor on Mijn pad.
    client.post("/logout", data={"csrf_token": csrf_of(client, "/")})
    assert _login(client, "anouk").headers["location"] == "/"
    assert "Mogen de coördinatoren" not in client.get("/my-path").text


def test_on_mijn_pad_the_question_shows_until_answered_and_yes_shares(as_viewer, db):
    _unchosen("Anouk B.")
    anouk = as_viewer("member")
    assert (
        "Mogen de coördinatoren van je projecten je antwoord weten?" in anouk.get("/my-path").text
    )
    post(anouk, "/my-path/share", {"share": "yes", "next": "/my-path"})
    with database.connection_context():
        person = Person.get(Person.display_name == "Anouk B.")
        assert person.share_background and person.background_shared_at is not None
    assert "Mogen de coördinatoren" not in anouk.get("/my-path").text


def test_no_question_without_an_answer(as_viewer, db):
    _unchosen("Anouk B.", "not_said")
    client = as_viewer("anonymous")
    assert _login(client, "anouk").headers["location"] == "/"
    assert "Mogen de coördinatoren" not in client.get("/my-path").text
    # The page itself sends on when there is nothing to ask.
    assert client.get("/my-path/share?next=/", follow_redirects=False).status_code == 303
