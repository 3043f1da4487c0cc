"""Moving, cancelling and adding meetings (issue 21 point 1; docs/rules.md "Moving,
cancelling and adding meetings"): the meeting's chair or a coordinator moves or cancels a
coming meeting, a coordinator adds an extra one. The writes are models/meetings/changes.py."""

from starlette.requests import Request

from models.meetings import MeetingSeries
from models.meetings.changes import (
    MoveRefused,
    add_meeting,
    cancel_meeting,
    move_meeting,
    next_free_day,
)
from models.meetings.errors import Locked
from webapp.access import Routes, project_coordinator
from webapp.forms import bind
from webapp.i18n import _
from webapp.meetings.change_forms import CancelForm, MeetingMomentForm
from webapp.meetings.permissions import MEETING_CHAIR, the_project
from webapp.meetings.words import page, see_other

routes = Routes()


def refusal(reason: str) -> str:
    """The sentence next to the date when the moment cannot be (MoveRefused's reasons)."""
    return {
        "past": _("This moment has passed. Choose a date and time still to come."),
        "taken": _(
            "Another meeting of this project is at that moment. Choose another date or time."
        ),
        "same": _("The meeting is already then and there. Change the date, time or place."),
    }[reason]


def change_page(request, meeting, move_form=None, cancel_form=None, status_code=200):
    """The page to move or cancel a meeting, with a form as posted when it was refused."""
    return page(
        request,
        "meetings/change.html",
        {
            "meeting": meeting,
            "project": meeting.project,
            "move_form": move_form
            or MeetingMomentForm(
                data={"date": meeting.date, "time": meeting.time, "place": meeting.place}
            ),
            "cancel_form": cancel_form or CancelForm(),
        },
        status_code=status_code,
    )


@routes.get("/meetings/{meeting_id:int}/change", permission=MEETING_CHAIR)
def meeting_change(request: Request, viewer):
    """Move the meeting to another moment, or cancel it."""
    return change_page(request, request.state.target)


@routes.post("/meetings/{meeting_id:int}/move", permission=MEETING_CHAIR)
def meeting_move(request: Request, viewer):
    """Move the meeting: the same agenda and turns, another date, time or place."""
    meeting = request.state.target
    form = bind(MeetingMomentForm, request)
    if meeting.state != "planned":
        return change_page(request, meeting, move_form=form, status_code=409)
    if not form.validate():
        return change_page(request, meeting, move_form=form, status_code=400)
    try:
        move_meeting(
            meeting.id,
            form.date.data,
            form.time.data,
            (form.place.data or "").strip(),
            actor=viewer,
        )
    except MoveRefused as refused:
        form.date.errors = [refusal(refused.reason)]
        return change_page(request, meeting, move_form=form, status_code=400)
    except Locked:  # started or cancelled meanwhile: the page says so
        return change_page(request, meeting, move_form=form, status_code=409)
    return see_other(f"/meetings/{meeting.id}")


@routes.post("/meetings/{meeting_id:int}/cancel", permission=MEETING_CHAIR)
def meeting_cancel(request: Request, viewer):
    """Cancel the meeting, with a reason everyone sees."""
    meeting = request.state.target
    form = bind(CancelForm, request)
    if meeting.state != "planned":
        return change_page(request, meeting, cancel_form=form, status_code=409)
    if not form.validate():
        return change_page(request, meeting, cancel_form=form, status_code=400)
    try:
        cancel_meeting(meeting.id, form.reason.data.strip(), actor=viewer)
    except Locked:
        return change_page(request, meeting, cancel_form=form, status_code=409)
    return see_other(f"/meetings/{meeting.id}")


def extra_page(request, form=None, status_code=200):
    project = the_project(request)
    if form is None:
        series = MeetingSeries.select().where(MeetingSeries.project == project.id).first()
        form = MeetingMomentForm(
            data={
                "date": next_free_day(project.id),
                "time": series.time if series else None,
                "place": series.place if series else "",
            }
        )
    return page(
        request, "meetings/extra.html", {"project": project, "form": form}, status_code=status_code
    )


@routes.get("/projects/{project_id:int}/meetings/extra", permission=project_coordinator())
def meeting_extra(request: Request, viewer):
    """Add an extra meeting to the project's series."""
    return extra_page(request)


@routes.post("/projects/{project_id:int}/meetings/extra", permission=project_coordinator())
def meeting_extra_add(request: Request, viewer):
    """Add the extra meeting; the rota chooses its chair and minute-taker."""
    form = bind(MeetingMomentForm, request)
    if not form.validate():
        return extra_page(request, form, status_code=400)
    try:
        meeting = add_meeting(
            the_project(request).id,
            form.date.data,
            form.time.data,
            (form.place.data or "").strip(),
            actor=viewer,
        )
    except MoveRefused as refused:
        form.date.errors = [refusal(refused.reason)]
        return extra_page(request, form, status_code=400)
    return see_other(f"/meetings/{meeting.id}")
