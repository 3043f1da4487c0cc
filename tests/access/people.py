"""Access to the people area: the 51% check, person pages, memberships, overview, ladder."""

import json

from models.accounts import Account
from models.organisation import Project
from models.people import CheckRequest, Membership, Person, RoleStep, Vacancy

OK, LOGIN, NO = "ok", "login", 403

#            anonymous, member, coordinator, other project's member
ACCESS = {
    "GET /representation": (LOGIN, OK, OK, OK),
    "GET /projects/{project_id:int}/representation": (LOGIN, OK, OK, OK),
    "GET /representation.csv": (LOGIN, NO, NO, NO),
    "GET /my-path": (LOGIN, OK, OK, OK),
    "POST /my-path/goals": (LOGIN, OK, OK, OK),
    "POST /my-path/background": (LOGIN, OK, OK, OK),
    "POST /my-path/background/share": (LOGIN, OK, OK, OK),
    "GET /my-path/share": (LOGIN, OK, OK, OK),
    "POST /my-path/share": (LOGIN, OK, OK, OK),
    "GET /people/{person_id:int}": (LOGIN, NO, OK, NO),
    "POST /people/{person_id:int}/background": (LOGIN, NO, OK, NO),
    "POST /people/{person_id:int}/conversations": (LOGIN, NO, OK, NO),
    "GET /memberships/{membership_id:int}/change": (LOGIN, NO, OK, NO),
    "POST /memberships/{membership_id:int}/change": (LOGIN, NO, OK, NO),
    "POST /memberships/{membership_id:int}/turns": (LOGIN, NO, OK, NO),
    "GET /projects/{project_id:int}/memberships/new": (LOGIN, NO, OK, NO),
    "POST /projects/{project_id:int}/memberships/new": (LOGIN, NO, OK, NO),
    "GET /projects/{project_id:int}/people": (LOGIN, NO, OK, NO),
    "GET /people": (LOGIN, NO, OK, NO),
    "GET /people/import": (LOGIN, NO, OK, NO),
    "POST /people/import": (LOGIN, NO, OK, NO),
    "GET /people/import/template.csv": (LOGIN, NO, OK, NO),
    "GET /people/export/members.csv": (LOGIN, NO, OK, NO),
    "GET /ladder": (LOGIN, NO, NO, NO),
    "POST /ladder": (LOGIN, NO, NO, NO),
    "POST /ladder/{step_id:int}": (LOGIN, NO, NO, NO),
    "GET /projects/{project_id:int}/vacancies": (LOGIN, OK, OK, NO),
    "POST /projects/{project_id:int}/vacancies": (LOGIN, NO, OK, NO),
    "POST /vacancies/{vacancy_id:int}/interest": (LOGIN, OK, OK, NO),
    "POST /vacancies/{vacancy_id:int}/committee": (LOGIN, NO, OK, NO),
    "GET /vacancies/{vacancy_id:int}/fill": (LOGIN, NO, OK, NO),
    "POST /vacancies/{vacancy_id:int}/fill": (LOGIN, NO, OK, NO),
    # 51% checks: coordinators ask (and see their own), the privacy right answers.
    "GET /checks": (LOGIN, NO, OK, NO),
    "GET /checks/{check_id:int}": (LOGIN, NO, OK, NO),
    "POST /checks/{check_id:int}/answer": (LOGIN, NO, NO, NO),
}


def _woordwerk():
    return Project.get(Project.name == "Uitgeverij Woordwerk")


def _dewi():
    return Person.get(Person.display_name == "Dewi")


def _check():
    """A 51% check the coordinator asked (about adding Dewi's membership's step again)."""
    kim = Account.get(Account.username == "coordinator")
    found = CheckRequest.get_or_none(CheckRequest.asked_by_account == kim.id)
    if found is None:
        membership = Membership.get(Membership.person == _dewi())
        found = CheckRequest.create(
            asked_by_account=kim.id,
            asked_by=kim.person_id,
            project=membership.project_id,
            kind="change",
            target=membership.id,
            asked=json.dumps(
                {
                    "change": {
                        "step": membership.step_id,
                        "layer": "coordination",
                        "status": "active",
                        "partner": None,
                        "note": "",
                        "duo_note": "",
                        "recorded_by": kim.person_id,
                    },
                    "action": f"/memberships/{membership.id}/change",
                    "fields": {},
                }
            ),
            groups="[]",
            fingerprint="",
        )
    return found.id


PARAMS = {
    "check_id": _check,
    "vacancy_id": lambda: Vacancy.get(Vacancy.project == _woordwerk()).id,
    "person_id": lambda: _dewi().id,
    "membership_id": lambda: Membership.get(Membership.person == _dewi()).id,
    "step_id": lambda: RoleStep.select().order_by(RoleStep.position).first().id,
    "project_id": lambda: Project.get(Project.name == "Uitgeverij Woordwerk").id,
}
