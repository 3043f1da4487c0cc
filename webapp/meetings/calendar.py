"""Calendar feeds (ICS): a project's coming meetings, or one meeting to add to your own
calendar."""

from starlette.requests import Request
from starlette.responses import Response

from models.meetings.exchange import calendar_for, calendar_meetings
from webapp.access import Routes, project_member
from webapp.i18n import _
from webapp.meetings.rules import MEETING_MEMBER, the_project

routes = Routes()


def _ics(request: Request, meetings, name: str) -> Response:
    """The calendar file; its links start with TAFEL_BASE_URL, never with the Host header."""
    body = calendar_for(
        meetings,
        name,
        lambda m: _("Meeting %(project)s", project=m.project.name),
        request.app.state.settings.public_url,
    )
    return Response(
        body,
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="tafel.ics"'},
    )


@routes.get("/projects/{project_id:int}/calendar.ics", rule=project_member())
def project_calendar(request: Request, viewer):
    """The project's coming meetings as a calendar feed."""
    project = the_project(request)
    return _ics(request, calendar_meetings(project.id), project.name)


@routes.get("/meetings/{meeting_id:int}/calendar.ics", rule=MEETING_MEMBER)
def meeting_calendar(request: Request, viewer):
    """One meeting, to add to your own calendar."""
    meeting = request.state.target
    return _ics(request, [meeting], meeting.project.name)
