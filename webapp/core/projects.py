"""The organisation and its projects: list, create, edit, a project page and its notice board."""

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse

from models import projects as changes
from models.meetings.planning import project_panel
from models.organisation import PROJECT_BY_ID, Announcement, Organisation, Project
from models.people.representation import banner
from webapp.access import (
    ORGANISATION_MANAGER,
    SIGNED_IN,
    Routes,
    project_coordinator,
    project_member,
    url_id,
)
from webapp.core.forms import AnnouncementForm, OrganisationForm, ProjectForm
from webapp.core.words import LADDER_EXPLAINED, LADDER_LABELS, STEERING_EXPLAINED, STEERING_LABELS
from webapp.forms import bind, page_params
from webapp.templating import render

routes = Routes()


@routes.get("/projects", permission=SIGNED_IN)
def project_list(request: Request, viewer):
    """All projects of the organisation, with the viewer's own marked."""
    return render(
        request,
        "projects/list.html",
        {
            "organisation": Organisation.current(),
            "projects": list(Project.by_name()),
            "steering_labels": STEERING_LABELS,
            "can_create": viewer.is_org_coordinator or viewer.is_admin,
        },
    )


@routes.get("/projects/new", permission=ORGANISATION_MANAGER)
def project_new(request: Request, viewer):
    """The form for a new project."""
    return render(request, "projects/form.html", {"form": ProjectForm(), "project": None})


@routes.post("/projects/new", permission=ORGANISATION_MANAGER)
def project_create(request: Request, viewer):
    """Create a project."""
    form = bind(ProjectForm, request)
    if not form.validate():
        return render(
            request, "projects/form.html", {"form": form, "project": None}, status_code=400
        )
    project = changes.create_project(viewer.account_id, **form.values())
    return RedirectResponse(f"/projects/{project.id}", status_code=303)


@routes.get("/projects/{project_id:int}", permission=SIGNED_IN)
def project_page(request: Request, viewer):
    """A project: what it is, who steers it, and (for its people) the latest notices."""
    project = PROJECT_BY_ID.first(id=url_id(request, "project_id"))
    if project is None:
        raise HTTPException(404)
    insider = viewer.can_see_project(project.id)
    return render(
        request,
        "projects/page.html",
        {
            "project": project,
            "insider": insider,
            "can_edit": viewer.is_coordinator(project.id),
            "notices": Announcement.board(project, limit=3) if insider else [],
            "meetings_panel": project_panel(project.id) if insider else None,
            "steering_label": STEERING_LABELS.get(project.steering_type),
            "steering_explained": STEERING_EXPLAINED.get(project.steering_type),
            "ladder_label": LADDER_LABELS.get(project.ladder_level),
            "ladder_explained": LADDER_EXPLAINED.get(project.ladder_level),
            **banner(viewer, project.id),
        },
    )


@routes.get("/projects/{project_id:int}/edit", permission=project_coordinator())
def project_edit(request: Request, viewer):
    """The form to change a project."""
    project = request.state.target
    form = ProjectForm(obj=project, project_id=project.id)
    return render(request, "projects/form.html", {"form": form, "project": project})


@routes.post("/projects/{project_id:int}/edit", permission=project_coordinator())
def project_update(request: Request, viewer):
    """Save changes to a project."""
    project = request.state.target
    form = bind(ProjectForm, request, project_id=project.id)
    if not form.validate():
        return render(
            request, "projects/form.html", {"form": form, "project": project}, status_code=400
        )
    changes.update_project(viewer.account_id, project, **form.values())
    return RedirectResponse(f"/projects/{project.id}", status_code=303)


def _board(request, viewer, project, form, status_code=200):
    return render(
        request,
        "projects/notices.html",
        {
            "project": project,
            "notices": Announcement.board_page(project, **page_params(request.query_params)),
            "form": form,
            "can_post": viewer.is_coordinator(project.id),
        },
        block="notices",
        status_code=status_code,
    )


@routes.get("/projects/{project_id:int}/notices", permission=project_member())
def notice_board(request: Request, viewer):
    """The project's notice board, newest first."""
    return _board(request, viewer, request.state.target, AnnouncementForm())


@routes.post("/projects/{project_id:int}/notices", permission=project_coordinator())
def notice_create(request: Request, viewer):
    """Post an official notice on the project's board."""
    project = request.state.target
    form = bind(AnnouncementForm, request)
    if not form.validate():
        return _board(request, viewer, project, form, status_code=400)
    changes.post_notice(
        viewer.account_id,
        project,
        author=viewer.person_id,
        title=form.title.data.strip(),
        body=form.body.data.strip(),
    )
    return RedirectResponse(f"/projects/{project.id}/notices", status_code=303)


@routes.get("/organisation/edit", permission=ORGANISATION_MANAGER)
def organisation_edit(request: Request, viewer):
    """The form to change the organisation's name and description."""
    form = OrganisationForm(obj=Organisation.current())
    return render(request, "projects/organisation.html", {"form": form})


@routes.post("/organisation/edit", permission=ORGANISATION_MANAGER)
def organisation_update(request: Request, viewer):
    """Save the organisation's name and description."""
    form = bind(OrganisationForm, request)
    if not form.validate():
        return render(request, "projects/organisation.html", {"form": form}, status_code=400)
    changes.rename_organisation(
        viewer.account_id, form.name.data.strip(), form.description.data.strip()
    )
    return RedirectResponse("/projects", status_code=303)
