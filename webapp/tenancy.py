"""Which organisation a request is for: the one whose host name it names (issue 24).

A single-organisation install answers on any host as before (in production on
TAFEL_BASE_URL's host only, as Starlette's TrustedHostMiddleware did); an installation of
several organisations answers each on its own host. An unknown host (or a suspended
organisation's) gets a plain "not here" page (404, in the reader's language); in production
so does every path (the health check too) on a host that is no organisation's and not the
base address. The organisation is set for the request's whole context (models/tenancy.py);
the database keeps it to that organisation's rows.
"""

from urllib.parse import urlsplit

from starlette.datastructures import Headers
from starlette.requests import Request

from models import tenancy
from webapp.i18n import current_language, pick_language
from webapp.templating import render

# Paths that need no organisation: the health check and the static files.
WITHOUT_ORGANISATION = ("/healthz", "/static/", "/favicon.ico", "/robots.txt")


class OrganisationHosts:
    """ASGI middleware: choose the request's organisation from its Host header."""

    def __init__(self, app, settings):
        self.app = app
        self.production = settings.production
        self.base_host = tenancy.normal_host(urlsplit(settings.base_url).hostname)

    async def __call__(self, scope, receive, send):
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        host = tenancy.normal_host(Headers(scope=scope).get("host"))
        # The health check and static files need no organisation, and answer even when the
        # directory cannot be read; any other page's failure to read it is a server error.
        exempt = scope["path"].startswith(WITHOUT_ORGANISATION)
        entries = tenancy.directory.safe_entries() if exempt else tenancy.directory.entries()
        if self.production and host != self.base_host and all(e.host != host for e in entries):
            # Neither an organisation's host nor the base address: the same "not here" page
            # as an unknown host anywhere (404), for every path, the health check too.
            await self._not_here(scope)(scope, receive, send)
            return
        entry = None
        if entries or not exempt:
            entry = tenancy.directory.for_host(host)
        if entry is not None and self.production and host != self.base_host:
            if entry.host != host:  # the only organisation, on a host that is not its own
                entry = None
        if entry is None:
            if exempt:
                await self.app(scope, receive, send)
            else:
                await self._not_here(scope)(scope, receive, send)
            return
        token = tenancy.enter(entry.id)
        try:
            await self.app(scope, receive, send)
        finally:
            tenancy.leave(token)

    @staticmethod
    def _not_here(scope):
        request = Request(scope)
        current_language.set(pick_language(None, request.headers.get("accept-language")))
        return render(
            request, "errors/not_here.html", {"status": 404, "quiet": True}, status_code=404
        )
