"""Issue 19: an account held through someone else's link holds back what its maker may not
see, on every page and in every line those flows write.

- Signals the person sent without their name do not show as theirs anywhere while the
  account is held (not only in "my data"): the project's signals page shows no name on any
  signal sent without one, with a sentence saying why.
- Differential: two databases that differ only in one person's client-background answer look
  the same to the coordinator who makes her links and to a member, on the link pages,
  /accounts/held, the notice and its answers, "my data" of the held account, the signals page,
  and the audit log lines those flows write (read as the coordinator).
"""

import re

import pytest
from starlette.testclient import TestClient

from models.accounts import Account
from models.actor import Actor
from models.db import database, open_database
from models.meetings.signals import add_signal
from models.organisation import Project
from models.person import Person
from tests.accounts.conftest import GOOD, use
from tests.accounts.test_link_privacy import _normalised
from tests.conftest import MEMBER_PROJECT, OTHER_PROJECT, build_demo, csrf_of, login, post

HELD_SENTENCE = "ideeën en problemen zonder naam hier geen naam"


def _link_for(maker: TestClient, person_id: int) -> tuple[int, str]:
    made = post(maker, "/accounts/links", {"person": person_id}, follow_redirects=False)
    assert made.status_code == 303, made.text[-800:]
    slip = maker.get(made.headers["location"])
    token = re.search(r'href="[^"]+/welcome/([^"]+)"', slip.text).group(1)
    return int(made.headers["location"].rsplit("/", 1)[1]), token


def _signal_meta(page: str, text: str) -> str:
    """The meta line (date · who) of the signal with this text on the signals page."""
    item = re.search(re.escape(text) + r'</p>\s*<p class="meta">([^<]*)</p>', page)
    assert item, text
    return item.group(1)


def test_a_held_account_does_not_show_which_signals_its_person_sent_without_a_name(app):
    with database.connection_context():
        anouk = Account.get(Account.username == "anouk")
        project = Project.get(Project.name == MEMBER_PROJECT).id
        own = Actor(account_id=anouk.id, person_id=anouk.person_id)
        add_signal(project, "idea", "Een stille hoek om te lezen.", actor=own, anonymous=True)
        add_signal(project, "idea", "Koffie op vrijdag.", actor=own, anonymous=False)
    url = f"/projects/{project}/signals"
    # Anouk herself, before: her own signal without a name shows her name to her.
    real = login(TestClient(app), "anouk")
    page = real.get(url).text
    assert "Anouk B." in _signal_meta(page, "Een stille hoek om te lezen.")
    assert HELD_SENTENCE not in page
    # Kim makes a new-password link for Anouk; an administrator approves it (Anouk manages
    # a sub-budget); Kim uses it.
    kim = login(TestClient(app), "coordinator")
    link_id, token = _link_for(kim, anouk.person_id)
    admin = login(TestClient(app), "beheer")
    assert post(admin, f"/accounts/links/{link_id}/approve", follow_redirects=False).status_code
    held = TestClient(app)
    assert use(held, token).status_code == 303
    page = held.get(url).text
    assert "Anouk B." not in _signal_meta(page, "Een stille hoek om te lezen.")
    assert "naam niet zichtbaar" in _signal_meta(page, "Een stille hoek om te lezen.")
    assert "Anouk B." in _signal_meta(page, "Koffie op vrijdag.")  # sent with her name
    assert HELD_SENTENCE in page
    # The same for every signal sent without a name: her own is not told apart.
    metas = re.findall(r'<p class="meta">([^<]*)</p>', page)
    assert not any("niet zichtbaar voor andere leden" in meta for meta in metas)
    # The organisation coordinator herself still sees names (what she may see anyway).
    assert "Anouk B." in _signal_meta(kim.get(url).text, "Een stille hoek om te lezen.")
    # Taken back in person: the names show again.
    form = {"password": GOOD + " twee", "repeat": GOOD + " twee", "seen": "y"}
    taken = post(admin, f"/accounts/held/{anouk.person_id}", form, follow_redirects=False)
    assert taken.status_code == 303
    data = {"username": "anouk", "password": GOOD + " twee", "csrf_token": csrf_of(held)}
    assert held.post("/login", data=data, follow_redirects=False).status_code == 303
    page = held.get(url).text
    assert "Anouk B." in _signal_meta(page, "Een stille hoek om te lezen.")
    assert HELD_SENTENCE not in page


# --- differential --------------------------------------------------------------------------

PERSON = "Wendy"


def _answer_path(url: str, answer: str) -> list[tuple]:
    """The coordinator (no privacy right) searches for PERSON, makes her link, uses it; the
    held account looks at its notice, my data, the signals; logs in again, answers "I used it
    myself"; the coordinator makes a new-password link, uses it, and answers "this was not
    me"; an administrator takes the account back. What the coordinator and a member see on
    the way, and the audit log as the coordinator reads it, is returned."""
    from webapp.app import create_app

    open_database(url)
    with database.connection_context():
        Person.update(client_background=answer).where(Person.display_name == PERSON).execute()
        person_id = Person.get(Person.display_name == PERSON).id
        project = Project.get(Project.name == OTHER_PROJECT).id
        add_signal(project, "problem", "Te weinig licht.", actor=Actor(person_id=person_id),
                   anonymous=True)  # fmt: skip
    app = create_app(url)
    seen = []
    tokens = []
    with TestClient(app) as kim, TestClient(app) as member, TestClient(app) as held:
        login(kim, "coordinator")
        login(member, "anouk")
        for viewer, client in (("kim", kim), ("member", member)):
            for page in ("/accounts/links?q=Wen", "/accounts/held", "/audit"):
                seen.append((viewer, page, client.get(page)))
        link_id, token = _link_for(kim, person_id)
        tokens.append(token)
        seen.append(("kim", "slip", kim.get(f"/accounts/links/{link_id}")))
        seen.append(("held", "use", use(held, token, username="wendy")))
        held_pages = ["/account/links-made", "/account/my-data", "/account/download",
                      f"/projects/{project}/signals", "/my-path", "/"]  # fmt: skip
        seen.extend(("held", page, held.get(page)) for page in held_pages)
        post(held, "/logout")
        data = {"username": "wendy", "password": GOOD, "csrf_token": csrf_of(held)}
        seen.append(("held", "login", held.post("/login", data=data, follow_redirects=False)))
        answer_mine = {"link": link_id, "answer": "mine", "next": "/"}
        seen.append(("held", "mine", post(held, "/account/links-made", answer_mine,
                                          follow_redirects=False)))  # fmt: skip
        seen.extend(("held", page, held.get(page)) for page in held_pages)
        reset_id, token = _link_for(kim, person_id)
        tokens.append(token)
        seen.append(("kim", "reset slip", kim.get(f"/accounts/links/{reset_id}")))
        seen.append(("held", "reset", use(held, token)))
        answer_not_me = {"link": reset_id, "answer": "not_me", "next": "/"}
        seen.append(("held", "not me", post(held, "/account/links-made", answer_not_me,
                                            follow_redirects=False)))  # fmt: skip
        admin = login(TestClient(app), "beheer")
        form = {"password": GOOD + " twee", "repeat": GOOD + " twee", "seen": "y"}
        assert post(admin, f"/accounts/held/{person_id}", form).status_code in (200, 303)
        for viewer, client in (("kim", kim), ("member", member)):
            for page in ("/accounts/links?q=Wen", "/accounts/held", "/audit", "/"):
                seen.append((viewer, page, client.get(page)))
    database.close()
    result = []
    for viewer, label, response in seen:
        text = response.text
        for token in tokens:
            text = _normalised(text, token)
        # The moment in a downloaded file's note and the link ids are the same in both.
        result.append((viewer, label, response.status_code, response.headers.get("location"),
                       _normalised(text)))  # fmt: skip
    return result


@pytest.mark.parametrize("other_answer", ["no", "not_said"])
def test_the_link_flows_look_the_same_whatever_the_answer(databases, data_dir, other_answer):
    first, second = databases.fresh(build_demo), databases.fresh(build_demo)
    try:
        seen_yes = _answer_path(first, "yes")
        seen_other = _answer_path(second, other_answer)
    finally:
        databases.discard(first)
        databases.discard(second)
    assert [row[:2] for row in seen_yes] == [row[:2] for row in seen_other]
    for one, other in zip(seen_yes, seen_other, strict=True):
        assert one == other, one[:4]
    statuses = {(viewer, label): status for viewer, label, status, *_ in seen_yes}
    assert statuses[("held", "use")] == 303 and statuses[("kim", "/audit")] == 200
    assert statuses[("kim", "/accounts/held")] == 403
    # The audit log the coordinator reads holds the lines of these flows.
    audit = [
        text for viewer, label, _s, _l, text in seen_yes if (viewer, label) == ("kim", "/audit")
    ]
    assert "link" in audit[-1]
