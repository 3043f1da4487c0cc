"""Coordinators of a person are current ones (issue 19, finding M1; docs/rules.md).

The audit: adding someone to your project and ending it at once made you "their coordinator"
for good (their person page, recording an answer); while they were in your project you also
saw answers they had shared only with "the coordinators of my projects", chosen before you
were one. Replayed here as the audit did it, with Priya coordinating Fietswerkplaats Op Weg.
"""

import datetime as dt

from models import clock
from models.accounts import Account, Grant
from models.actor import Actor
from models.db import database
from models.organisation import Project
from models.people import Membership, Person, RoleStep
from models.people.growth import change_membership, start_membership
from models.people.visibility import (
    answers_known_to,
    coordinates_person,
    sees_background,
    unchosen_coordinators,
)
from tests.conftest import login, post
from tests.people.conftest import person_id
from webapp.access import viewer_of

OP_WEG = "Fietswerkplaats Op Weg"
WOORDWERK = "Uitgeverij Woordwerk"
ERIK = "Erik de M."


def _coordinate(username: str, project_name: str) -> None:
    with database.connection_context():
        account = Account.get(Account.username == username)
        Grant.create(
            account=account, right="coordinator", project=Project.get(Project.name == project_name)
        )


def _actor(username: str) -> Actor:
    """The actor as a request builds it (webapp.access.viewer_of)."""
    return viewer_of(Account.get(Account.username == username))


def test_adding_someone_and_ending_it_at_once_does_not_adopt_them(as_viewer, db):
    _coordinate("priya", OP_WEG)
    priya = as_viewer("other")
    erik = person_id(ERIK)
    op_weg = Project.get(Project.name == OP_WEG).id
    assert priya.get(f"/people/{erik}").status_code == 403
    added = post(
        priya,
        f"/projects/{op_weg}/memberships/new",
        {
            "person": str(erik),
            "new_person": "",
            "step": str(RoleStep.lowest_participant_step().id),
            "layer": "execution",
            "since": "2026-06-17",
            "confirmed": "1",
            "accept_below": "y",
        },
        follow_redirects=False,
    )
    assert added.status_code == 303
    assert priya.get(f"/people/{erik}").status_code == 200  # while he is in her project
    membership = Membership.of(erik, op_weg)
    ended = post(
        priya,
        f"/memberships/{membership.id}/change",
        {
            "step": str(membership.step_id),
            "layer": "execution",
            "status": "ended",
            "confirmed": "1",
            "accept_below": "y",
        },
        follow_redirects=False,
    )
    assert ended.status_code == 303
    # Ended: no longer his coordinator. Not his page, not his answer, no conversation.
    assert priya.get(f"/people/{erik}").status_code == 403
    answer = post(
        priya, f"/people/{erik}/background", {"answer": "yes", "consent_on": "2026-06-17"}
    )
    assert answer.status_code == 403
    talk = post(priya, f"/people/{erik}/conversations", {"on": "2026-06-17", "notes": "x"})
    assert talk.status_code == 403
    with database.connection_context():
        assert Person.get_by_id(erik).background_recorded_by_id != person_id("Priya")
        actor = _actor("priya")
        assert not coordinates_person(actor, erik)
        # Erik is still in Woordwerk: the removal flow is not Priya's either.
        assert not coordinates_person(actor, erik, for_removal=True)


def test_the_removal_flow_alone_keeps_a_coordinator_of_a_project_left_lately(db):
    _coordinate("priya", OP_WEG)
    with database.connection_context():
        op_weg = Project.get(Project.name == OP_WEG)
        loner = Person.create(display_name="Loes")
        step = RoleStep.lowest_participant_step()
        membership = start_membership(loner, op_weg, step=step, layer="execution")
        change_membership(
            membership, step=step, layer="execution", status="ended", recorded_by=None
        )
        actor = _actor("priya")
        assert not coordinates_person(actor, loner.id)
        assert coordinates_person(actor, loner.id, for_removal=True)
        with clock.fixed(clock.now() + dt.timedelta(days=31)):
            assert not coordinates_person(actor, loner.id, for_removal=True)


def test_a_new_coordinator_sees_a_shared_answer_only_after_the_person_says_yes_again(as_viewer, db):
    anouk_client = as_viewer("member")
    anouk = person_id("Anouk B.")
    with database.connection_context():
        Person.update(client_background="yes").where(Person.id == anouk).execute()
    shared = post(anouk_client, "/my-path/background/share", {"share": "also"})
    assert shared.status_code in (200, 303)
    later = clock.now() + dt.timedelta(days=1)
    with clock.fixed(later):
        _coordinate("priya", WOORDWERK)  # Priya becomes a coordinator of Anouk's project
    with database.connection_context():
        person = Person.get_by_id(anouk)
        assert person.share_background and person.background_shared_at is not None
        kim, priya = _actor("coordinator"), _actor("priya")
        assert sees_background(kim, person)  # the organisation's coordinator, chosen
        assert anouk in answers_known_to(kim)
        assert not sees_background(priya, person)  # not chosen: she came later
        assert anouk not in answers_known_to(priya)
    # Anouk is told, on her own page.
    told = "Sommige coördinatoren van je projecten kwamen erbij"
    assert told in anouk_client.get("/my-path").text
    with clock.fixed(later + dt.timedelta(days=1)):
        login(anouk_client, "anouk")
        again = post(anouk_client, "/my-path/background/share", {"share": "also"})
        assert again.status_code in (200, 303)
        with database.connection_context():
            person = Person.get_by_id(anouk)
            assert sees_background(_actor("priya"), person)
            assert anouk in answers_known_to(_actor("priya"))
        assert told not in anouk_client.get("/my-path").text


def test_taking_someone_back_into_a_project_they_had_left_is_joining_after_the_choice(
    as_viewer, db
):
    """Anouk left Op Weg long ago, then shared her answer with the coordinators of her
    projects (Woordwerk only). Priya, Op Weg's coordinator since before, sets Anouk's ended
    membership back to active: Anouk did not choose her, so Priya may not count the answer
    (and Anouk is told, as for any project joined later)."""
    anouk = person_id("Anouk B.")
    start = clock.now() - dt.timedelta(days=60)
    with clock.fixed(start):
        _coordinate("priya", OP_WEG)
        with database.connection_context():
            op_weg = Project.get(Project.name == OP_WEG)
            step = RoleStep.lowest_participant_step()
            old = start_membership(anouk, op_weg, step=step, layer="execution")
            change_membership(old, step=step, layer="execution", status="ended", recorded_by=None)
            Person.update(client_background="yes").where(Person.id == anouk).execute()
    with clock.fixed(start + dt.timedelta(days=1)):
        shared = post(as_viewer("member"), "/my-path/background/share", {"share": "also"})
        assert shared.status_code in (200, 303)
    with database.connection_context():
        assert anouk not in answers_known_to(_actor("priya"))
    back = post(
        as_viewer("other"),
        f"/memberships/{old.id}/change",
        {
            "step": str(old.step_id),
            "layer": "execution",
            "status": "active",
            "confirmed": "1",
            "accept_below": "y",
        },
        follow_redirects=False,
    )
    assert back.status_code == 303
    with database.connection_context():
        assert Membership.get_by_id(old.id).status == "active"
        assert anouk not in answers_known_to(_actor("priya"))
        assert not sees_background(_actor("priya"), Person.get_by_id(anouk))
        assert unchosen_coordinators(Person.get_by_id(anouk))  # and Anouk is told
