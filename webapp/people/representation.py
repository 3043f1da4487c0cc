"""The 51% check ("Zijn we cliëntgestuurd?") for the organisation and each project, and its
CSV download for holders of the privacy right."""

from starlette.exceptions import HTTPException
from starlette.requests import Request

from models.organisation import Project
from models.paging import page_of
from models.people import EdgeEvent
from models.people.exchange import representation_csv
from models.people.representation import (
    banner,
    per_scope,
    project_links,
    report_for,
)
from models.rules.representation import ORGANISATION
from webapp.access import PRIVACY, SIGNED_IN, Permission, Routes, project_param
from webapp.forms import page_params, posted_id
from webapp.people.words import DIMENSION_LABELS, GROUP_LABELS, labels_now
from webapp.templating import file_download, render

routes = Routes()


PROJECTS_PER_PAGE = 25  # 200 projects made the organisation's page 205 KB (issue 13)


def _page(request, viewer, results, *, project, project_ids):
    """The report: the organisation first, then a page of its projects (in the report's
    order, ?after=project id)."""
    scopes = per_scope(results)
    projects = page_of(
        [name for name in scopes if name != ORGANISATION],
        lambda name: project_ids.get(name, 0),
        size=PROJECTS_PER_PAGE,
        **page_params(request.query_params),
    )
    shown = {name: rows for name, rows in scopes.items() if name == ORGANISATION}
    shown.update({name: scopes[name] for name in projects.rows})
    return render(
        request,
        "people/representation.html",
        {
            "scopes": shown,
            "projects_page": projects,
            "project_ids": project_ids,
            "project": project,
            "ORGANISATION": ORGANISATION,
            "labels": labels_now(GROUP_LABELS),
            "dimensions": labels_now(DIMENSION_LABELS),
            **banner(viewer, project.id if project else None, results),
            "counts": viewer.has_privacy_right,
            # The edge watch (models/people/edge_watch.py): only the privacy right is told.
            "edge_alerts": EdgeEvent.recent_alerts() if viewer.has_privacy_right else [],
        },
    )


@routes.get("/representation", permission=SIGNED_IN)
def representation_page(request: Request, viewer):
    """Are we client-steered? The 51% check for the organisation and every project."""
    results = report_for(viewer)
    return _page(
        request,
        viewer,
        results,
        project=None,
        project_ids=project_links(),
    )


# Everyone signed in sees a project's 51% check; the rule finds (and loads) the project.
SIGNED_IN_PROJECT = Permission("signed in", lambda v, p: v.signed_in, target=project_param)


@routes.get("/projects/{project_id:int}/representation", permission=SIGNED_IN_PROJECT)
def project_representation(request: Request, viewer):
    """The 51% check for one project."""
    project = request.state.target
    return _page(
        request,
        viewer,
        report_for(viewer, project),
        project=project,
        project_ids={project.name: project.id},
    )


@routes.get("/representation.csv", permission=PRIVACY)
def representation_download(request: Request, viewer):
    """The 51% check as representation.csv (DATA-EXCHANGE.md); ?excel=1 for Dutch Excel."""
    project = None
    wanted = request.query_params.get("project")
    if wanted:
        project_id = posted_id(wanted)
        if project_id is not None:
            project = Project.get_or_none(Project.id == project_id)
        if project is None:
            raise HTTPException(404)
    excel = request.query_params.get("excel") == "1"
    return file_download(representation_csv(project, excel=excel), "representation.csv")
