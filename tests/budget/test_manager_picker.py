"""The manager of a sub-budget at federation scale (issue 13): found by a name search among
the members instead of a list of everyone; for the treasurer only, without JavaScript and
with htmx; a posted id is checked."""

import re

import pytest

from models.budget import SubBudget
from models.db import database
from models.people import Person
from tests.conftest import post
from tests.people.conftest import person_id

CHOICE = re.compile(r'name="manager" id="[^"]+" value="(\d+)"[^>]*> <span>([^<]+)</span>')


def _sub():
    with database.connection_context():
        return SubBudget.get(SubBudget.name == "Papier en inkt")


@pytest.mark.parametrize("viewer", ["anonymous", "member", "coordinator", "other"])
def test_only_the_treasurer_gets_manager_matches(as_viewer, viewer):
    response = as_viewer(viewer).get(f"/budget/sub-budgets/{_sub().id}?q=a")
    assert not CHOICE.findall(response.text)


def test_without_javascript_the_treasurer_searches_and_chooses_a_manager(as_viewer):
    client = as_viewer("penningmeester")
    sub = _sub()
    first = client.get(f"/budget/sub-budgets/{sub.id}").text
    assert "<select" not in first.split('id="manager-heading"')[1].split("</form>")[0]
    page = client.get(f"/budget/sub-budgets/{sub.id}", params={"q": "dewi"}).text
    names = [name for _id, name in CHOICE.findall(page)]
    assert "Dewi" in names and names[0] == "Niemand: de penningmeester beheert het"
    data = {"manager": str(person_id("Dewi")), "project": "", "q": "dewi"}
    saved = post(client, f"/budget/sub-budgets/{sub.id}/manager", data, follow_redirects=False)
    assert saved.status_code == 303
    assert _sub().manager_id == person_id("Dewi")
    nobody = {"manager": "0", "project": ""}
    assert post(client, f"/budget/sub-budgets/{sub.id}/manager", nobody).status_code == 200
    assert _sub().manager_id is None


def test_with_htmx_the_members_come_as_you_type(as_viewer):
    client = as_viewer("penningmeester")
    fragment = client.get(f"/budget/sub-budgets/{_sub().id}?q=de", headers={"HX-Request": "true"})
    assert fragment.text.lstrip().startswith('<div id="manager"')
    assert "Dewi" in [name for _id, name in CHOICE.findall(fragment.text)]
    post_page = client.get(
        f"/budget/posts/{_sub().post_id}?q=de", headers={"HX-Request": "true"}
    ).text
    assert "Dewi" in [name for _id, name in CHOICE.findall(post_page)]


@pytest.mark.parametrize("manager", ["x", "-1", "99999999999", "2147483647", "outsider"])
def test_a_manager_who_is_no_member_gets_a_sentence(as_viewer, manager):
    if manager == "outsider":
        with database.connection_context():
            manager = str(Person.create(display_name="Buitenstaander").id)
    sub = _sub()
    data = {"manager": manager, "project": ""}
    refused = post(as_viewer("penningmeester"), f"/budget/sub-budgets/{sub.id}/manager", data)
    assert refused.status_code == 400 and "Zoek een naam" in refused.text
    assert _sub().manager_id == sub.manager_id


def test_the_manager_there_is_now_stays_when_their_membership_ended(as_viewer):
    """The picker offers the manager there is now even after their membership ended; keeping
    them while changing the project is not refused."""
    from models.organisation import Project
    from models.people import Membership

    dewi = person_id("Dewi")
    with database.connection_context():
        SubBudget.update(manager=dewi).where(SubBudget.id == _sub().id).execute()
        Membership.update(status="ended").where(Membership.person == dewi).execute()
        project = Project.select().order_by(Project.id).first()
    client = as_viewer("penningmeester")
    data = {"manager": str(dewi), "project": str(project.id), "q": ""}
    saved = post(client, f"/budget/sub-budgets/{_sub().id}/manager", data, follow_redirects=False)
    assert saved.status_code == 303, saved.text[-1500:]
    assert (_sub().manager_id, _sub().project_id) == (dewi, project.id)
    # Someone else whose membership ended is still refused.
    with database.connection_context():
        other = Person.create(display_name="Oud lid")
    data["manager"] = str(other.id)
    refused = post(client, f"/budget/sub-budgets/{_sub().id}/manager", data)
    assert refused.status_code == 400 and _sub().manager_id == dewi
