"""Reading one's own news: a page at a time, newest first, and marking what was shown as
seen (issue 21.3). Only ever the person's own lines: every query here is by person."""

from models.clock import now
from models.db import database
from models.news.tables import NewsItem, PushSubscription
from models.news.tell import params_of
from models.paging import Page, keyset_page

# The news page shows this many lines at a time: a short list, the newest first.
NEWS_PAGE_SIZE = 20


def news_page(person_id: int, after: int | None = None, before: int | None = None) -> Page:
    """One page of the person's news, newest first (one query; a link's id that is not one
    of the person's own lines gives an empty page with the way back to the first)."""
    query = NewsItem.select().where(NewsItem.person == person_id)
    keys = lambda n: [n.created_at, n.id]  # noqa: E731
    return keyset_page(query, keys, NewsItem, after=after, before=before, size=NEWS_PAGE_SIZE)


def mark_seen(person_id: int, item_ids) -> int:
    """The person has seen these lines of their own news (those still unread become read);
    how many changed. One statement, in its own transaction, whatever was unread (so the
    page's query count stays the same); nothing at all for an empty page."""
    ids = [item_id for item_id in item_ids if item_id is not None]
    if not ids:
        return 0
    with database.atomic():
        return (
            NewsItem.update(read_at=now())
            .where(
                (NewsItem.person == person_id) & NewsItem.id.in_(ids) & NewsItem.read_at.is_null()
            )
            .execute()
        )


def for_my_data(person_id: int) -> list[dict]:
    """The person's news for "my data" (what happened, when, whether it was read)."""
    return [
        {
            "kind": item.kind,
            "link": item.link,
            "params": params_of(item),
            "created_at": item.created_at,
            "read_at": item.read_at,
            "pushed_at": item.pushed_at,
        }
        for item in NewsItem.select()
        .where(NewsItem.person == person_id)
        .order_by(NewsItem.created_at, NewsItem.id)
    ]


def phones_for_my_data(person_id: int) -> list[dict]:
    """When the person allowed each of their phones to get push messages (the push
    service's address is left out: it is a key to send to that phone, not about them)."""
    return [
        {"added_at": phone.created_at}
        for phone in PushSubscription.select(PushSubscription.created_at)
        .where(PushSubscription.person == person_id)
        .order_by(PushSubscription.created_at)
    ]


def forget_person(person_id: int) -> None:
    """Erasure: the person's news and phones go (call inside the erasure's transaction)."""
    NewsItem.delete().where(NewsItem.person == person_id).execute()
    PushSubscription.delete().where(PushSubscription.person == person_id).execute()
