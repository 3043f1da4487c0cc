"""Access rules for the meetings routes: members, the chair, the minute-taker, the owner of an
action, the person asked to swap, coordinators.

A rule that guards an object loads it once, with what its pages show (a meeting with its
project and people, a proposal with its agenda item and meeting …), and hands it to the
handler as `request.state.target`; the rule's test gets the same object, so it sees the
viewer's part in it (chair, minute-taker, owner) without asking again. The predicates below
are also what the pages use to show the chair's or minute-taker's forms.
"""

from collections.abc import Callable

from starlette.requests import Request

from models.budget.tables import PlannedChange
from models.meetings import Action, AgendaItem, Concern, Meeting, Proposal, Signal, TurnSwap
from models.meetings.concerns import may_read
from models.organisation import Project
from webapp.access import Permission, target


def the_project(request: Request) -> Project:
    """The project of a /projects/{project_id}/… route, loaded once by its rule
    (project_member or project_coordinator)."""
    return request.state.target


# --- the viewer's part in a meeting ---------------------------------------------------------


def chairs(viewer, meeting: Meeting | None) -> bool:
    """The viewer chairs the meeting (alone or as the duo)."""
    return meeting is not None and meeting.chaired_by(viewer.person_id)


def takes_minutes(viewer, meeting: Meeting) -> bool:
    return bool(viewer.person_id) and viewer.person_id == meeting.minute_taker_id


def may_chair(viewer, meeting: Meeting) -> bool:
    """The chair's forms: for the chair and the project's coordinators."""
    return viewer.is_coordinator(meeting.project_id) or chairs(viewer, meeting)


def may_run(viewer, meeting: Meeting) -> bool:
    """The forms of running a meeting (attendance, actions, minutes, recording stances): for
    the chair, the minute-taker and the project's coordinators."""
    return may_chair(viewer, meeting) or takes_minutes(viewer, meeting)


def may_approve(viewer, meeting: Meeting) -> bool:
    """Minutes are approved by the chair of the next meeting (PRODUCT.md "Minutes") or a
    coordinator."""
    return viewer.is_coordinator(meeting.project_id) or chairs(viewer, meeting.following())


def _member_and(part: Callable) -> Callable:
    """Coordinators, and members of the project who have `part` in the meeting."""
    return lambda v, m: v.is_coordinator(m.project_id) or (v.is_member(m.project_id) and part(v, m))


def _of_meeting(test: Callable, meeting_of: Callable) -> Callable:
    """A meeting test applied to the meeting of another object (an agenda item, a proposal)."""
    return lambda v, target: test(v, meeting_of(target))


def _sees(v, m) -> bool:
    return v.can_see_project(m.project_id)


def _coordinates(v, m) -> bool:
    return v.is_coordinator(m.project_id)


_meeting = target(Meeting.find, "meeting_id")
_item = target(AgendaItem.find, "item_id")
_proposal = target(Proposal.find, "proposal_id")


def _item_meeting(item: AgendaItem) -> Meeting:
    return item.meeting


def _proposal_meeting(proposal: Proposal) -> Meeting:
    return proposal.agenda_item.meeting


MEETING_MEMBER = Permission("member of the project", _sees, _meeting)
MEETING_CHAIR = Permission("chair of the meeting or a coordinator", _member_and(chairs), _meeting)
MEETING_RUNNER = Permission(
    "chair or minute-taker of the meeting, or a coordinator", _member_and(may_run), _meeting
)
MEETING_COORDINATOR = Permission("coordinator of the project", _coordinates, _meeting)
MINUTES_MEMBER = Permission("member of the project", _sees, _meeting)
MINUTES_WRITER = Permission(
    "minute-taker or chair of the meeting, or a coordinator", _member_and(may_run), _meeting
)
MINUTES_APPROVER = Permission(
    "chair of the next meeting or a coordinator",
    _member_and(lambda v, m: chairs(v, m.following())),
    _meeting,
)
AGENDA_CHAIR = Permission(
    "chair of the meeting or a coordinator",
    _of_meeting(_member_and(chairs), _item_meeting),
    _item,
)
PROPOSAL_MEMBER = Permission(
    "member of the project", _of_meeting(_sees, _proposal_meeting), _proposal
)


def backs_own_change(viewer, proposal: Proposal) -> bool:
    """The proposal is a decision behind a planned-amount change the viewer proposed (the
    treasurer, docs/rules.md "Budget"): one query, asked only of someone outside the project."""
    return bool(viewer.person_id) and (
        PlannedChange.select()
        .where(
            (PlannedChange.decision == proposal.id)
            & (PlannedChange.proposed_by == viewer.person_id)
        )
        .exists()
    )


PROPOSAL_READER = Permission(
    "member of the project, or who proposed a planned amount this decision backs",
    lambda v, p: _sees(v, p.agenda_item.meeting) or backs_own_change(v, p),
    _proposal,
)
PROPOSAL_CHAIR = Permission(
    "chair of the meeting or a coordinator",
    _of_meeting(_member_and(chairs), _proposal_meeting),
    _proposal,
)
ACTION_OWNER = Permission(
    "owner of the action or a coordinator",
    lambda v, a: (
        v.is_coordinator(a.project_id) or (v.is_member(a.project_id) and a.owned_by(v.person_id))
    ),
    target(Action.find, "action_id"),
)
SWAP_ASKED = Permission(
    "the person asked to swap",
    lambda v, s: v.is_member(s.meeting.project_id) and v.person_id == s.asked_to_id,
    target(TurnSwap.find, "swap_id"),
)
SIGNAL_COORDINATOR = Permission(
    "coordinator of the project",
    lambda v, s: v.is_coordinator(s.project_id),
    target(Signal.find, "signal_id"),
)

# A quiet concern (docs/rules.md "A quiet concern"). The routes that send one or read its
# fate are quiet: they leave no activity stamp on the session at their moment.
CONCERN_SENDER = Permission("signed in", lambda v, p: v.signed_in, quiet=True)
CONCERN_READER = Permission("everyone", lambda v, p: True, login=False, quiet=True)
TRUSTED = Permission("a trusted person", lambda v, p: v.is_trusted)
TRUSTED_QUIET = Permission("a trusted person", lambda v, p: v.is_trusted, quiet=True)
CONCERN_TRUSTED = Permission(
    "a trusted person the concern was sent to",
    lambda v, c: may_read(v, c),
    target(Concern.find, "concern_id"),
)
