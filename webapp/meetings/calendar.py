"""Calendar feeds (ICS): a project's coming meetings, one meeting to add to your own
calendar, or a person's private feed that a calendar app subscribes to without a session."""

from starlette.requests import Request
from starlette.responses import Response

from models.accounts.calendar_feed import find_feed
from models.meetings.exchange import calendar_for, calendar_meetings, person_meetings
from webapp.access import Permission, Routes, project_member
from webapp.i18n import _, current_language, pick_language
from webapp.meetings.permissions import MEETING_MEMBER, the_project
from webapp.templating import file_download

routes = Routes()


def _feed(request: Request):
    """The calendar address named by the URL's token (a 404 when unknown, renewed or
    removed), handed to the handler as `request.state.target`."""
    feed = find_feed(request.path_params["feed_token"])
    if feed is not None:
        request.state.target = feed
    return feed


# The token in the address is the key: whoever holds it reads that person's meetings, no
# session needed (a calendar app has none). The token is a whole path segment, so the
# request log writes `/feed/{feed_token}/tafel.ics` and never the token itself.
FEED_HOLDER = Permission(
    "holder of the calendar address", lambda v, feed: True, target=_feed, login=False
)


def _ics(request: Request, meetings, name: str) -> Response:
    """The calendar file; its links start with TAFEL_BASE_URL, never with the Host header."""
    body = calendar_for(
        meetings,
        name,
        lambda m: _("Meeting %(project)s", project=m.project.name),
        request.app.state.settings.public_url,
    )
    return file_download(body, "tafel.ics", "text/calendar; charset=utf-8")


@routes.get("/projects/{project_id:int}/calendar.ics", permission=project_member())
def project_calendar(request: Request, viewer):
    """The project's coming meetings as a calendar feed."""
    project = the_project(request)
    return _ics(request, calendar_meetings(project.id), project.name)


@routes.get("/meetings/{meeting_id:int}/calendar.ics", permission=MEETING_MEMBER)
def meeting_calendar(request: Request, viewer):
    """One meeting, to add to your own calendar."""
    meeting = request.state.target
    return _ics(request, [meeting], meeting.project.name)


@routes.get("/feed/{feed_token}/tafel.ics", permission=FEED_HOLDER)
def person_calendar(request: Request, viewer):
    """My meetings (of every project I am a member of), for a calendar app to subscribe to;
    in the language of the address's owner, not of whoever asks."""
    feed = request.state.target
    current_language.set(pick_language(feed.account.language))
    response = _ics(request, person_meetings(feed.account.person_id), "Tafel")
    response.headers["Cache-Control"] = "no-store"
    return response
