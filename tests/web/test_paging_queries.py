"""Every paged list (issue 13) runs as many queries on a later page, and with a search or a
person search, as on its first page: the keyset is in the page's one query (no COUNT, no
query per row), the person search one query more whatever its answer."""

import re

from models import projects as changes
from models.accounts.audit import record
from models.db import database
from models.organisation import Project
from models.paging import PAGE_SIZE
from models.people import Vacancy
from tests.budget.test_paging import _book, _claim
from tests.conftest import MEMBER_PROJECT, login
from tests.meetings.test_paging import _decide, _share
from tests.people.test_paging import _add_people, _add_projects


def _next(client, url: str) -> str:
    link = re.search(r'<a href="([^"]+)" rel="next">', client.get(url).text)
    assert link, url
    return link.group(1).replace("&amp;", "&")


def _same_on_every_page(client, count_queries, url: str) -> None:
    first = count_queries(client, url)
    second = _next(client, url)
    assert count_queries(client, second) == first, second
    assert count_queries(client, _next(client, second)) == first


def test_every_paged_list_runs_as_many_queries_on_each_page(client, count_queries):
    more = 2 * PAGE_SIZE + 3
    _add_people(more)
    _add_projects(60)
    sub_url, _ = _book(more, on_post=False)
    _claim(more)
    _decide(more)
    _share(more)
    with database.connection_context(), database.atomic():
        for n in range(more):
            record(None, "something.new", after={"n": n})
        project = Project.get(Project.name == MEMBER_PROJECT).id
        for n in range(more):
            changes.post_notice(None, project, author=None, title=f"Bericht {n}", body="-")
    login(client, "coordinator")
    for url in ("/people", f"/projects/{project}/people", "/people?q=paging", "/audit"):
        _same_on_every_page(client, count_queries, url)
    for url in (
        f"/projects/{project}/decisions",
        f"/projects/{project}/signals",
        f"/projects/{project}/notices",
        "/representation",
    ):
        _same_on_every_page(client, count_queries, url)
    assert count_queries(client, "/audit?q=a") == count_queries(client, "/audit?q=zzzz")
    with database.connection_context():
        vacancy = Vacancy.get(Vacancy.project == project).id
    plain = count_queries(client, f"/projects/{project}/vacancies")
    searched = count_queries(client, f"/projects/{project}/vacancies?vacancy={vacancy}&q=a")
    assert searched == plain + 1
    login(client, "penningmeester")
    _same_on_every_page(client, count_queries, sub_url)
    _same_on_every_page(client, count_queries, "/budget/claims")
