"""Telling people what happened, and reading it back.

`tell` is called inside the write that caused the news (it joins that write's transaction),
so the news exists exactly when the change does. Telling the same `key` to the same person
again stores nothing: a job that runs on two workers, or again after a restart, tells once.
"""

import json
from collections.abc import Iterable

from models.clock import now
from models.db import database
from models.news.tables import NewsItem

# The news page shows at most this many lines per page.
PAGE_SIZE = 20


def tell(
    person_ids: Iterable[int | None],
    kind: str,
    key: str,
    link: str = "",
    params: dict | None = None,
) -> None:
    """Store one news line for each person (None and repeats skipped). `key` names the
    event, unique per person (see NewsItem): a line already told is left as it is."""
    people = sorted({person_id for person_id in person_ids if person_id is not None})
    if not people:
        return
    moment = now()
    text = json.dumps(params or {}, sort_keys=True, ensure_ascii=False)
    rows = [
        {
            "person": person_id,
            "kind": kind,
            "key": key,
            "link": link,
            "params": text,
            "created_at": moment,
        }
        for person_id in people
    ]
    with database.atomic():
        NewsItem.insert_many(rows).on_conflict_ignore().execute()


def unread_count(person_id: int) -> int:
    """How many news lines the person has not seen yet (one query)."""
    return NewsItem.select().where(NewsItem.person == person_id, NewsItem.read_at.is_null()).count()


def latest(person_id: int, page: int = 1) -> list[NewsItem]:
    """One page of the person's news, newest first (one query)."""
    return list(
        NewsItem.select()
        .where(NewsItem.person == person_id)
        .order_by(NewsItem.created_at.desc(), NewsItem.id.desc())
        .paginate(page, PAGE_SIZE)
    )


def mark_read(person_id: int) -> int:
    """Mark all of the person's news as seen; returns how many lines changed."""
    with database.atomic():
        return (
            NewsItem.update(read_at=now())
            .where(NewsItem.person == person_id, NewsItem.read_at.is_null())
            .execute()
        )


def params_of(item: NewsItem) -> dict:
    """The values the item's sentence shows."""
    try:
        value = json.loads(item.params or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}
