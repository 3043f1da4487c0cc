"""The news page ("Wat er gebeurde", beside "Voor jou" on the start page): what happened to the
person's own requests and turns, newest first, a short page at a time. What the page shows
is marked as seen once it is shown (unread lines say "New" in words, not by colour only)."""

from starlette.requests import Request

from models.news.reading import mark_seen, news_page
from models.news.tell import params_of
from webapp.access import SIGNED_IN, Routes
from webapp.forms import page_params
from webapp.news.words import sentence
from webapp.templating import render

routes = Routes()


def local_link(link: str) -> str:
    """A news line's link, only when it is a path of this installation."""
    if link.startswith("/") and not link.startswith("//") and "\\" not in link:
        return link
    return ""


@routes.get("/news", permission=SIGNED_IN)
def news(request: Request, viewer):
    """The person's own news, one page; the unread lines on it become read."""
    page = news_page(viewer.person_id, **page_params(request.query_params))
    lines = [
        {
            "sentence": sentence(item.kind, params_of(item)),
            "link": local_link(item.link or ""),
            "at": item.created_at,
            "new": item.read_at is None,
        }
        for item in page
    ]
    response = render(request, "news/index.html", {"page": page, "lines": lines})
    mark_seen(viewer.person_id, [item.id for item in page])
    return response
