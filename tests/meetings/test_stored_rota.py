"""The stored rota (issue 13 point 3): after any sequence of the changes that move turns
(members pausing, leaving, coming back, opting in or out, apologies, overrides, swaps, a duo,
meetings planned and started), the stored coming turns equal the meetings' own; the project
page reads them from the store."""

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models.actor import Actor
from models.db import database
from models.meetings import Meeting
from models.meetings.errors import SwapClash, SwapGone
from models.meetings.planning import plan_meetings, start_meeting
from models.meetings.rota import answer_swap, ask_swap, send_apologies
from models.meetings.stored_rota import RotaTurn, coming_turns, computed_rota
from models.meetings.turns_by_hand import choose_duo, override_rota
from models.people import Membership
from models.people.growth import save_membership_change, set_turns
from models.person import Person
from tests.conftest import MEMBER_PROJECT, login
from tests.meetings.conftest import project_id
from tests.meetings.stored_rota_rows import stored_turns

OPERATION = st.one_of(
    st.tuples(st.just("status"), st.integers(0, 20), st.sampled_from(["active", "paused"])),
    st.tuples(st.just("turns"), st.integers(0, 20), st.booleans(), st.booleans()),
    st.tuples(st.just("apologies"), st.integers(0, 5), st.integers(0, 20), st.booleans()),
    st.tuples(st.just("override"), st.integers(0, 5), st.integers(0, 20), st.integers(0, 20)),
    st.tuples(st.just("swap"), st.integers(0, 5), st.integers(0, 20), st.booleans()),
    st.tuples(st.just("duo"), st.integers(0, 5), st.integers(0, 20)),
    st.tuples(st.just("plan"), st.integers(1, 3)),
    st.tuples(st.just("start"), st.integers(0, 2)),
    st.tuples(st.just("rename"), st.integers(0, 20)),
)


def _planned(project):
    return list(
        Meeting.select()
        .where((Meeting.project == project) & (Meeting.state == "planned"))
        .order_by(Meeting.date, Meeting.id)
    )


def apply(op, project) -> None:
    members = list(Membership.select().where(Membership.project == project).order_by(Membership.id))
    people = [m.person_id for m in members]
    planned = _planned(project)
    kind = op[0]
    if kind == "status":
        membership = members[op[1] % len(members)]
        save_membership_change(
            membership, actor=None, step=membership.step, layer=membership.layer,
            status=op[2], partner=membership.duo_partner_id, note="", duo_note="",
            recorded_by=None,
        )  # fmt: skip
    elif kind == "turns":
        set_turns(members[op[1] % len(members)], chair=op[2], minutes=op[3], actor=None)
    elif kind == "rename":
        with database.atomic():
            person = Person.get_by_id(people[op[1] % len(people)])
            person.display_name = f"{person.display_name}*"
            person.save()
    elif kind == "plan":
        with database.atomic():
            plan_meetings(project, op[1], start=dt.date(2026, 7, 7))
    elif kind == "start" and planned:
        with database.atomic():
            start_meeting(planned[op[1] % len(planned)].id)
    elif planned:
        meeting = planned[op[1] % len(planned)]
        person = people[op[2] % len(people)]
        with database.atomic():
            if kind == "apologies":
                send_apologies(meeting, Actor(person_id=person), take_back=op[3])
            elif kind == "override":
                taker = people[op[3] % len(people)]
                override_rota(meeting, person, None, None if taker == person else taker, "r")
            elif kind == "duo":
                choose_duo(meeting, None if person == meeting.chair_id else person)
            elif kind == "swap" and meeting.chair_id and meeting.chair_id != person:
                swap = ask_swap(meeting, "chair", person, Actor(person_id=meeting.chair_id))
                try:
                    answer_swap(swap, op[3])
                except (SwapClash, SwapGone):
                    pass


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(operations=st.lists(OPERATION, max_size=12))
def test_the_stored_rota_equals_the_meetings_after_any_changes(db, operations):
    project = project_id()
    with database.atomic() as transaction:
        assert stored_turns(project) == computed_rota(project)
        for op in operations:
            apply(op, project)
            assert stored_turns(project) == computed_rota(project), op
            names = {p.id: p.display_name for p in Person.select()}
            shown = [tuple(turn) for turn in coming_turns(project)]
            assert shown == [
                (m, day, names.get(chair), names.get(taker))
                for m, day, chair, _duo, taker in computed_rota(project, 3)
            ]
        transaction.rollback()


def test_the_demo_stores_every_projects_rota(db):
    from models.organisation import Project

    for (number,) in Project.select(Project.id).tuples():
        assert stored_turns(number) == computed_rota(number)
    assert RotaTurn.select().count() > 0


def test_the_project_page_shows_the_stored_turns(client, db):
    login(client, "anouk")
    project = project_id(MEMBER_PROJECT)
    turn = coming_turns(project)[0]
    page = client.get(f"/projects/{project}").text
    assert f'href="/meetings/{turn.id}"' in page
    assert turn.chair_name in page
    # What the page shows is the store: a turn stored otherwise shows otherwise.
    other = Person.create(display_name="Zelda Zeldzaam")
    RotaTurn.update(chair=other.id).where(
        (RotaTurn.project == project) & (RotaTurn.position == 0)
    ).execute()
    assert "Zelda Zeldzaam" in client.get(f"/projects/{project}").text


def test_changes_at_once_in_one_project_store_one_rota(db):
    """Members of one project opting in and out at the same moment, each in their own
    connection: every change stores the rota, none fails, and the store ends equal to the
    meetings (PostgreSQL: the project's row is locked while its rota is stored)."""
    import threading

    project = project_id()
    members = list(Membership.select().where(Membership.project == project))[:4]
    start = threading.Barrier(len(members))
    errors = []

    def run(membership_id):
        try:
            with database.connection_context():
                start.wait()
                for round_ in range(3):
                    membership = Membership.get_by_id(membership_id)
                    set_turns(membership, chair=round_ % 2 == 1, minutes=True, actor=None)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    workers = [threading.Thread(target=run, args=(m.id,)) for m in members]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert errors == []
    assert stored_turns(project) == computed_rota(project)
