"""The keyset pager (models/paging.py): walking every page, forwards and back, gives each row
of the list exactly once, in order, at two sizes and with ties in the sort key."""

import datetime as dt

import pytest

from models.accounts.audit import AuditEntry
from models.paging import keyset_page


def _seed(count: int) -> None:
    moment = dt.datetime(2026, 6, 1, 12, 0)
    AuditEntry.insert_many(
        [
            {
                "at": moment - dt.timedelta(minutes=n // 3),  # three lines share each moment
                "action": "test.paging",
                "object_type": "test",
            }
            for n in range(count)
        ]
    ).execute()


def _walk(query, size, descending=True):
    keys = lambda e: [e.at, e.id]  # noqa: E731
    pager = lambda **at: keyset_page(query, keys, AuditEntry, size=size, **at)  # noqa: E731
    seen, page, pages = [], pager(), 0
    while True:
        pages += 1
        assert len(page.rows) <= size
        seen.extend(e.id for e in page.rows)
        if page.older is None:
            break
        following = pager(after=page.older)
        back = pager(before=following.rows[0].id)
        assert [e.id for e in back.rows] == [e.id for e in page.rows]
        assert following.newer == following.rows[0].id
        page = following
    return seen, pages


@pytest.mark.parametrize("count", [7, 130])
def test_walking_every_page_gives_each_line_once_in_order(db, count):
    _seed(count)
    query = AuditEntry.select().where(AuditEntry.action == "test.paging")
    everything = [e.id for e in query.clone().order_by(AuditEntry.at.desc(), AuditEntry.id.desc())]
    seen, pages = _walk(query, size=10)
    assert seen == everything
    assert pages == max(1, -(-count // 10))


def test_the_first_page_has_no_way_back_and_an_unknown_row_starts_again(db):
    _seed(25)
    query = AuditEntry.select().where(AuditEntry.action == "test.paging")
    first = keyset_page(query, lambda e: [e.at, e.id], AuditEntry, size=10)
    assert first.newer is None and first.older is not None and first.paged
    gone = keyset_page(query, lambda e: [e.at, e.id], AuditEntry, after=2**31 - 1, size=10)
    assert gone.rows == [] and gone.restart
    short = keyset_page(query, lambda e: [e.at, e.id], AuditEntry, size=100)
    assert not short.paged and len(short) == 25


@pytest.mark.parametrize("count", [0, 1, 25, 26, 61])
def test_a_list_in_memory_is_paged_the_same_way(count):
    from models.paging import page_of

    items = list(range(100, 100 + count))
    seen, page = [], page_of(items, lambda i: i, size=25)
    while True:
        seen.extend(page.rows)
        if page.older is None:
            break
        following = page_of(items, lambda i: i, after=page.older, size=25)
        back = page_of(items, lambda i: i, before=following.rows[0], size=25)
        assert back.rows == page.rows
        page = following
    assert seen == items
    assert page_of(items, lambda i: i, after=5, size=25).restart


@pytest.mark.parametrize("extra", [0, 2 * 50 + 4])
def test_walking_the_notice_board_shows_each_notice_once_newest_first(as_viewer, extra):
    from models import projects as changes
    from models.db import database
    from models.organisation import Announcement, Project
    from tests.conftest import MEMBER_PROJECT
    from tests.paging import walk

    with database.connection_context(), database.atomic():
        project = Project.get(Project.name == MEMBER_PROJECT)
        for n in range(extra):
            changes.post_notice(None, project, author=None, title=f"Bericht {n}", body="-")
        everything = [
            n.id
            for n in Announcement.select()
            .where(Announcement.project == project)
            .order_by(Announcement.created_at.desc(), Announcement.id.desc())
        ]
    url = f"/projects/{project.id}/notices"
    seen, pages = walk(as_viewer("member"), url, "notices", r"#notice-(\d+)", 50)
    assert seen == everything
    assert pages == max(1, -(-len(everything) // 50))
