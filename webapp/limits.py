"""Limits before work: a request body over its limit is refused with 413 before it is read.

A form (login, a notice, minutes) is at most FORM_LIMIT; an upload (a receipt, a CSV file,
sent as multipart/form-data) at most UPLOAD_LIMIT. A body that says its length up front is
refused before a byte of it is read; one that does not (chunked) is refused as soon as it
passes the limit. Either way the route never sees it, so an anonymous visitor cannot make
Tafel hold or store hundreds of megabytes before the login check.
"""

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# The minutes may hold 100,000 characters (up to 4 bytes each in UTF-8, more once
# url-encoded): a megabyte leaves room for that and for every other form.
FORM_LIMIT = 1_000_000
UPLOAD_LIMIT = 10_000_000
BODYLESS = frozenset({"GET", "HEAD", "OPTIONS"})


def limit_for(scope: Scope) -> int:
    """The largest body this request may send."""
    for name, value in scope["headers"]:
        if name == b"content-type":
            return UPLOAD_LIMIT if value.lower().startswith(b"multipart/form-data") else FORM_LIMIT
    return FORM_LIMIT


def declared_length(scope: Scope) -> int | None:
    """The Content-Length the client sent (None without one or when it is not a number)."""
    for name, value in scope["headers"]:
        if name == b"content-length":
            return int(value) if value.isdigit() else None
    return None


class BodyLimit:
    """Pure ASGI middleware: reading a body over its limit raises HTTPException(413), which
    the app answers with its friendly error page in the viewer's language."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in BODYLESS:
            await self.app(scope, receive, send)
            return
        limit = limit_for(scope)
        too_large = (declared_length(scope) or 0) > limit
        received = 0

        async def limited() -> Message:
            nonlocal received
            if too_large:
                raise HTTPException(413)
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise HTTPException(413)
            return message

        await self.app(scope, limited, send)
