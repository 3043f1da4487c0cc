"""The what-if is not a probe (issue 11, PRODUCT.md "Client background and the 51% check"):
nothing a coordinator without the privacy right sees before confirming a change may depend on
one person's answer, unless that person shared it with them.

Differential: two copies of the demo that differ only in Erik's answer. Kim (coordinator of the
organisation, no privacy right) previews adding Erik to a project, changing Erik's membership
and giving Erik the vacancy, and looks at the project pages with their red banner: every
response is the same in both. Once Erik shares his answer with the coordinators of his
projects, Kim's preview may differ; the privacy right's preview always shows the full what-if.
"""

import re

import pytest
from starlette.testclient import TestClient

from models.accounts import Account, Grant
from models.accounts.audit import AuditEntry
from models.actor import Actor
from models.db import database
from models.organisation import Project
from models.people import Membership, Person, RoleStep, Vacancy
from models.people.whatif import simulate
from tests.conftest import build_demo, login, post
from tests.people.conftest import membership_id, person_id

WOORDWERK = "Uitgeverij Woordwerk"
SCHAKEL = "Computercentrum De Schakel"
ERIK = "Erik de M."
# The CSRF token carries a time stamp and the session: the only part allowed to differ.
CSRF = re.compile(r"[0-9]{6,}##[0-9a-f]{20,}")


def _requests():
    """(method, url, data) of every screen Kim looks at before confirming anything about Erik
    (call inside a connection: the ids are the same in both copies of the demo)."""
    woordwerk = Project.get(Project.name == WOORDWERK).id
    schakel = Project.get(Project.name == SCHAKEL).id
    erik = person_id(ERIK)
    vacancy = Vacancy.get(Vacancy.project == woordwerk).id
    paid = str(RoleStep.get(RoleStep.position == 4).id)
    return [
        # Add Erik to De Schakel's coordination (Kees alone: 1 of 1; with Erik 1 or 2 of 2).
        (
            "post",
            f"/projects/{schakel}/memberships/new",
            {
                "person": str(erik),
                "new_person": "",
                "step": paid,
                "layer": "coordination",
                "since": "2026-07-01",
            },
        ),
        # Move Erik from Woordwerk's coordination (Kim and Erik) to its management.
        (
            "post",
            f"/memberships/{membership_id(ERIK, WOORDWERK)}/change",
            {"step": paid, "layer": "management", "status": "active"},
        ),
        # Give Erik the vacancy (a work supervisor in execution): he leaves coordination.
        ("post", f"/vacancies/{vacancy}/fill", {"person": str(erik)}),
        # The project page with its red banner, the 51% page and the overview.
        ("get", f"/projects/{woordwerk}", None),
        ("get", f"/projects/{woordwerk}/representation", None),
        ("get", f"/projects/{woordwerk}/people", None),
        ("get", f"/people/{erik}", None),
    ]


def _screens(databases, erik_answer: str, *, shared: bool, privacy: bool) -> list[str]:
    """What Kim sees on a fresh copy of the demo where Woordwerk passes the 51% check when
    Erik answers yes (Carla's answer is yes in both copies) and Erik answered `erik_answer`."""
    from webapp.app import create_app

    url = databases.fresh(build_demo)
    try:
        app = create_app(url)
        with database.connection_context():
            Person.update(client_background="yes").where(
                Person.display_name == "Carla V."
            ).execute()
            Person.update(client_background=erik_answer, share_background=shared).where(
                Person.display_name == ERIK
            ).execute()
            if privacy:
                kim = Account.get(Account.username == "coordinator")
                Grant.create(account=kim, right="privacy")
            requests = _requests()
        pages = []
        with TestClient(app) as client:
            login(client, "coordinator")
            for method, path, data in requests:
                if method == "post":
                    response = post(client, path, data)
                else:
                    response = client.get(path)
                assert response.status_code in (200, 400), (path, response.status_code)
                pages.append(CSRF.sub("CSRF", response.text))
        with database.connection_context():
            # Nothing was saved: Erik is still only in Woordwerk's coordination.
            erik = Membership.get(Membership.person == person_id(ERIK))
            assert erik.layer == "coordination"
            assert Membership.select().where(Membership.person == person_id(ERIK)).count() == 1
            previews = AuditEntry.select().where(AuditEntry.action.contains("preview"))
            logged = [(e.action, e.person_id) for e in previews.order_by(AuditEntry.id)]
            assert logged == [
                ("membership.preview_new", person_id(ERIK)),
                ("membership.preview_change", person_id(ERIK)),
                ("vacancy.preview_fill", person_id(ERIK)),
            ]
            for entry in previews:  # who previewed what: no answers, no results
                line = entry.before + entry.after + entry.note
                assert "background" not in line and "51" not in line
        return pages
    finally:
        database.close()
        databases.discard(url)


@pytest.fixture
def screens(databases, data_dir):
    def make(answer, *, shared=False, privacy=False):
        return _screens(databases, answer, shared=shared, privacy=privacy)

    return make


def test_a_coordinator_s_previews_and_banner_do_not_depend_on_an_unshared_answer(screens):
    yes, no = screens("yes"), screens("no")
    for a, b in zip(yes, no, strict=True):
        assert a == b
    add, change, fill, project_page, representation, overview, erik = yes
    for preview in (add, change, fill):
        assert "Controleer voor je opslaat" in preview
        assert "hun antwoord niet met jou gedeeld" in preview and "de privacy bewaken" in preview
        assert "niet te zeggen" not in preview
        assert "van 2" not in preview  # no counts
    # Woordwerk's coordination (Kim and Erik) is small and holds Erik's private answer: no
    # red banner, but the plain note that private answers are not counted.
    assert "banner-bad" not in project_page
    assert "Sommige kleine groepen hebben antwoorden die privé zijn" in project_page
    assert "banner-bad" not in overview


def test_the_privacy_right_sees_the_full_what_if_and_it_depends_on_the_answer(screens):
    yes, no = screens("yes", privacy=True), screens("no", privacy=True)
    add, change, fill, project_page = yes[:4]
    add_no, change_no, fill_no, project_page_no = no[:4]
    # Adding Erik to De Schakel's coordination: 2 of 2 with a yes, 1 of 2 with a no.
    assert "1 van 1 (100,0%) → 2 van 2 (100,0%)" in add
    assert "1 van 1 (100,0%) → 1 van 2 (50,0%): onder 51%" in add_no
    # Erik leaving Woordwerk's coordination: from 2 of 2, or from 1 of 2.
    assert "2 van 2 (100,0%) → 1 van 1 (100,0%)" in change
    assert "1 van 2 (50,0%) → 1 van 1 (100,0%)" in change_no
    assert fill != fill_no
    # With a no, Woordwerk's coordination fails: the privacy right sees the red banner.
    assert "banner-bad" not in project_page and "banner-bad" in project_page_no


def test_once_shared_with_the_coordinators_the_preview_may_count_the_answer(screens):
    yes, no = screens("yes", shared=True), screens("no", shared=True)
    add, change, fill, project_page = yes[:4]
    add_no, change_no, fill_no, project_page_no = no[:4]
    # Erik is in Woordwerk, which Kim coordinates: his shared answer counts for Kim.
    assert change != change_no
    # The calm sentence names what is certain on the answers Kim may count: with both yes,
    # Woordwerk's coordination stays at 51% or more; with Erik's no, it comes to 51% or more
    # once he leaves it.
    assert "blijft op 51% of meer, wat die antwoorden ook zijn" in change
    assert "komt op 51% of meer, wat die antwoorden ook zijn" in change_no
    assert "van 2" not in change_no  # still no counts without the privacy right
    # And the banner: Woordwerk's coordination fails on the shared answers (Kim's and Erik's).
    assert "banner-bad" not in project_page and "banner-bad" in project_page_no


def _Viewer(person_id, *, privacy=False) -> Actor:
    """A coordinator of everything, without the privacy right unless `privacy` (the typed
    actor models take)."""
    rights = {"org_coordinator", "privacy"} if privacy else {"org_coordinator"}
    return Actor(account_id=None, person_id=person_id, rights=frozenset(rights))


def _move_erik_to_management():
    membership = Membership.get(Membership.id == membership_id(ERIK, WOORDWERK))
    membership.layer = "management"
    membership.save()


def test_simulate_for_a_viewer_ignores_unshared_answers(db):
    kim = person_id("Kim (coördinatie)")
    coordination = (WOORDWERK, "layer", "coordination")

    def results(viewer):
        changes = simulate(_move_erik_to_management, viewer)
        return {(c.scope, c.dimension, c.group): c for c in changes}[coordination]

    seen = {}
    for answer in ("yes", "no"):
        Person.update(client_background=answer).where(Person.display_name == ERIK).execute()
        change = results(_Viewer(kim))
        # Kim's own answer counts; Erik's is private.
        assert (change.before.people, change.before.yes, change.before.private) == (2, 1, 1)
        assert change.before.outcome == "open" and change.after.outcome == "pass"
        seen[answer] = change
        full = results(_Viewer(kim, privacy=True))
        assert full.before.yes == (2 if answer == "yes" else 1) and full.before.private == 0
        assert results(None).before == full.before  # no viewer: the full what-if
    assert seen["yes"] == seen["no"]

    Person.update(share_background=True).where(Person.display_name == ERIK).execute()
    shared = results(_Viewer(kim))
    assert (shared.before.yes, shared.before.private) == (1, 0)  # Erik's no now counts
    assert shared.before.outcome == "fail"
    # The simulation was rolled back.
    assert Membership.get_by_id(membership_id(ERIK, WOORDWERK)).layer == "coordination"
