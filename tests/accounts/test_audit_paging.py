"""The audit log at federation scale (issue 13): a page at a time by keyset, and the person
filter a search on the name instead of a list of everyone; at two data sizes, for the four
viewers, without and with htmx."""

import re

import pytest

from models.accounts import Account, Grant
from models.accounts.audit import AuditEntry, record
from models.db import database
from models.organisation import Project
from models.paging import PAGE_SIZE
from tests.conftest import MEMBER_PROJECT, login
from tests.paging import walk
from tests.people.conftest import person_id

LINE = r"#line-(\d+)"


def _brute_force(rights: frozenset) -> list[int]:
    with database.connection_context():
        query = AuditEntry.visible_to(rights).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        return [e.id for e in query]


@pytest.mark.parametrize("extra", [0, 2 * PAGE_SIZE + 3])
def test_walking_the_log_shows_every_line_once_newest_first(client, extra):
    with database.connection_context(), database.atomic():
        for n in range(extra):
            record(None, "something.new", after={"n": n})
    login(client, "beheer")
    seen, pages = walk(client, "/audit", "audit-lines", LINE, PAGE_SIZE, outside=True)
    everything = _brute_force(frozenset({"admin", "privacy"}))
    assert seen == everything
    assert pages == max(1, -(-len(everything) // PAGE_SIZE))


def test_the_pager_keeps_the_filters(client):
    with database.connection_context(), database.atomic():
        mo = person_id("Mo")
        for n in range(PAGE_SIZE + 5):
            record(None, "something.new", person=mo, after={"n": n})
            record(None, "something.new", after={"n": n})
    login(client, "beheer")
    seen, pages = walk(client, f"/audit?person={mo}", "audit-lines", LINE, PAGE_SIZE, outside=True)
    with database.connection_context():
        wanted = [
            e.id
            for e in AuditEntry.select()
            .where(AuditEntry.person == mo)
            .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        ]
    assert seen == wanted and pages == 2


@pytest.mark.parametrize("query", ["after=x", "before=0", "after=2147483648", "q=" + "x" * 3000])
def test_junk_paging_gives_a_page(client, query):
    login(client, "beheer")
    assert client.get(f"/audit?{query}").status_code == 200


def _matches(html: str) -> list[str]:
    part = html.split('<div id="person-matches"', 1)[1].split("</div>", 1)[0]
    return re.findall(r'<a href="/audit\?person=\d+">([^<]+)</a>', part)


@pytest.mark.parametrize(
    "viewer, status", [("anonymous", 303), ("member", 403), ("other", 403), ("coordinator", 200)]
)
def test_the_person_search_is_for_coordinators(as_viewer, viewer, status):
    response = as_viewer(viewer).get("/audit?q=dew", follow_redirects=False)
    assert response.status_code == status
    if status == 200:
        assert _matches(response.text) == ["Dewi"]


def test_without_javascript_a_name_is_typed_then_chosen_from_links(as_viewer):
    client = as_viewer("coordinator")
    page = client.get("/audit", params={"q": "DEW"}).text
    assert 'name="q" value="DEW"' in page
    link = re.search(r'<a href="(/audit\?person=\d+)">Dewi</a>', page).group(1)
    chosen = client.get(link).text
    assert "Changes about Dewi." in chosen or "Wijzigingen over Dewi." in chosen
    assert f'name="person" value="{person_id("Dewi")}"' in chosen
    assert "<option" not in chosen.split('id="f-project"')[0]  # no list of everyone


def test_with_htmx_the_matches_come_as_you_type(as_viewer):
    client = as_viewer("coordinator")
    fragment = client.get("/audit?q=an&project=", headers={"HX-Request": "true"})
    assert fragment.text.lstrip().startswith('<div id="person-matches"')
    assert "<form" not in fragment.text and "audit-lines" not in fragment.text
    assert "Anouk B." in _matches(fragment.text)


def test_a_project_coordinator_finds_only_the_people_of_their_projects(as_viewer):
    with database.connection_context():
        Grant.create(
            account=Account.get(Account.username == "penningmeester"),
            right="coordinator",
            project=Project.get(Project.name == MEMBER_PROJECT),
        )
    client = as_viewer("penningmeester")
    assert _matches(client.get("/audit?q=anouk").text) == ["Anouk B."]
    assert _matches(client.get("/audit?q=priya").text) == []
    priya = client.get(f"/audit?person={person_id('Priya')}").text
    assert "Priya" not in priya
