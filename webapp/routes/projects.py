"""The organisation and its projects: list, create, edit, a project page and its notice board."""

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse
from wtforms import RadioField, StringField, TextAreaField, validators

from models import audit
from models.db import database
from models.organisation import LADDER_LEVELS, STEERING_TYPES, Announcement, Organisation, Project
from webapp.access import (
    SIGNED_IN,
    Routes,
    Rule,
    project_coordinator,
    project_member,
)
from webapp.forms import TafelForm, bind
from webapp.i18n import _, lazy_gettext
from webapp.templating import render

routes = Routes()


def meetings_panel(project_id: int):
    """The coming rota and successes (the meetings area fills this)."""
    from webapp.routes.meetings import project_panel

    return project_panel(project_id)


# Creating projects and naming the organisation: organisation coordinators and administrators.
ORGANISATION_MANAGER = Rule(
    "organisation coordinator or administrator", lambda v, p: v.is_org_coordinator or v.is_admin
)

STEERING_LABELS = {
    "client_initiative": lazy_gettext("Client initiative"),
    "client_steered": lazy_gettext("Client-steered"),
    "co_steered": lazy_gettext("Co-steered"),
}
STEERING_EXPLAINED = {
    "client_initiative": lazy_gettext("The idea came from clients. Staff run the project."),
    "client_steered": lazy_gettext("Clients had the idea and also run the project themselves."),
    "co_steered": lazy_gettext("Clients and professionals run the project together."),
}
# The participation ladder (DOMAIN.md point 7), each level in one plain sentence.
LADDER_LABELS = {
    1: lazy_gettext("Inform"),
    2: lazy_gettext("Consult"),
    3: lazy_gettext("Advise"),
    4: lazy_gettext("Co-produce"),
    5: lazy_gettext("Co-decide"),
    6: lazy_gettext("Self-govern"),
}
LADDER_EXPLAINED = {
    1: lazy_gettext("Clients are told what is decided."),
    2: lazy_gettext("Clients are asked what they think, others decide."),
    3: lazy_gettext("Clients give advice, and others must answer it."),
    4: lazy_gettext("Clients and others make plans together."),
    5: lazy_gettext("Clients decide together with others."),
    6: lazy_gettext("Clients decide and run it themselves."),
}


def project_or_404(project_id: int) -> Project:
    """The project, or a 404 page."""
    project = Project.get_or_none(Project.id == project_id)
    if project is None:
        raise HTTPException(404)
    return project


class ProjectForm(TafelForm):
    name = StringField(
        lazy_gettext("Name"),
        [
            validators.InputRequired(message=lazy_gettext("Give the project a name.")),
            validators.Length(max=120, message=lazy_gettext("Use at most 120 characters.")),
        ],
    )
    description = TextAreaField(
        lazy_gettext("Short description"),
        [validators.Length(max=2000, message=lazy_gettext("Use at most 2000 characters."))],
    )
    steering_type = RadioField(
        lazy_gettext("Who steers the project?"),
        choices=[(key, STEERING_LABELS[key]) for key in STEERING_TYPES],
        default="client_steered",
        validate_choice=True,
    )
    ladder_level = RadioField(
        lazy_gettext("How much do clients decide?"),
        choices=[(level, LADDER_LABELS[level]) for level in LADDER_LEVELS],
        coerce=int,
        default=4,
    )

    def __init__(self, *args, project_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.project_id = project_id
        self.steering_type.choices = [(k, str(STEERING_LABELS[k])) for k in STEERING_TYPES]
        self.ladder_level.choices = [
            (level, f"{level}. {LADDER_LABELS[level]}: {LADDER_EXPLAINED[level]}")
            for level in LADDER_LEVELS
        ]

    def validate_name(self, field):
        field.data = (field.data or "").strip()
        taken = Project.select().where(Project.name == field.data)
        if self.project_id:
            taken = taken.where(Project.id != self.project_id)
        if taken.exists():
            raise validators.ValidationError(_("Another project already has this name."))


def _project_values(project: Project) -> dict:
    return {
        "name": project.name,
        "description": project.description,
        "steering_type": project.steering_type,
        "ladder_level": project.ladder_level,
    }


@routes.get("/projects", rule=SIGNED_IN)
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


@routes.get("/projects/new", rule=ORGANISATION_MANAGER)
def project_new(request: Request, viewer):
    """The form for a new project."""
    return render(request, "projects/form.html", {"form": ProjectForm(), "project": None})


@routes.post("/projects/new", rule=ORGANISATION_MANAGER)
def project_create(request: Request, viewer):
    """Create a project."""
    form = bind(ProjectForm, request)
    if not form.validate():
        return render(
            request, "projects/form.html", {"form": form, "project": None}, status_code=400
        )
    with database.atomic():
        project = Project.create(
            name=form.name.data,
            description=form.description.data.strip(),
            steering_type=form.steering_type.data,
            ladder_level=form.ladder_level.data,
        )
        audit.record(
            viewer.account_id,
            "project.create",
            project,
            project=project,
            after=_project_values(project),
        )
    return RedirectResponse(f"/projects/{project.id}", status_code=303)


@routes.get("/projects/{project_id:int}", rule=SIGNED_IN)
def project_page(request: Request, viewer):
    """A project: what it is, who steers it, and (for its people) the latest notices."""
    project = project_or_404(request.path_params["project_id"])
    insider = viewer.can_see_project(project.id)
    from webapp.routes.representation import banner_for_project

    return render(
        request,
        "projects/page.html",
        {
            "project": project,
            "insider": insider,
            "can_edit": viewer.is_coordinator(project.id),
            "notices": list(Announcement.board(project, limit=3)) if insider else [],
            "meetings_panel": meetings_panel(project.id) if insider else None,
            "steering_label": STEERING_LABELS.get(project.steering_type),
            "steering_explained": STEERING_EXPLAINED.get(project.steering_type),
            "ladder_label": LADDER_LABELS.get(project.ladder_level),
            "ladder_explained": LADDER_EXPLAINED.get(project.ladder_level),
            "failures": banner_for_project(viewer, project.id),
        },
    )


@routes.get("/projects/{project_id:int}/edit", rule=project_coordinator())
def project_edit(request: Request, viewer):
    """The form to change a project."""
    project = project_or_404(request.path_params["project_id"])
    form = ProjectForm(obj=project, project_id=project.id)
    return render(request, "projects/form.html", {"form": form, "project": project})


@routes.post("/projects/{project_id:int}/edit", rule=project_coordinator())
def project_update(request: Request, viewer):
    """Save changes to a project."""
    project = project_or_404(request.path_params["project_id"])
    form = ProjectForm(formdata=request.state.form, project_id=project.id)
    if not form.validate():
        return render(
            request, "projects/form.html", {"form": form, "project": project}, status_code=400
        )
    with database.atomic():
        before = _project_values(project)
        project.name = form.name.data
        project.description = form.description.data.strip()
        project.steering_type = form.steering_type.data
        project.ladder_level = form.ladder_level.data
        project.save()
        audit.record(
            viewer.account_id,
            "project.update",
            project,
            project=project,
            before=before,
            after=_project_values(project),
        )
    return RedirectResponse(f"/projects/{project.id}", status_code=303)


class AnnouncementForm(TafelForm):
    title = StringField(
        lazy_gettext("Title"),
        [
            validators.InputRequired(message=lazy_gettext("Write a short title.")),
            validators.Length(max=200, message=lazy_gettext("Use at most 200 characters.")),
        ],
    )
    body = TextAreaField(
        lazy_gettext("Message"),
        [
            validators.InputRequired(message=lazy_gettext("Write the message.")),
            validators.Length(max=5000, message=lazy_gettext("Use at most 5000 characters.")),
        ],
    )


def _board(request, viewer, project, form, status_code=200):
    return render(
        request,
        "projects/notices.html",
        {
            "project": project,
            "notices": list(Announcement.board(project)),
            "form": form,
            "can_post": viewer.is_coordinator(project.id),
        },
        block="notices",
        status_code=status_code,
    )


@routes.get("/projects/{project_id:int}/notices", rule=project_member())
def notice_board(request: Request, viewer):
    """The project's notice board, newest first."""
    project = project_or_404(request.path_params["project_id"])
    return _board(request, viewer, project, AnnouncementForm())


@routes.post("/projects/{project_id:int}/notices", rule=project_coordinator())
def notice_create(request: Request, viewer):
    """Post an official notice on the project's board."""
    project = project_or_404(request.path_params["project_id"])
    form = bind(AnnouncementForm, request)
    if not form.validate():
        return _board(request, viewer, project, form, status_code=400)
    with database.atomic():
        notice = Announcement.create(
            project=project,
            title=form.title.data.strip(),
            body=form.body.data.strip(),
            author=viewer.person_id,
        )
        audit.record(
            viewer.account_id,
            "notice.create",
            notice,
            project=project,
            after={"title": notice.title},
        )
    return RedirectResponse(f"/projects/{project.id}/notices", status_code=303)


class OrganisationForm(TafelForm):
    name = StringField(
        lazy_gettext("Name"),
        [
            validators.InputRequired(message=lazy_gettext("Give the organisation a name.")),
            validators.Length(max=120, message=lazy_gettext("Use at most 120 characters.")),
        ],
    )
    description = TextAreaField(
        lazy_gettext("Short description"),
        [validators.Length(max=2000, message=lazy_gettext("Use at most 2000 characters."))],
    )


@routes.get("/organisation/edit", rule=ORGANISATION_MANAGER)
def organisation_edit(request: Request, viewer):
    """The form to change the organisation's name and description."""
    form = OrganisationForm(obj=Organisation.current())
    return render(request, "projects/organisation.html", {"form": form})


@routes.post("/organisation/edit", rule=ORGANISATION_MANAGER)
def organisation_update(request: Request, viewer):
    """Save the organisation's name and description."""
    form = bind(OrganisationForm, request)
    if not form.validate():
        return render(request, "projects/organisation.html", {"form": form}, status_code=400)
    with database.atomic():
        org = Organisation.current()
        before = {"name": org.name, "description": org.description}
        org.name = form.name.data.strip()
        org.description = form.description.data.strip()
        org.save()
        audit.record(
            viewer.account_id,
            "organisation.update",
            org,
            before=before,
            after={"name": org.name, "description": org.description},
        )
    return RedirectResponse("/projects", status_code=303)
