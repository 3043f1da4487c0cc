"""The next meeting on paper (issue 21.4): the list for the table and a slip per member, for
people without a phone or a computer. Print CSS leaves the menu and the buttons off."""

from starlette.requests import Request

from models.meetings.paper import paper_list
from webapp.access import Routes
from webapp.meetings.permissions import MEETING_MEMBER
from webapp.meetings.words import page

routes = Routes()


@routes.get("/meetings/{meeting_id:int}/paper", permission=MEETING_MEMBER)
def meeting_paper(request: Request, viewer):
    """The list for the meeting: who has a turn, the agenda, what was decided since the
    last meeting and what waits for whom."""
    meeting = request.state.target
    return page(request, "meetings/paper.html", {"paper": paper_list(meeting)})


@routes.get("/meetings/{meeting_id:int}/slips", permission=MEETING_MEMBER)
def meeting_slips(request: Request, viewer):
    """A slip per member to cut out and hand over: the meeting, their turn, their actions
    and what was decided since the last meeting."""
    meeting = request.state.target
    return page(request, "meetings/slips.html", {"paper": paper_list(meeting)})
