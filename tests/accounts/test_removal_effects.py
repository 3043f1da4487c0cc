"""What removing a person does beyond erasing them, and who may (the review of issue 12 point
8): the rota is planned again, so the removed person is no longer chair or minute-taker of a
meeting not started; a removal that may make a group fall below 51% asks for the recorded
confirmation first, as ending a membership does, for a coordinator without the privacy right
too, and that screen never depends on an answer not shared with the viewer; and a coordinator
of a project the person left long ago may not remove them while they are active elsewhere.

Mo has no account and is only in De Schakel's execution (3 of 5 answer yes: without him 2
of 4). Bram chairs Woordwerk's meeting of 4 August 2026; Anouk chairs the one of 7 July."""

import difflib

import pytest

from models.accounts.audit import AuditEntry
from models.accounts.tables import RemovalRequest
from models.db import database
from models.meetings import Meeting
from models.meetings.stored_rota import coming_turns, computed_rota
from models.meetings.turns_by_hand import choose_duo, override_rota
from models.organisation import Project
from models.people import Membership
from models.person import Person
from tests.accounts.test_removal import (
    CONFIRMED,
    REASON,
    answer,
    background_is,
    coordinate,
    open_id,
    pid,
    requests_of,
    start,
)
from tests.conftest import MEMBER_PROJECT, OTHER_PROJECT, post, without_tokens
from tests.meetings.stored_rota_rows import stored_turns
from tests.people.conftest import grant

SCHAKEL = "Computercentrum De Schakel"
WAITING = "1 verzoek om iemand te verwijderen wacht op een tweede coördinator"


def named_in_coming_meetings(person_id: int) -> list:
    """The meetings not started that still name the person as chair, duo or minute-taker."""
    with database.connection_context():
        return list(
            Meeting.select(Meeting.id).where(
                (Meeting.state == "planned")
                & (
                    (Meeting.chair == person_id)
                    | (Meeting.chair_duo == person_id)
                    | (Meeting.minute_taker == person_id)
                )
            )
        )


def assert_stored_rota_in_step(*project_names: str) -> None:
    with database.connection_context():
        for name in project_names:
            project = Project.get(Project.name == name).id
            assert stored_turns(project) == computed_rota(project), name


def test_confirming_a_removal_re_plans_the_rota(as_viewer, db):
    bram = pid("Bram")
    assert named_in_coming_meetings(bram)  # he chairs Woordwerk on 4 August
    coordinate("penningmeester", MEMBER_PROJECT)
    start(as_viewer("coordinator"), bram)
    rik = as_viewer("penningmeester")
    assert answer(rik, bram, "confirm", open_id(bram)).status_code == 200  # the what-if
    assert named_in_coming_meetings(bram)  # nothing changed yet
    response = answer(rik, bram, "confirm", open_id(bram), confirmed=True)
    assert response.status_code == 303
    assert named_in_coming_meetings(bram) == []
    assert_stored_rota_in_step(MEMBER_PROJECT, OTHER_PROJECT)
    with database.connection_context():
        woordwerk = Project.get(Project.name == MEMBER_PROJECT).id
        assert all(turn.chair_name for turn in coming_turns(woordwerk))
        assert AuditEntry.select().where(AuditEntry.action == "rota.plan").exists()


def test_a_turn_fixed_by_hand_or_as_duo_does_not_keep_the_removed_person(as_viewer, db):
    """A turn set by hand stays when the rota is planned again; not a removed person's."""
    bram, lina = pid("Bram"), pid("Lina")
    with database.connection_context():
        woordwerk = Project.get(Project.name == MEMBER_PROJECT).id
        first, _second, third = (
            Meeting.select()
            .where((Meeting.project == woordwerk) & (Meeting.state == "planned"))
            .order_by(Meeting.date)
            .limit(3)
        )
        with database.atomic():
            override_rota(first, bram, None, lina, "Bram wil graag.")
            choose_duo(third, bram)
    assert len(named_in_coming_meetings(bram)) >= 2
    start(as_viewer("coordinator"), bram)
    coordinate("penningmeester", MEMBER_PROJECT)
    rik = as_viewer("penningmeester")
    assert answer(rik, bram, "confirm", open_id(bram), confirmed=True).status_code == 303
    assert named_in_coming_meetings(bram) == []
    assert_stored_rota_in_step(MEMBER_PROJECT, OTHER_PROJECT)
    with database.connection_context():
        # The first meeting is planned again; the third keeps its chair, who chairs alone.
        assert not Meeting.get_by_id(first.id).rota_fixed
        third = Meeting.get_by_id(third.id)
        assert third.chair_duo_id is None and third.chair_id is not None
        assert AuditEntry.select().where(AuditEntry.action == "rota.duo").count() == 2


def test_removing_someone_who_asked_re_plans_the_rota(as_viewer, db):
    anouk = pid("Anouk B.")
    assert named_in_coming_meetings(anouk)
    assert post(as_viewer("member"), "/account/removal", follow_redirects=False).status_code == 303
    kim = as_viewer("coordinator")
    response = post(kim, f"/removals/{anouk}/confirm", follow_redirects=False)
    assert response.status_code == 200 and "Controleer voor je opslaat" in response.text
    assert 'href="/removals"' in response.text  # "Terug"
    assert named_in_coming_meetings(anouk)
    response = post(kim, f"/removals/{anouk}/confirm", CONFIRMED, follow_redirects=False)
    assert response.status_code == 303
    with database.connection_context():
        assert Person.get_by_id(anouk).is_former
    assert named_in_coming_meetings(anouk) == []
    assert_stored_rota_in_step(MEMBER_PROJECT)


def confirm_line(person_id: int) -> AuditEntry:
    with database.connection_context():
        return (
            AuditEntry.select()
            .where(
                (AuditEntry.person == person_id) & (AuditEntry.action == "person.removal_confirm")
            )
            .get()
        )


@pytest.mark.parametrize("privacy", [True, False])
def test_a_removal_that_may_make_a_group_fall_below_51_needs_the_box(as_viewer, privacy, db):
    mo = pid("Mo")
    coordinate("penningmeester", SCHAKEL)
    if privacy:
        grant("penningmeester", "privacy")
    start(as_viewer("coordinator"), mo)
    rik = as_viewer("penningmeester")
    request = open_id(mo)

    page = answer(rik, mo, "confirm", request).text
    assert "Controleer voor je opslaat" in page and "Laag: Uitvoering in Computercentrum" in page
    assert 'name="accept_below"' in page
    if privacy:
        assert "3 van 5 (60,0%) → 2 van 4 (50,0%): onder 51%" in page
    else:
        # Nobody in De Schakel's execution shared their answer with Rik: no counts, but it
        # may fall below 51%, so it still asks for the box.
        assert "3 van 5" not in page and "onder 51% komen" in page
        assert "de privacy bewaken" in page

    # Confirmed without the box: refused, nothing changes.
    unticked = post(
        rik,
        f"/people/{mo}/removal/confirm",
        {"request": str(request), "confirmed": "1"},
        follow_redirects=False,
    )
    assert unticked.status_code == 400
    assert "Zet een vinkje om te bevestigen" in unticked.text
    with database.connection_context():
        assert not Person.get_by_id(mo).is_former
        assert Membership.get(Membership.person == mo).status == "active"
    assert requests_of(mo) == [("open", REASON)]

    response = answer(rik, mo, "confirm", request, confirmed=True)
    assert response.status_code == 303
    with database.connection_context():
        assert Person.get_by_id(mo).is_former
        assert Membership.get(Membership.person == mo).status == "ended"
    # The confirmation is in the removal's audit line, as the one who confirmed saw it.
    note = confirm_line(mo).note
    assert f"{SCHAKEL}/layer/execution" in note
    assert ("confirmed below 51%" in note) == privacy
    assert ("might fall below 51%" in note) == (not privacy)
    with database.connection_context():
        previews = AuditEntry.select().where(AuditEntry.action == "person.preview_removal")
        assert previews.count() == 2  # the first screen and the unticked one
        for line in previews:
            assert "background" not in line.after + line.note and "51" not in line.note


def test_the_what_if_of_a_removal_never_depends_on_an_unshared_answer(as_viewer, db):
    """Differential: Rik (no privacy right) sees the same screen whatever Mo answered, as
    long as Mo did not share it with him."""
    mo = pid("Mo")
    coordinate("penningmeester", SCHAKEL)
    start(as_viewer("coordinator"), mo)
    rik = as_viewer("penningmeester")
    pages = {}
    for answer_ in ("yes", "no", "not_said"):
        background_is("Mo", answer_, False)
        response = answer(rik, mo, "confirm", open_id(mo))
        assert response.status_code == 200
        pages[answer_] = without_tokens(response.text)
    first = pages["yes"]
    for case, shown in pages.items():
        assert first == shown, (
            case,
            "\n".join(difflib.unified_diff(first.splitlines(), shown.splitlines())),
        )
    assert "Ervaring als cliënt" not in first
    with database.connection_context():
        assert not Person.get_by_id(mo).is_former


def left_long_ago(name: str, project_name: str) -> None:
    """The person was in this project once: an ended membership."""
    with database.connection_context():
        current = Membership.get(Membership.person == pid(name))
        Membership.create(
            person=current.person_id,
            project=Project.get(Project.name == project_name),
            step=current.step_id,
            layer="execution",
            status="ended",
        )


def test_a_coordinator_of_a_project_left_long_ago_may_not_while_active_elsewhere(as_viewer, db):
    """Dewi is active in Woordwerk and left Fietswerkplaats long ago; Rik coordinates only
    Fietswerkplaats, and may remove her only once she is in no project any more."""
    dewi = pid("Dewi")
    left_long_ago("Dewi", OTHER_PROJECT)
    coordinate("penningmeester", OTHER_PROJECT)
    rik = as_viewer("penningmeester")
    # Issue 19, M1: a project she left is no longer "hers" for Rik: not even her page.
    assert rik.get(f"/people/{dewi}").status_code == 403
    assert rik.get(f"/people/{dewi}/removal").status_code == 403
    assert start(rik, dewi).status_code == 403
    assert requests_of(dewi) == []
    # Kim (the organisation) starts it: Rik may not confirm or cancel it, nor sees it listed.
    start(as_viewer("coordinator"), dewi)
    for what in ("confirm", "cancel"):
        assert answer(rik, dewi, what, open_id(dewi), confirmed=True).status_code == 403
    assert "Bekijk het verwijderen van Dewi" not in rik.get("/removals").text
    assert WAITING not in rik.get("/").text  # nor counted in "Voor jou"
    assert requests_of(dewi) == [("open", REASON)]
    with database.connection_context():
        assert not Person.get_by_id(dewi).is_former

    # Dewi leaves Woordwerk too (she moved away): now her former coordinators decide.
    with database.connection_context():
        Membership.update(status="ended").where(Membership.person == dewi).execute()
    assert "Deze persoon verwijderen" in rik.get(f"/people/{dewi}").text
    assert rik.get(f"/people/{dewi}/removal").status_code == 200
    assert "Bekijk het verwijderen van Dewi" in rik.get("/removals").text
    assert WAITING in rik.get("/").text
    # No group changes any more, so no what-if: confirming removes her at once.
    response = answer(rik, dewi, "confirm", open_id(dewi))
    assert response.status_code == 303
    with database.connection_context():
        assert Person.get_by_id(dewi).is_former
        assert RemovalRequest.get(RemovalRequest.person == dewi).state == "confirmed"


def test_a_coordinator_of_a_current_project_may_next_to_an_old_one(as_viewer, db):
    """Rik coordinates Woordwerk, where Dewi is active: that counts, whatever else she left."""
    dewi = pid("Dewi")
    left_long_ago("Dewi", OTHER_PROJECT)
    coordinate("penningmeester", MEMBER_PROJECT)
    rik = as_viewer("penningmeester")
    assert "Deze persoon verwijderen" in rik.get(f"/people/{dewi}").text
    assert rik.get(f"/people/{dewi}/removal").status_code == 200
    assert start(rik, dewi).status_code == 303
    assert requests_of(dewi) == [("open", REASON)]
