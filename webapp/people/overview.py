"""The coordinator overview of a project or of the whole organisation: who is where, recent
changes, who wants to grow, overdue development conversations, failing groups."""

from starlette.requests import Request

from models.people.overview import overview_lists
from models.people.representation import banner
from webapp.access import ORGANISATION_MANAGER, Routes, project_coordinator
from webapp.forms import page_params, search_text
from webapp.people.words import GROUP_LABELS, KIND_LABELS, STATUS_LABELS, labels_now
from webapp.templating import render

routes = Routes()


def _overview(request, viewer, project):
    search = search_text(request.query_params.get("q"), 80)
    context = overview_lists(
        project.id if project else None, search, **page_params(request.query_params)
    )
    context.update(
        {
            "project": project,
            "search": search,
            "url": f"/projects/{project.id}/people" if project else "/people",
            **banner(viewer, project.id if project else None),
            "kind_labels": labels_now(KIND_LABELS),
            "status_labels": labels_now(STATUS_LABELS),
            "labels": labels_now(GROUP_LABELS),
        }
    )
    return render(request, "people/overview.html", context, block="people_lists")


@routes.get("/projects/{project_id:int}/people", permission=project_coordinator())
def project_people(request: Request, viewer):
    """The coordinator overview of a project: steps, changes, growth, conversations."""
    return _overview(request, viewer, request.state.target)


@routes.get("/people", permission=ORGANISATION_MANAGER)
def organisation_people(request: Request, viewer):
    """The coordinator overview of the whole organisation."""
    return _overview(request, viewer, None)
