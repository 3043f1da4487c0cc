"""The people overview at federation scale (issue 13): "who is at which step" a page at a
time, a search on the name, the shorter lists capped; at two data sizes."""

import pytest
from peewee import fn

from models.db import database
from models.organisation import Project
from models.paging import PAGE_SIZE
from models.people import Membership, Person, RoleStep
from models.people.growth import start_membership
from models.people.overview import SHORT_LIST
from tests.conftest import login
from tests.paging import page_part, walk

WOORDWERK = "Uitgeverij Woordwerk"


def _add_people(count: int) -> None:
    """`count` more people in Woordwerk, through the app's own way of starting a membership;
    a few share their step, so the name and the id decide the order."""
    with database.connection_context(), database.atomic():
        project = Project.get(Project.name == WOORDWERK)
        steps = list(RoleStep.select().order_by(RoleStep.position))
        for n in range(count):
            person = Person.create(display_name=f"Paging {n:03d}")
            start_membership(person, project, step=steps[n % 2], layer="execution")


def _brute_force(project_name: str | None) -> list[int]:
    with database.connection_context():
        query = (
            Membership.select(Membership.person)
            .join(Person, on=(Membership.person == Person.id))
            .switch(Membership)
            .join(RoleStep)
            .switch(Membership)
            .join(Project)
            .where(Membership.status != "ended")
        )
        if project_name:
            query = query.where(Project.name == project_name)
        order = (RoleStep.position, fn.COALESCE(Person.display_name, ""), Membership.id)
        return [m.person_id for m in query.order_by(*order)]


def _url(client, project_name):
    if project_name is None:
        return "/people"
    with database.connection_context():
        return f"/projects/{Project.get(Project.name == project_name).id}/people"


@pytest.mark.parametrize("extra", [0, 2 * PAGE_SIZE + 7])
@pytest.mark.parametrize("project_name", [None, WOORDWERK])
def test_walking_the_overview_shows_everyone_once_in_order(client, extra, project_name):
    _add_people(extra)
    login(client, "coordinator")
    seen, pages = walk(client, _url(client, project_name), "at-step", r"/people/(\d+)", PAGE_SIZE)
    everyone = _brute_force(project_name)
    assert seen == everyone
    assert pages == max(1, -(-len(everyone) // PAGE_SIZE))


def test_the_search_narrows_every_list_and_the_pager_keeps_it(client):
    _add_people(2 * PAGE_SIZE + 7)
    login(client, "coordinator")
    seen, pages = walk(client, "/people?q=paging%200", "at-step", r"/people/(\d+)", PAGE_SIZE)
    with database.connection_context():
        wanted = {p.id for p in Person.select().where(Person.display_name.startswith("Paging 0"))}
    assert set(seen) == wanted and len(seen) == 100 and pages == 2
    page = client.get("/people?q=Paging%2010").text
    assert "Paging 100" in page and "Paging 099" not in page
    assert "Paging 0" not in page.replace("Paging 10", "")


def test_the_shorter_lists_show_their_first_ones_and_say_so(client):
    _add_people(SHORT_LIST + 5)
    login(client, "coordinator")
    found, _ = page_part(client.get("/people").text, "recent", r"/people/(\d+)")
    assert len(found) == SHORT_LIST
    assert "Dit zijn de eerste 50" in client.get("/people").text


def test_htmx_gets_only_the_lists_as_you_type(client):
    login(client, "coordinator")
    fragment = client.get("/people?q=an", headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert fragment.text.lstrip().startswith('<div id="people-lists">')
    assert "<html" not in fragment.text and 'id="people-q"' not in fragment.text
    assert "HX-Request" in fragment.headers["vary"]


@pytest.mark.parametrize(
    "query",
    ["after=abc", "before=-1", "after=99999999999999999999", "after=2147483647", "q=%00",
     "q=" + "x" * 5000, "after=1&before=2", "q=%25%25"],
)  # fmt: skip
def test_junk_paging_gives_a_page(client, query):
    login(client, "coordinator")
    # A NUL anywhere in a request is refused (400) before any route, like everywhere.
    assert client.get(f"/people?{query}").status_code == (400 if "%00" in query else 200)


def _add_projects(count: int) -> None:
    """`count` more projects, each with one member (so each has a 51% table)."""
    with database.connection_context(), database.atomic():
        step = RoleStep.select().order_by(RoleStep.position).first()
        for n in range(count):
            project = Project.create(name=f"Project {n:03d}")
            person = Person.create(display_name=f"Lid {n:03d}", client_background="yes")
            start_membership(person, project, step=step, layer="execution")
        # Projects of long standing: their memberships have settled (the published figures
        # that members see count them, docs/rules.md "Published figures…").
        Membership.update(settles_on=None, prior_status=None).execute()


@pytest.mark.parametrize("extra", [0, 61])
def test_walking_the_51_percent_report_shows_each_project_once(as_viewer, extra):
    from models.people.representation import per_scope, project_links, representation_report
    from models.rules.representation import ORGANISATION
    from webapp.people.representation import PROJECTS_PER_PAGE

    _add_projects(extra)
    client = as_viewer("member")
    seen, pages = walk(
        client, "/representation", "report", r"/projects/(\d+)/representation",
        PROJECTS_PER_PAGE, outside=True,
    )  # fmt: skip
    with database.connection_context():
        links = project_links()
        scopes = [name for name in per_scope(representation_report()) if name != ORGANISATION]
    assert seen == [links[name] for name in scopes]
    assert pages == max(1, -(-len(scopes) // PROJECTS_PER_PAGE))
    assert "De hele organisatie" in client.get(f"/representation?after={seen[-1]}").text
