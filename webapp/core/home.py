"""The start page (and the first run), health for monitors, and the managers' tools."""

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from models.db import reachable
from models.for_you import for_you
from models.news.tell import unread_count
from models.organisation import Announcement, Organisation, Project
from models.records import setup
from webapp.access import ANY_COORDINATOR, PUBLIC, Routes
from webapp.core.caching import no_store
from webapp.templating import render

routes = Routes()


@routes.get("/", permission=PUBLIC)
def home(request: Request, viewer):
    """The start page: for a signed-in person what waits for them ("Voor jou"), their
    projects and latest notices.

    On a fresh installation (no accounts yet) it says how to start: `tafel setup`, then the
    invite link. An administrator or coordinator of an organisation without projects sees
    the next steps: make a project, import members.csv."""
    context = {"organisation": Organisation.current(), "my_projects": [], "notices": []}
    if not viewer.signed_in:
        context["first_run"] = not setup.has_accounts()
        return no_store(render(request, "home.html", context))
    if viewer.is_admin or viewer.is_org_coordinator:
        context["first_steps"] = setup.needs_first_project()
    visible = None if viewer.is_org_coordinator else viewer.member_of | viewer.coordinates
    context["my_projects"] = Project.among(visible)
    context["notices"] = list(Announcement.latest(visible, limit=5))
    context["for_you"] = for_you(viewer)
    # Beside "Voor jou": how many news lines are unread (one query, on this page only).
    context["news_unread"] = unread_count(viewer.person_id)
    return render(request, "home.html", context)


async def healthz(request: Request):
    """Health for monitors: 200 with the database reachable, 503 without."""
    if await run_in_threadpool(reachable):
        return JSONResponse({"status": "ok", "database": "ok"})
    return JSONResponse({"status": "error", "database": "unreachable"}, status_code=503)


healthz.permission = PUBLIC
routes.append(Route("/healthz", healthz, methods=["GET"], name="healthz"))


@routes.get("/manage", permission=ANY_COORDINATOR)
def manage(request: Request, viewer):
    """The coordinators' and administrators' tools in one list, so the menu stays short."""
    return render(request, "manage.html")
