"""The 51% check ("Zijn we cliëntgestuurd?") for the organisation and each project, and its
CSV download for holders of the privacy right."""

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from models.organisation import Project
from models.representation import representation_report
from models.rules.representation import ORGANISATION
from webapp.access import PRIVACY, SIGNED_IN, Routes
from webapp.forms import posted_id
from webapp.i18n import lazy_gettext
from webapp.templating import render

routes = Routes()

GROUP_LABELS = {
    "execution": lazy_gettext("Execution"),
    "coordination": lazy_gettext("Coordination"),
    "management": lazy_gettext("Management"),
    "participant": lazy_gettext("Participant"),
    "volunteer": lazy_gettext("Volunteer"),
    "paid_staff": lazy_gettext("Paid staff"),
}
DIMENSION_LABELS = {"layer": lazy_gettext("Layer"), "role": lazy_gettext("Role")}


def visible_failures(viewer, results) -> list:
    """Failing groups a viewer may learn about: all of them for holders of the privacy right
    and coordinators of the scope; for others only groups of 5 or more (small groups show
    "small group" instead of a result)."""
    shown = []
    for result in results:
        if result.passes:
            continue
        if viewer.has_privacy_right or viewer.is_org_coordinator or not result.small:
            shown.append(result)
    return shown


def banner_for_project(viewer, project_id: int) -> list:
    """The failing groups for the red banner on a project page (two queries)."""
    results = representation_report(project_id)
    if viewer.is_coordinator(project_id):
        return [r for r in results if not r.passes]
    return visible_failures(viewer, results)


def _scopes(results):
    """The report split per scope, keeping the report's order."""
    scopes: dict[str, list] = {}
    for result in results:
        scopes.setdefault(result.scope, []).append(result)
    return scopes


@routes.get("/representation", rule=SIGNED_IN)
def representation_page(request: Request, viewer):
    """Are we client-steered? The 51% check for the organisation and every project."""
    results = representation_report()
    projects = {p.name: p.id for p in Project.select(Project.id, Project.name)}
    return render(
        request,
        "people/representation.html",
        {
            "scopes": _scopes(results),
            "project_ids": projects,
            "project": None,
            "ORGANISATION": ORGANISATION,
            "labels": GROUP_LABELS,
            "dimensions": DIMENSION_LABELS,
            "failures": visible_failures(viewer, results),
            "counts": viewer.has_privacy_right,
        },
    )


@routes.get("/projects/{project_id:int}/representation", rule=SIGNED_IN)
def project_representation(request: Request, viewer):
    """The 51% check for one project."""
    project = Project.get_or_none(Project.id == request.path_params["project_id"])
    if project is None:
        raise HTTPException(404)
    results = representation_report(project)
    return render(
        request,
        "people/representation.html",
        {
            "scopes": _scopes(results),
            "project_ids": {project.name: project.id},
            "project": project,
            "ORGANISATION": ORGANISATION,
            "labels": GROUP_LABELS,
            "dimensions": DIMENSION_LABELS,
            "failures": banner_for_project(viewer, project.id),
            "counts": viewer.has_privacy_right,
        },
    )


@routes.get("/representation.csv", rule=PRIVACY)
def representation_download(request: Request, viewer):
    """The 51% check as representation.csv (DATA-EXCHANGE.md); ?excel=1 for Dutch Excel."""
    from webapp.people_exchange import representation_csv

    project = None
    wanted = request.query_params.get("project")
    if wanted:
        project_id = posted_id(wanted)
        if project_id is not None:
            project = Project.get_or_none(Project.id == project_id)
        if project is None:
            raise HTTPException(404)
    excel = request.query_params.get("excel") == "1"
    name = "representation.csv"
    return Response(
        representation_csv(project, excel=excel).encode("utf-8"),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
