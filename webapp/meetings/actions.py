"""Actions: added at a meeting by its chair or minute-taker, listed under "my actions", and
moved on by their owner (dropping one needs a reason)."""

from starlette.requests import Request

from models.clock import today
from models.meetings.actions import add_action, set_status, taken_on_by
from models.meetings.tables import members_of
from webapp.access import SIGNED_IN, Routes
from webapp.forms import bind, page_params
from webapp.meetings.forms import ActionForm, ActionStatusForm
from webapp.meetings.meeting import show_meeting
from webapp.meetings.permissions import ACTION_OWNER, MEETING_RUNNER
from webapp.meetings.words import page, see_other

routes = Routes()


@routes.post("/meetings/{meeting_id:int}/actions", permission=MEETING_RUNNER)
def action_add(request: Request, viewer):
    """Add an action with an owner (or duo) and an optional due date."""
    meeting = request.state.target
    form = bind(ActionForm, request)
    members = {p.id for p in members_of(meeting.project_id)}
    if not form.validate_for(meeting.project_id, members):
        return show_meeting(request, viewer, meeting, {"action": form}, status_code=400)
    add_action(
        meeting,
        form.description.data.strip(),
        owner=form.owner.data,
        duo_owner=form.duo_owner.data or None,
        due=form.due.data,
        proposal=form.proposal.data or None,
        actor=viewer,
    )
    return see_other(f"/meetings/{meeting.id}#actions")


@routes.get("/actions/mine", permission=SIGNED_IN)
def my_actions(request: Request, viewer):
    """The actions I (or my duo) take on, open ones first."""
    return page(
        request,
        "meetings/my_actions.html",
        {
            "actions": taken_on_by(viewer.person_id, **page_params(request.query_params)),
            "status_form": ActionStatusForm,
            "today": today(),
        },
    )


@routes.post("/actions/{action_id:int}/status", permission=ACTION_OWNER)
def action_status(request: Request, viewer):
    """Change an action's status; dropping needs a reason."""
    action = request.state.target
    form = bind(ActionStatusForm, request)
    if not form.validate():
        return page(
            request,
            "meetings/action_status.html",
            {"action": action, "form": form},
            status_code=400,
        )
    set_status(action, form.status.data, form.reason.data, actor=viewer)
    return see_other("/actions/mine")
