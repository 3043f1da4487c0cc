"""The app factory: settings, database, middleware, routes and error pages."""

import contextlib
import logging

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from models.db import open_database
from webapp.access import CSRFForm
from webapp.i18n import current_language, load_catalogs, pick_language
from webapp.routes import all_routes
from webapp.security import SecurityHeaders
from webapp.settings import ROOT, Settings
from webapp.templating import render

log = logging.getLogger("tafel")

ERROR_TEMPLATES = {403: "errors/403.html", 404: "errors/404.html", 405: "errors/404.html"}


async def http_error(request: Request, exc: HTTPException):
    """A friendly page for 403, 404 and other client errors, in the viewer's language."""
    current_language.set(pick_language(request.scope.get("session", {}).get("lang")))
    template = ERROR_TEMPLATES.get(exc.status_code, "errors/400.html")
    return render(request, template, {"status": exc.status_code}, status_code=exc.status_code)


async def server_error(request: Request, exc: Exception):
    """A plain apology, never a traceback (the traceback goes to the server log only)."""
    log.error("error on %s %s", request.method, request.url.path, exc_info=exc)
    current_language.set(pick_language(request.scope.get("session", {}).get("lang")))
    return render(request, "errors/500.html", {"status": 500}, status_code=500)


def create_app(database_url: str | None = None) -> Starlette:
    """Build the Tafel app; settings come from the environment, `database_url` overrides."""
    settings = Settings.from_env(database_url)
    open_database(settings.database_url)
    CSRFForm.Meta.csrf_secret = settings.secret_key.encode()
    load_catalogs()

    @contextlib.asynccontextmanager
    async def lifespan(app):
        load_catalogs()
        yield

    app = Starlette(
        routes=[
            *all_routes(),
            Mount("/static", StaticFiles(directory=ROOT / "static"), name="static"),
        ],
        middleware=[
            Middleware(SecurityHeaders, https=settings.https),
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
    )
    app.state.settings = settings
    return app
