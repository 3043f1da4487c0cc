"""Walking a paged list the way a person does: open the page, follow its "next" link until
there is none, and collect what each page shows (parsed, not searched as a string)."""

import re
from html import unescape
from html.parser import HTMLParser

from starlette.testclient import TestClient


class _Part(HTMLParser):
    """The hrefs inside the element with id (or aria-labelledby) `part`, and its pager's
    rel=next/prev links."""

    def __init__(self, part: str):
        super().__init__()
        self.part, self.depth, self.hrefs, self.rel, self.anywhere = part, 0, [], {}, {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("rel") in ("next", "prev"):
            self.anywhere.setdefault(attrs["rel"], unescape(attrs["href"]))
        if self.depth:
            self.depth += tag not in VOID
        elif self.part in (attrs.get("id"), attrs.get("aria-labelledby")):
            self.depth = 1
            return
        if self.depth and attrs.get("id"):
            self.hrefs.append("#" + attrs["id"])
        if self.depth and tag == "a" and attrs.get("href"):
            if attrs.get("rel") in ("next", "prev"):
                self.rel[attrs["rel"]] = unescape(attrs["href"])
            else:
                self.hrefs.append(unescape(attrs["href"]))

    def handle_endtag(self, tag):
        if self.depth and tag not in VOID:
            self.depth -= 1


VOID = {"br", "img", "input", "meta", "link", "hr", "source", "wbr", "col", "area"}


def page_part(html: str, part: str, href: str, outside: bool = False) -> tuple[list[int], dict]:
    """The ids matched by the regex `href` (one group) in the links inside `part` (or in its
    elements' ids, written "#line-12"), and the part's pager links {"next": url, "prev": url}."""
    parser = _Part(part)
    parser.feed(html)
    pattern = re.compile(href)
    found = [int(m.group(1)) for h in parser.hrefs if (m := pattern.fullmatch(h))]
    return found, parser.anywhere if outside else parser.rel


def walk(
    client: TestClient, url: str, part: str, href: str, size: int, outside: bool = False
) -> tuple[list, int]:
    """Every id a paged list shows, page after page by its "next" links, and how many pages;
    each page shows at most `size` and its "previous" link leads back to the page before."""
    seen, pages, previous = [], 0, None
    while url:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        found, rel = page_part(response.text, part, href, outside)
        assert len(found) <= size, (url, len(found))
        if previous is not None:
            back, _ = page_part(client.get(rel["prev"]).text, part, href, outside)
            assert back == previous, url
        seen.extend(found)
        pages += 1
        previous, url = found, rel.get("next")
        assert pages < 1000
    return seen, pages
