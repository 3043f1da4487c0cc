"""Members choose their own turns (chair, minutes); the rota of meetings not started follows."""

from models.meetings import Meeting
from models.organisation import Project
from models.people import Membership, Person
from tests.conftest import MEMBER_PROJECT, login, post


def anouks_membership():
    anouk = Person.get(Person.display_name == "Anouk B.")
    project = Project.get(Project.name == MEMBER_PROJECT)
    return Membership.get((Membership.person == anouk) & (Membership.project == project))


def test_a_member_opts_out_of_chairing_and_the_rota_is_replanned(client, db):
    membership = anouks_membership()
    assert membership.chair_since is not None
    login(client, "anouk")
    assert "Ik wil voorzitten" in client.get("/my-path").text
    response = post(client, f"/memberships/{membership.id}/turns", {"minutes": "y"})
    assert response.url.path == "/my-path"
    membership = Membership.get_by_id(membership.id)
    assert membership.chair_since is None and membership.minutes_since is not None
    planned = Meeting.select().where(
        (Meeting.project == membership.project) & (Meeting.state == "planned")
    )
    assert all(m.chair_id != membership.person_id for m in planned)
    post(client, f"/memberships/{membership.id}/turns", {"chair": "y", "minutes": "y"})
    assert Membership.get_by_id(membership.id).chair_since is not None


def test_nobody_else_changes_my_turns(as_viewer, db):
    membership = anouks_membership()
    before = (membership.chair_since, membership.minutes_since)
    other = as_viewer("priya")
    response = post(other, f"/memberships/{membership.id}/turns", {}, follow_redirects=False)
    assert response.status_code == 403
    membership = Membership.get_by_id(membership.id)
    assert (membership.chair_since, membership.minutes_since) == before
