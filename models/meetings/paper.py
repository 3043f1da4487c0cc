"""The next meeting on paper, for people without a phone or a computer (issue 21.4): who has a
turn, what was decided since the last meeting, what waits for whom (open actions, proposals
between meetings still open), and a slip per member with their own part (their turn, their
actions, the open proposals they did not answer yet). Everything here is what every member
of the project sees on the meeting's and the project's pages already; a fixed number of
queries, whatever the size.

"Decided since the last meeting" (`DECIDED_SINCE`) is a list of sources, each a function
`(project_id, since) -> list[Decided]`: `closed_proposals` holds both the proposals closed in
a meeting and those closed between meetings (issue 21.2: closed at their closing moment, dated
by its day), so it is the only source so far."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from peewee import JOIN

from models.clock import now
from models.meetings.project_tables import Action, Signal
from models.meetings.proposals import current_stances
from models.meetings.tables import AgendaItem, Meeting, Proposal, members_of
from models.meetings.vocabulary import OPEN_ACTION_STATUSES
from models.person import Person

# At most this many lines per part of the list (the paper stays short; the pages have all).
MOST = 40


@dataclass(frozen=True)
class Decided:
    """A decision taken since the last meeting: its text, outcome and day."""

    text: str
    outcome: str
    on: dt.date | None


def closed_proposals(project_id: int, since: dt.datetime | None) -> list[Decided]:
    """Proposals of the project closed since the moment (in a meeting): one query."""
    query = Proposal.select(Proposal.text, Proposal.outcome, Proposal.decided_on).where(
        (Proposal.project == project_id) & (Proposal.state == "closed")
    )
    if since is not None:
        query = query.where(Proposal.closed_at > since)
    query = query.order_by(Proposal.closed_at, Proposal.id).limit(MOST)
    return [Decided(p.text, p.outcome or "", p.decided_on) for p in query]


DECIDED_SINCE: list[Callable[[int, dt.datetime | None], list[Decided]]] = [closed_proposals]


@dataclass
class Slip:
    """One member's part of the next meeting."""

    person: Person
    roles: list[str] = field(default_factory=list)  # "chair", "duo", "minutes"
    actions: list[Action] = field(default_factory=list)
    # Open proposals between meetings without the person's answer: they can tell it to the
    # chair or a coordinator, who writes it down ("opgetekend door …").
    to_answer: list[Proposal] = field(default_factory=list)


@dataclass
class PaperList:
    meeting: Meeting
    since: dt.datetime | None
    items: list[AgendaItem]
    decided: list[Decided]
    actions: list[Action]
    unanswered_signals: int
    slips: list[Slip]
    open_between: list[Proposal] = field(default_factory=list)


def last_meeting_end(meeting: Meeting) -> dt.datetime | None:
    """When the project's meeting before this one closed (None: there was none)."""
    return (
        Meeting.select(Meeting.closed_at)
        .where(
            (Meeting.project == meeting.project_id)
            & Meeting.closed_at.is_null(False)
            & (Meeting.id != meeting.id)
            & (Meeting.date <= meeting.date)
        )
        .order_by(Meeting.closed_at.desc())
        .limit(1)
        .scalar()
    )


def open_actions(project_id: int) -> list[Action]:
    """The project's open actions (open or in progress, as the meeting's page carries them
    over) with their owners, soonest due first (one query)."""
    owner, duo = Person.alias(), Person.alias()
    query = (
        Action.select(Action, owner, duo)
        .join_from(Action, owner, JOIN.LEFT_OUTER, on=(Action.owner == owner.id), attr="owner")
        .join_from(Action, duo, JOIN.LEFT_OUTER, on=(Action.duo_owner == duo.id), attr="duo_owner")
        .where((Action.project == project_id) & Action.status.in_(OPEN_ACTION_STATUSES))
        .order_by(Action.due.is_null(), Action.due, Action.id)
        .limit(MOST * 5)
    )
    return list(query)


def open_between(project_id: int) -> list[Proposal]:
    """The project's proposals between meetings still open, soonest closing first, with
    their agenda items (one query)."""
    return list(
        Proposal.select(Proposal, AgendaItem)
        .join(AgendaItem, on=(Proposal.agenda_item == AgendaItem.id))
        .where(
            (Proposal.project == project_id)
            & (Proposal.state == "open")
            & Proposal.closes_at.is_null(False)
            & (Proposal.closes_at > now())
        )
        .order_by(Proposal.closes_at, Proposal.id)
        .limit(MOST)
    )


def paper_list(meeting: Meeting) -> PaperList:
    """Everything the paper list and the slips of a meeting show (meeting: with its people,
    as `Meeting.find` loads it)."""
    project_id = meeting.project_id
    since = last_meeting_end(meeting)
    decided = [line for source in DECIDED_SINCE for line in source(project_id, since)]
    actions = open_actions(project_id)
    slips = {person.id: Slip(person) for person in members_of(project_id)}
    for role, person_id in (
        ("chair", meeting.chair_id),
        ("duo", meeting.chair_duo_id),
        ("minutes", meeting.minute_taker_id),
    ):
        if person_id in slips:
            slips[person_id].roles.append(role)
    for action in actions:
        for person_id in {action.owner_id, action.duo_owner_id} - {None}:
            if person_id in slips:
                slips[person_id].actions.append(action)
    between = open_between(project_id)
    answered = current_stances([p.id for p in between]) if between else {}
    for proposal in between:
        for person_id, slip in slips.items():
            if person_id not in answered.get(proposal.id, {}):
                slip.to_answer.append(proposal)
    return PaperList(
        meeting=meeting,
        since=since,
        items=AgendaItem.of_meeting(meeting.id),
        decided=decided,
        actions=actions,
        unanswered_signals=Signal.unanswered_count(project_id),
        slips=list(slips.values()),
        open_between=between,
    )
