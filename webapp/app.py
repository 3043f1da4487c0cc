"""The app factory: settings, database, middleware, routes and error pages."""

import contextlib

import anyio
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse
from starlette.routing import Mount, Route

from models.budget import receipt_store
from models.db import POOL_SIZE, open_database
from webapp.access import PUBLIC, CSRFForm
from webapp.areas import all_routes
from webapp.i18n import current_language, load_catalogs, pick_language
from webapp.jobs import configure_jobs, tick
from webapp.limits import BodyLimit
from webapp.request_log import RequestLog, request_id
from webapp.security import SecurityHeaders
from webapp.settings import Settings
from webapp.static import STATIC, CachedStaticFiles
from webapp.templating import render
from webapp.tenancy import OrganisationHosts

ERROR_TEMPLATES = {
    403: "errors/403.html",
    404: "errors/404.html",
    405: "errors/404.html",
    413: "errors/413.html",
}


def _without_session(request: Request) -> bool:
    """A visitor without a session (no cookie, or an empty one): their error page carries
    no form (no language switch), so answering it makes no session cookie (issue 23.7)."""
    return not request.scope.get("session")


async def http_error(request: Request, exc: HTTPException):
    """A friendly page for 403, 404 and other client errors, in the viewer's language."""
    current_language.set(
        pick_language(
            request.scope.get("session", {}).get("lang"), request.headers.get("accept-language")
        )
    )
    template = ERROR_TEMPLATES.get(exc.status_code, "errors/400.html")
    context = {"status": exc.status_code, "quiet": _without_session(request)}
    return render(request, template, context, status_code=exc.status_code)


async def server_error(request: Request, exc: Exception):
    """A plain apology with the request's id, never a traceback (RequestLog logs the error)."""
    current_language.set(
        pick_language(
            request.scope.get("session", {}).get("lang"), request.headers.get("accept-language")
        )
    )
    context = {
        "status": 500,
        "request_id": request_id(request.scope),
        "quiet": _without_session(request),
    }
    return render(request, "errors/500.html", context, status_code=500)


async def favicon(request: Request):
    """/favicon.ico, for browsers and tools that ask for it without reading the page."""
    return FileResponse(STATIC / "favicon.ico", headers={"Cache-Control": "public, max-age=86400"})


favicon.permission = PUBLIC

# Everything of an installation is behind a login or about its members: nothing to index.
ROBOTS = "User-agent: *\nDisallow: /\n"


async def robots(request: Request):
    """/robots.txt: crawlers are asked to index nothing."""
    return PlainTextResponse(ROBOTS, headers={"Cache-Control": "public, max-age=86400"})


robots.permission = PUBLIC


class Tafel(Starlette):
    """Starlette with the request log and the security headers around everything, Starlette's
    error middleware included (so the 500 page has the headers and the log sees its status)."""

    def __init__(self, *args, settings: Settings, **kwargs):
        self.settings = settings
        super().__init__(*args, **kwargs)

    def build_middleware_stack(self):
        stack = SecurityHeaders(super().build_middleware_stack(), https=self.settings.https)
        # Development and tests see errors raised as usual; production keeps the error's
        # message out of the server's own log (see webapp/request_log.py).
        production = self.settings.production
        return RequestLog(stack, production=production, reraise=not production)


def create_app(database_url: str | None = None) -> Starlette:
    """Build the Tafel app; settings come from the environment, `database_url` overrides."""
    settings = Settings.from_env(database_url)
    open_database(settings.database_url)
    receipt_store.use(settings.receipts, settings.data_dir)
    CSRFForm.Meta.csrf_secret = settings.secret_key.encode()
    configure_jobs(settings)
    load_catalogs()

    @contextlib.asynccontextmanager
    async def lifespan(app):
        load_catalogs()
        # A page runs in one of anyio's worker threads and holds one database connection:
        # never more threads than the PostgreSQL pool has connections, so a request never
        # waits for a connection (and times out) while it holds a thread (40 by default).
        limiter = anyio.to_thread.current_default_thread_limiter()
        limiter.total_tokens = min(limiter.total_tokens, POOL_SIZE)
        if not settings.jobs_interval:
            yield
            return
        # The background jobs (closing proposals at their moment, reminders): webapp/jobs.py.
        async with anyio.create_task_group() as jobs:
            jobs.start_soon(tick, settings.jobs_interval)
            yield
            jobs.cancel_scope.cancel()

    app = Tafel(
        routes=[
            # First: a file's address matches here without trying every page's route.
            Mount("/static", CachedStaticFiles(directory=STATIC), name="static"),
            *all_routes(),
            Route("/favicon.ico", favicon, methods=["GET"], name="favicon"),
            Route("/robots.txt", robots, methods=["GET"], name="robots"),
        ],
        middleware=[
            # The organisation whose host the request names (webapp/tenancy.py); production
            # answers a host that is no organisation's and not TAFEL_BASE_URL's with a 400.
            Middleware(OrganisationHosts, settings=settings),
            Middleware(BodyLimit),
            # Text only: images, zip and the like are already compressed (Starlette's list).
            Middleware(GZipMiddleware, minimum_size=500, compresslevel=6),
            Middleware(
                SessionMiddleware,
                secret_key=settings.secret_key,
                session_cookie="tafel_session",
                max_age=30 * 24 * 3600,
                same_site="lax",
                https_only=settings.https,
            ),
        ],
        exception_handlers={HTTPException: http_error, 500: server_error},
        lifespan=lifespan,
        settings=settings,
    )
    app.state.settings = settings
    return app
