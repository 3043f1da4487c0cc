"""Access rules for meetings: the chair, the minute-taker and the owner of an action.

A rule's `project` function finds the project of the object in the URL; for these rules it
also notes the viewer's part in that object (chair, minute-taker, owner …) so the rule's
test can use it. Both run one after the other in the same request thread.
"""

import contextvars

from starlette.requests import Request

from models.meetings import Action, AgendaItem, Meeting, Proposal, Signal, TurnSwap
from webapp.access import Rule, url_id

_parts: contextvars.ContextVar[frozenset] = contextvars.ContextVar(
    "meeting_parts", default=frozenset()
)


def _meeting_parts(meeting: Meeting, viewer) -> set:
    parts = set()
    if viewer.person_id and viewer.person_id in (meeting.chair_id, meeting.chair_duo_id):
        parts.add("chair")
    if viewer.person_id and viewer.person_id == meeting.minute_taker_id:
        parts.add("minutes")
    return parts


def _note(parts: set) -> None:
    _parts.set(frozenset(parts))


def _meeting_columns():
    return (Meeting.id, Meeting.project, Meeting.chair, Meeting.chair_duo, Meeting.minute_taker)


def meeting_project(request: Request) -> int | None:
    """The project of {meeting_id}; notes whether the viewer chairs or takes minutes."""
    meeting = (
        Meeting.select(*_meeting_columns())
        .where(Meeting.id == url_id(request, "meeting_id"))
        .first()
    )
    if meeting is None:
        return None
    _note(_meeting_parts(meeting, request.state.viewer))
    return meeting.project_id


def minutes_project(request: Request) -> int | None:
    """Like meeting_project, and also notes "next_chair" for the chair of the next meeting
    (who approves these minutes, PRODUCT.md "Minutes")."""
    meeting = (
        Meeting.select(*_meeting_columns(), Meeting.date)
        .where(Meeting.id == url_id(request, "meeting_id"))
        .first()
    )
    if meeting is None:
        return None
    viewer = request.state.viewer
    parts = _meeting_parts(meeting, viewer)
    following = (
        Meeting.select(*_meeting_columns())
        .where(
            (Meeting.project == meeting.project_id)
            & (
                (Meeting.date > meeting.date)
                | ((Meeting.date == meeting.date) & (Meeting.id > meeting.id))
            )
        )
        .order_by(Meeting.date, Meeting.id)
        .first()
    )
    if following is not None and "chair" in _meeting_parts(following, viewer):
        parts.add("next_chair")
    _note(parts)
    return meeting.project_id


def agenda_item_project(request: Request) -> int | None:
    """The project of {item_id}'s meeting; notes the viewer's part in that meeting."""
    meeting = (
        Meeting.select(*_meeting_columns())
        .join(AgendaItem, on=(AgendaItem.meeting == Meeting.id))
        .where(AgendaItem.id == url_id(request, "item_id"))
        .first()
    )
    if meeting is None:
        return None
    _note(_meeting_parts(meeting, request.state.viewer))
    return meeting.project_id


def proposal_project(request: Request) -> int | None:
    """The project of {proposal_id}; notes the viewer's part in its meeting."""
    meeting = (
        Meeting.select(*_meeting_columns())
        .join(AgendaItem, on=(AgendaItem.meeting == Meeting.id))
        .join(Proposal, on=(Proposal.agenda_item == AgendaItem.id))
        .where(Proposal.id == url_id(request, "proposal_id"))
        .first()
    )
    if meeting is None:
        return None
    _note(_meeting_parts(meeting, request.state.viewer))
    return meeting.project_id


def action_project(request: Request) -> int | None:
    """The project of {action_id}; notes "owner" for its owner or duo owner."""
    action = (
        Action.select(Action.project, Action.owner, Action.duo_owner)
        .where(Action.id == url_id(request, "action_id"))
        .first()
    )
    if action is None:
        return None
    person = request.state.viewer.person_id
    _note({"owner"} if person and person in (action.owner_id, action.duo_owner_id) else set())
    return action.project_id


def swap_project(request: Request) -> int | None:
    """The project of {swap_id}'s meeting; notes "asked" for the person who is asked."""
    swap = (
        TurnSwap.select(TurnSwap.asked_to, Meeting.project)
        .join(Meeting, on=(TurnSwap.meeting == Meeting.id))
        .where(TurnSwap.id == url_id(request, "swap_id"))
        .first()
    )
    if swap is None:
        return None
    person = request.state.viewer.person_id
    _note({"asked"} if person and person == swap.asked_to_id else set())
    return swap.meeting.project_id


def signal_project(request: Request) -> int | None:
    return Signal.select(Signal.project).where(Signal.id == url_id(request, "signal_id")).scalar()


def _has(part: str):
    return part in _parts.get()


def _member_with(part: str):
    return lambda v, p: v.is_coordinator(p) or (v.is_member(p) and _has(part))


MEETING_MEMBER = Rule("member of the project", lambda v, p: v.can_see_project(p), meeting_project)
MEETING_CHAIR = Rule(
    "chair of the meeting or a coordinator", _member_with("chair"), meeting_project
)
MEETING_RUNNER = Rule(
    "chair or minute-taker of the meeting, or a coordinator",
    lambda v, p: v.is_coordinator(p) or (v.is_member(p) and (_has("chair") or _has("minutes"))),
    meeting_project,
)
MEETING_COORDINATOR = Rule(
    "coordinator of the project", lambda v, p: v.is_coordinator(p), meeting_project
)
MINUTES_MEMBER = Rule("member of the project", lambda v, p: v.can_see_project(p), minutes_project)
MINUTES_WRITER = Rule(
    "minute-taker or chair of the meeting, or a coordinator",
    lambda v, p: v.is_coordinator(p) or (v.is_member(p) and (_has("chair") or _has("minutes"))),
    minutes_project,
)
MINUTES_APPROVER = Rule(
    "chair of the next meeting or a coordinator", _member_with("next_chair"), minutes_project
)
AGENDA_CHAIR = Rule(
    "chair of the meeting or a coordinator", _member_with("chair"), agenda_item_project
)
PROPOSAL_MEMBER = Rule("member of the project", lambda v, p: v.can_see_project(p), proposal_project)
PROPOSAL_CHAIR = Rule(
    "chair of the meeting or a coordinator", _member_with("chair"), proposal_project
)
ACTION_OWNER = Rule("owner of the action or a coordinator", _member_with("owner"), action_project)
SWAP_ASKED = Rule(
    "the person asked to swap", lambda v, p: v.is_member(p) and _has("asked"), swap_project
)
SIGNAL_COORDINATOR = Rule(
    "coordinator of the project", lambda v, p: v.is_coordinator(p), signal_project
)


def viewer_parts() -> frozenset:
    """The viewer's parts noted by the current request's rule (for showing the right forms)."""
    return _parts.get()
