"""Making an invite link at federation scale (issue 13): whom it is for is found by a name
search, never picked from a list of everyone; for the four viewers, without JavaScript and
with htmx; the search finds only whom the viewer may make a link for."""

import re

import pytest

from models.accounts import Account, Grant
from models.db import database
from models.organisation import Project
from tests.conftest import MEMBER_PROJECT, post
from tests.people.conftest import person_id

CHOICE = re.compile(
    r'name="person" id="[^"]+" value="(\d+)"[^>]*> <span>([^<·]+?)(?: · [^<]+)?</span>'
)


def _names(html: str) -> list[str]:
    return [name for _id, name in CHOICE.findall(html)]


@pytest.mark.parametrize(
    "viewer, status", [("anonymous", 303), ("member", 403), ("other", 403), ("coordinator", 200)]
)
def test_the_link_search_is_for_coordinators(as_viewer, viewer, status):
    response = as_viewer(viewer).get("/accounts/links?q=dew", follow_redirects=False)
    assert response.status_code == status
    if status == 200:
        assert _names(response.text) == ["Dewi"]
        assert "<select" not in response.text


def test_without_javascript_a_name_is_searched_chosen_and_the_link_made(as_viewer):
    client = as_viewer("coordinator")
    assert not _names(client.get("/accounts/links").text)  # nobody before a search
    page = client.get("/accounts/links", params={"q": "DEWI"}).text
    ((dewi, _name),) = CHOICE.findall(page)
    made = post(client, "/accounts/links", {"person": dewi, "q": "dewi"}, follow_redirects=False)
    assert made.status_code == 303 and made.headers["location"].startswith("/accounts/links/")


def test_with_htmx_the_matches_come_as_you_type(as_viewer):
    fragment = as_viewer("coordinator").get("/accounts/links?q=de", headers={"HX-Request": "true"})
    assert fragment.text.lstrip().startswith('<div id="link-person"')
    assert "Dewi" in _names(fragment.text) and "<form" not in fragment.text


def test_a_project_coordinator_finds_and_may_post_only_their_projects_people(as_viewer):
    with database.connection_context():
        Grant.create(
            account=Account.get(Account.username == "penningmeester"),
            right="coordinator",
            project=Project.get(Project.name == MEMBER_PROJECT),
        )
    client = as_viewer("penningmeester")
    assert _names(client.get("/accounts/links?q=priya").text) == []
    refused = post(client, "/accounts/links", {"person": str(person_id("Priya")), "q": "priya"})
    assert refused.status_code == 400 and "Zoek een naam" in refused.text


@pytest.mark.parametrize("person", ["", "x", "0", "-3", "99999999999", "2147483647"])
def test_junk_gets_a_sentence_and_no_link(as_viewer, person):
    refused = post(as_viewer("coordinator"), "/accounts/links", {"person": person, "q": "a"})
    assert refused.status_code == 400
    assert "Kies een persoon" in refused.text or "Zoek een naam" in refused.text
