"""A project's meetings: the coming ones with the rota, the past ones, planning more, and the
successes to celebrate."""

from starlette.requests import Request

from models.meetings import Meeting, Success
from models.meetings.planning import add_success, default_start, plan_meetings
from models.meetings.rota import swaps_waiting
from webapp.access import Routes, project_coordinator, project_member
from webapp.forms import bind, page_params
from webapp.meetings.forms import PlanForm, SuccessForm
from webapp.meetings.permissions import the_project
from webapp.meetings.words import page, see_other

routes = Routes()


def meetings_page(request, viewer, plan_form=None, success_form=None, status_code=200):
    """The project's meetings page, with the forms as posted when they were refused."""
    project = the_project(request)
    coming = Meeting.not_closed(project.id)
    return page(
        request,
        "meetings/list.html",
        {
            "project": project,
            "coming": coming,
            "past": Meeting.past_page(project.id, **page_params(request.query_params)),
            "swaps": swaps_waiting(viewer.person_id, [m.id for m in coming]),
            "can_plan": viewer.is_coordinator(project.id),
            "plan_form": plan_form or PlanForm(data={"start": default_start(project.id)}),
            "success_form": success_form or SuccessForm(),
            "successes": Success.recent(project.id),
        },
        status_code=status_code,
    )


@routes.get("/projects/{project_id:int}/meetings", permission=project_member())
def meeting_list(request: Request, viewer):
    """The project's meetings: the coming ones with the rota, and the past ones."""
    return meetings_page(request, viewer)


@routes.post("/projects/{project_id:int}/meetings/plan", permission=project_coordinator())
def meeting_plan(request: Request, viewer):
    """Plan monthly meetings and assign the rota."""
    form = bind(PlanForm, request)
    if not form.validate():
        return meetings_page(request, viewer, plan_form=form, status_code=400)
    plan_meetings(
        request.state.target.id,
        form.count.data,
        form.start.data,
        time=form.time.data,
        place=(form.place.data or "").strip(),
        actor=viewer,
    )
    return see_other(f"/projects/{request.state.target.id}/meetings")


@routes.post("/projects/{project_id:int}/successes", permission=project_member())
def success_add(request: Request, viewer):
    """Add a success to celebrate."""
    form = bind(SuccessForm, request)
    if not form.validate():
        return meetings_page(request, viewer, success_form=form, status_code=400)
    add_success(request.state.target.id, form.text.data.strip(), actor=viewer)
    return see_other(f"/projects/{request.state.target.id}/meetings")
