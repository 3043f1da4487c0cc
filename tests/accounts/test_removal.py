"""Removing someone without an account (issue 12 point 8): a coordinator of the person starts
it with a reason, a second coordinator confirms it or anyone with the right cancels it; the
starter can only withdraw. Bram has no account and is in Woordwerk and Fietswerkplaats; Kim
(`coordinator`) coordinates the organisation; Rik (`penningmeester`) gets the coordinator
right for Woordwerk in these tests, to be the second coordinator."""

import difflib
import re

import pytest

from models.accounts.audit import AuditEntry
from models.accounts.tables import Account, Grant, RemovalRequest
from models.db import database
from models.organisation import Project
from models.person import Person
from tests.accounts.conftest import new_link, use
from tests.accounts.test_audit_log import audit_text
from tests.conftest import MEMBER_PROJECT, OTHER_PROJECT, post, without_tokens

REASON = "Bram is verhuisd en komt niet meer."
CONFIRMED = {"confirmed": "1", "accept_below": "y"}


def coordinate(username: str, project_name: str) -> None:
    """Give a demo account the coordinator right for one project."""
    with database.connection_context():
        Grant.create(
            account=Account.get(Account.username == username),
            right="coordinator",
            project=Project.get(Project.name == project_name),
        )


def pid(name: str) -> int:
    with database.connection_context():
        return Person.get(Person.display_name == name).id


def requests_of(person_id: int) -> list[tuple]:
    with database.connection_context():
        return list(
            RemovalRequest.select(RemovalRequest.state, RemovalRequest.reason)
            .where(RemovalRequest.person == person_id)
            .order_by(RemovalRequest.id)
            .tuples()
        )


def open_id(person_id: int) -> int:
    with database.connection_context():
        return RemovalRequest.open_for(person_id).id


def actions_about(person_id: int) -> list[str]:
    with database.connection_context():
        return [
            a.action
            for a in AuditEntry.select(AuditEntry.action)
            .where(AuditEntry.person == person_id)
            .order_by(AuditEntry.id)
            if a.action.startswith("person.")
        ]


def start(client, person_id: int, reason: str = REASON):
    return post(client, f"/people/{person_id}/removal", {"reason": reason}, follow_redirects=False)


def answer(client, person_id: int, what: str, request_id, confirmed: bool = False) -> object:
    """Confirm or cancel; `confirmed` answers the what-if of the 51% check that confirming
    shows first (confirmed, with the box for a fall below 51% ticked)."""
    data = {"request": str(request_id)}
    if confirmed:
        data |= CONFIRMED
    return post(client, f"/people/{person_id}/removal/{what}", data, follow_redirects=False)


@pytest.fixture
def second(as_viewer):
    """Rik, coordinator of Woordwerk (one of Bram's projects): the second coordinator."""
    coordinate("penningmeester", MEMBER_PROJECT)
    return as_viewer("penningmeester")


def test_a_coordinator_starts_and_a_second_coordinator_confirms(as_viewer, second, db):
    bram = pid("Bram")
    kim = as_viewer("coordinator")
    page = kim.get(f"/people/{bram}/removal")
    assert page.status_code == 200 and "Verwijderen starten" in page.text
    response = start(kim, bram)
    assert response.status_code == 303
    assert response.headers["location"] == f"/people/{bram}/removal?done=started"
    assert requests_of(bram) == [("open", REASON)]
    shown = kim.get(f"/people/{bram}/removal").text
    assert "Een andere coördinator moet het bevestigen" in shown
    assert "Bevestigen: Bram verwijderen" not in shown  # the starter gets no confirm button

    # Rik reads the name, the projects, the reason and who started it, and confirms.
    page = second.get(f"/people/{bram}/removal").text
    for seen in ("Bram", MEMBER_PROJECT, OTHER_PROJECT, REASON, "Kim (coördinatie)"):
        assert seen in page
    assert "Bevestigen: Bram verwijderen" in page
    assert "Bram" in second.get("/removals").text
    # Confirming first shows what removing Bram (ending his memberships) does to the 51%
    # check, as ending a membership does; nothing changes yet.
    response = answer(second, bram, "confirm", open_id(bram))
    assert response.status_code == 200 and "Controleer voor je opslaat" in response.text
    assert f'action="/people/{bram}/removal/confirm"' in response.text
    assert f'href="/people/{bram}/removal"' in response.text  # "Terug"
    # The final button says what it does (issue 22), not "Opslaan".
    assert '<button type="submit">Deze persoon verwijderen</button>' in response.text
    assert '<button type="submit">Opslaan</button>' not in response.text
    with database.connection_context():
        assert not Person.get_by_id(bram).is_former
    response = answer(second, bram, "confirm", open_id(bram), confirmed=True)
    assert response.status_code == 303 and response.headers["location"] == "/removals?done=removed"
    with database.connection_context():
        erased = Person.get_by_id(bram)
    assert erased.is_former and erased.display_name is None
    # The reason may name the person: it goes from the request and from the history too.
    assert requests_of(bram) == [("confirmed", "")]
    with database.connection_context():
        lines = AuditEntry.select().where(AuditEntry.person == bram)
        assert not any(REASON in (line.after + line.before) for line in lines)
    assert actions_about(bram)[-3:] == [
        "person.removal_start",
        "person.preview_removal",
        "person.removal_confirm",
    ]
    assert "De persoon is verwijderd" in second.get("/removals?done=removed").text


def test_the_starter_cannot_confirm_their_own_removal(as_viewer, db):
    bram = pid("Bram")
    kim = as_viewer("coordinator")
    start(kim, bram)
    response = answer(kim, bram, "confirm", open_id(bram))
    assert response.status_code == 400
    assert "Je bent dit verwijderen zelf gestart" in response.text
    with database.connection_context():
        assert not Person.get_by_id(bram).is_former
    assert requests_of(bram) == [("open", REASON)]


def test_the_starter_withdraws_and_another_coordinator_cancels(as_viewer, second, db):
    bram = pid("Bram")
    kim = as_viewer("coordinator")
    start(kim, bram)
    response = answer(kim, bram, "cancel", open_id(bram))
    assert response.headers["location"] == f"/people/{bram}/removal?done=withdrawn"
    assert "Je hebt het verwijderen ingetrokken" in kim.get(response.headers["location"]).text
    # A new removal can be started, and a second coordinator can cancel it.
    start(kim, bram, "Tweede keer.")
    response = answer(second, bram, "cancel", open_id(bram))
    assert response.headers["location"] == f"/people/{bram}/removal?done=cancelled"
    assert requests_of(bram) == [("cancelled", REASON), ("cancelled", "Tweede keer.")]
    with database.connection_context():
        assert not Person.get_by_id(bram).is_former
    assert actions_about(bram)[-4:] == [
        "person.removal_start",
        "person.removal_withdraw",
        "person.removal_start",
        "person.removal_cancel",
    ]
    # Every step reads as a sentence in the audit log, with the reason it was started with.
    text = audit_text(kim)
    assert "Kim (coördinatie) startte het verwijderen van Bram" in text
    assert "Kim (coördinatie) trok het verwijderen van Bram in" in text
    assert "Rik (penningmeester) stopte het verwijderen van Bram" in text
    assert "Reden: Tweede keer." in text


def test_a_closed_request_cannot_be_confirmed_afterwards(as_viewer, second, db):
    bram = pid("Bram")
    kim = as_viewer("coordinator")
    start(kim, bram)
    old = open_id(bram)
    answer(kim, bram, "cancel", old)
    start(kim, bram, "Een nieuwe reden.")
    # Rik's page still showed the old request: confirming it confirms nothing.
    response = answer(second, bram, "confirm", old)
    assert response.status_code == 400 and "intussen bevestigd of gestopt" in response.text
    with database.connection_context():
        assert not Person.get_by_id(bram).is_former


@pytest.mark.parametrize("viewer", ["member", "other"])
def test_members_may_not_start_confirm_or_cancel(as_viewer, viewer, db):
    bram = pid("Bram")
    kim = as_viewer("coordinator")
    start(kim, bram)
    client = as_viewer(viewer)
    assert client.get(f"/people/{bram}/removal").status_code == 403
    assert start(client, bram).status_code == 403
    for what in ("confirm", "cancel"):
        assert answer(client, bram, what, open_id(bram)).status_code == 403
    assert requests_of(bram) == [("open", REASON)]
    assert client.get("/removals").status_code == 403


def test_no_account_is_sent_to_log_in(client, db):
    bram = pid("Bram")
    response = client.get(f"/people/{bram}/removal", follow_redirects=False)
    assert response.status_code in (302, 303) and response.headers["location"].startswith("/login")
    response = post(client, f"/people/{bram}/removal", {"reason": REASON}, follow_redirects=False)
    assert response.headers["location"].startswith("/login")
    assert requests_of(bram) == []


def test_the_person_themself_cannot_use_the_removal_page(as_viewer, db):
    """Someone with an account asks on My account; their own removal page is not theirs."""
    anouk = as_viewer("member")
    assert anouk.get(f"/people/{pid('Anouk B.')}/removal").status_code == 403


def test_a_person_with_an_account_is_told_to_ask_themselves(as_viewer, db):
    anouk = pid("Anouk B.")
    kim = as_viewer("coordinator")
    assert "Die kan zelf vragen om verwijderd te worden" in kim.get(f"/people/{anouk}/removal").text
    response = start(kim, anouk)
    assert response.status_code == 400 and "Die kan zelf vragen" in response.text
    assert requests_of(anouk) == []


def test_a_coordinator_of_another_project_may_not(as_viewer, db):
    """Rik coordinates Fietswerkplaats only; Dewi is in Woordwerk only."""
    coordinate("penningmeester", OTHER_PROJECT)
    rik = as_viewer("penningmeester")
    dewi = pid("Dewi")
    assert rik.get(f"/people/{dewi}/removal").status_code == 403
    assert start(rik, dewi).status_code == 403
    assert requests_of(dewi) == []
    # Bram is in Fietswerkplaats too: Rik may start his removal.
    assert start(rik, pid("Bram")).status_code == 303


def test_a_bad_reason_and_a_second_start_are_refused(as_viewer, db):
    bram = pid("Bram")
    kim = as_viewer("coordinator")
    for reason in ("", "   ", "x" * 1001):
        response = start(kim, bram, reason)
        assert response.status_code == 400
        assert re.search(r'<p class="error" id="reason-error">', response.text)
    assert requests_of(bram) == []
    start(kim, bram)
    response = start(kim, bram, "Nog een keer.")
    assert response.status_code == 400 and "is al gestart" in response.text
    assert requests_of(bram) == [("open", REASON)]


@pytest.mark.parametrize(
    "url",
    [
        "/people/999999/removal",
        "/people/99999999999999999999/removal",
        "/people/0/removal",
        "/people/-1/removal",
        "/people/abc/removal",
    ],
)
def test_a_forged_person_id_is_a_404(as_viewer, url, db):
    kim = as_viewer("coordinator")
    assert kim.get(url).status_code == 404
    for path in (url, url + "/confirm", url + "/cancel"):
        response = post(kim, path, {"reason": REASON, "request": "1"})
        assert response.status_code == 404


@pytest.mark.parametrize("forged", ["", "abc", "0", "-1", "99999999999999999999", "1e3", "٣"])
def test_a_forged_request_id_changes_nothing(as_viewer, second, forged, db):
    bram = pid("Bram")
    start(as_viewer("coordinator"), bram)
    for what in ("confirm", "cancel"):
        response = answer(second, bram, what, forged)
        assert response.status_code == 400, response.text[:300]
    # Another person's request id does not work through Bram's page either.
    dewi = pid("Dewi")
    response = answer(second, dewi, "confirm", open_id(bram))
    assert response.status_code == 400
    assert requests_of(bram) == [("open", REASON)]


def background_is(name: str, answer: str, share: bool) -> None:
    with database.connection_context():
        Person.update(client_background=answer, share_background=share).where(
            Person.display_name == name
        ).execute()


def test_the_removal_pages_never_depend_on_the_answer(as_viewer, second, db):
    """Differential: the pages are the same whatever Bram answered (and whether he shares
    it with his coordinators), for the starter and for the second coordinator."""
    bram = pid("Bram")
    kim = as_viewer("coordinator")
    start(kim, bram)
    pages = {}
    for answer_, share in (("yes", False), ("no", False), ("not_said", False), ("yes", True)):
        background_is("Bram", answer_, share)
        pages[answer_, share] = [
            without_tokens(client.get(url).text)
            for client in (kim, second)
            for url in (f"/people/{bram}/removal", "/removals")
        ]
    first = next(iter(pages.values()))
    for case, shown in pages.items():
        for a, b in zip(first, shown, strict=True):
            assert a == b, (case, "\n".join(difflib.unified_diff(a.splitlines(), b.splitlines())))
    for words in ("Ervaring als cliënt", "Zeg ik liever niet"):
        assert words not in first[0]


def test_the_removal_page_runs_a_fixed_number_of_queries(as_viewer, count_queries, db):
    bram = pid("Bram")
    kim = as_viewer("coordinator")
    before = count_queries(kim, f"/people/{bram}/removal")
    start(kim, bram)
    assert count_queries(kim, f"/people/{bram}/removal") <= before + 1


def test_someone_who_got_an_account_meanwhile_asks_themselves(as_viewer, second, client, db):
    """Bram opens his invite link after Kim started his removal: confirming is refused (he can
    ask himself now); once he asked and was removed, nothing is left open."""
    bram = pid("Bram")
    kim = as_viewer("coordinator")
    start(kim, bram)
    _, token = new_link("Bram")
    assert use(client, token, username="bram").status_code == 303
    response = answer(second, bram, "confirm", open_id(bram))
    assert response.status_code == 400 and "Die kan zelf vragen" in response.text
    with database.connection_context():
        assert not Person.get_by_id(bram).is_former
    assert post(client, "/account/removal", follow_redirects=False).status_code == 303
    assert (
        post(kim, f"/removals/{bram}/confirm", CONFIRMED, follow_redirects=False).status_code == 303
    )
    assert requests_of(bram) == [("cancelled", "")]
    assert "Bekijk het verwijderen" not in kim.get("/removals").text
