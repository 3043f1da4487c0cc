"""The report's token and the project's row lock (migration 0010): writes at the same moment,
each in its own connection and transaction, that lock a project's row and change what the
51% report counts, in either order, never deadlock (PostgreSQL aborted one of them, a 500):
a member pausing or coming back (the report_version row, then store_rota locks the
project's row), opting in or out of turns (the rota is stored) and renaming the project
(its row, then report_version). Afterwards the stored rota and the kept report equal the
data. (On SQLite the writers simply take turns: one writer at a time, no row locks.)"""

import threading

from models.db import database
from models.meetings.stored_rota import computed_rota
from models.organisation import Project
from models.people import Membership, Person
from models.people.growth import save_membership_change, set_turns
from models.people.representation import representation_report
from models.projects import update_project
from tests.conftest import MEMBER_PROJECT
from tests.meetings.stored_rota_rows import stored_turns
from tests.people.reference import brute_force_report
from tests.people.test_kept_report import seats

THREADS_PER_PATH, ROUNDS = 2, 15


def _members(project_id: int) -> list[int]:
    rows = (
        Membership.select(Membership.id)
        .join(Person, on=(Membership.person == Person.id))
        .where((Membership.project == project_id) & Person.erased_at.is_null())
        .order_by(Membership.id)
    )
    return [m.id for m in rows]


def _pause_and_return(project_id: int, number: int, round_: int) -> None:
    membership = Membership.get_by_id(_members(project_id)[number])
    status = "paused" if membership.status == "active" else "active"
    save_membership_change(
        membership, actor=None, step=membership.step, layer=membership.layer, status=status,
        partner=membership.duo_partner_id, note="", duo_note="", recorded_by=None,
    )  # fmt: skip


def _opt_in_and_out(project_id: int, number: int, round_: int) -> None:
    membership = Membership.get_by_id(_members(project_id)[-1 - number])
    set_turns(membership, chair=round_ % 2 == 0, minutes=round_ % 3 == 0, actor=None)


def _rename(project_id: int, number: int, round_: int) -> None:
    with database.atomic():
        project = Project.get_by_id(project_id)
        update_project(None, project, name=f"{MEMBER_PROJECT} {number}-{round_}")


def test_pausing_opting_in_and_renaming_at_once_never_deadlock(db):
    project_id = Project.get(Project.name == MEMBER_PROJECT).id
    assert len(_members(project_id)) >= 2 * THREADS_PER_PATH
    paths = [_pause_and_return, _opt_in_and_out, _rename]
    start = threading.Barrier(len(paths) * THREADS_PER_PATH)
    errors = []

    def run(path, number):
        try:
            with database.connection_context():
                start.wait()
                for round_ in range(ROUNDS):
                    path(project_id, number, round_)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    workers = [
        threading.Thread(target=run, args=(path, number))
        for path in paths
        for number in range(THREADS_PER_PATH)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert errors == []
    assert stored_turns(project_id) == computed_rota(project_id)
    assert representation_report() == brute_force_report(seats())
