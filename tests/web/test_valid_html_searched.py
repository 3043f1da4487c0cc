"""The pages with a pager and a person search (issue 13) are valid HTML in every state: with
matches, with none, on a later page, and as a refused form (tests/web/test_valid_html.py
checks every page as it first looks)."""

from models.db import database
from models.people import Vacancy
from tests.budget.test_paging import _book
from tests.conftest import MEMBER_PROJECT, ids, post
from tests.html_checker import check
from tests.people.conftest import membership_id, person_id
from tests.people.test_paging import _add_people


def test_searched_and_paged_pages_are_valid_html(as_viewer, vnu):
    _add_people(60)
    sub_url, _ = _book(60, on_post=False)
    with database.connection_context():
        project = ids()["project_id"]
        vacancy = Vacancy.get(Vacancy.project == project).id
        change = f"/memberships/{membership_id('Anouk B.', MEMBER_PROJECT)}/change"
    coordinator = as_viewer("coordinator")
    urls = [
        "/people?q=paging",
        "/people?q=nobody-has-this-name",
        f"/projects/{project}/people?q=a",
        "/audit?q=a",
        "/audit?q=zzzz",
        f"/audit?person={person_id('Dewi')}",
        f"/vacancies/{vacancy}/fill?q=a",
        f"/vacancies/{vacancy}/fill?q=zzzz",
        f"/projects/{project}/vacancies?vacancy={vacancy}&q=a",
        f"/projects/{project}/memberships/new?q=pri",
        f"{change}?q=sanne",
        f"/projects/{project}/decisions?after=1",
    ]
    pages = {url: coordinator.get(url).text for url in urls}
    first = coordinator.get("/people").text
    pages["/people"] = first
    following = first.split('rel="next"')[0].rsplit('href="', 1)[1].split('"')[0]
    pages["/people next"] = coordinator.get(following.replace("&amp;", "&")).text
    pages["refused fill"] = post(coordinator, f"/vacancies/{vacancy}/fill", {"q": "a"}).text
    pages["refused committee"] = post(
        coordinator, f"/vacancies/{vacancy}/committee", {"person": "x", "q": "a"}
    ).text
    # As the coordinator: on this branch the treasurer's page still has two fields with the
    # id "amount" (booking and planned amount); main renamed the planned one meanwhile.
    pages["ledger"] = coordinator.get(sub_url).text
    pages["ledger gone"] = coordinator.get(f"{sub_url}?after=2147483647").text
    assert 'rel="next"' in pages["ledger"] and "Terug naar de eerste pagina" in pages["ledger gone"]
    admin = as_viewer("beheer")
    for url in ("/admin/rights?q=an", "/accounts/links?q=a", f"/projects/{project}/notices"):
        pages[url] = admin.get(url).text
    pages["/representation?after"] = coordinator.get(f"/representation?after={project}").text
    errors = check(vnu, pages)
    assert not errors, "\n".join(errors)
