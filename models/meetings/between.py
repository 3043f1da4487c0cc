"""Proposals between meetings (issue 21, point 2; docs/rules.md "Proposals between meetings"):
a member puts a proposal to the project with a closing moment; members answer in their own
time (the stances of a meeting, models/meetings/proposals.py `take_stance`); at its moment the
job below closes it by the meeting's rule, and the outcome goes to the next meeting: consent
onto its list of provisional decisions to confirm, anything else onto its agenda.

The proposal lives on an agenda item of the project's next planned meeting (source
"between"), so the next meeting's chair finds it with the flows that exist (confirm, reopen,
a new version). Two jobs: `close-proposals` closes every proposal whose moment has passed and
`remind-proposals` tells the members who gave no answer yet, 24 and 2 hours before. Each
closing and each reminder claims its proposal in its own transaction (the proposal locked
and re-read, or an UPDATE … WHERE on the claim column), so it happens once however many
workers run the jobs, and a job after a restart catches up on everything due.
"""

import datetime as dt
import logging

from peewee import Case, fn

from models.accounts import audit
from models.actor import Actor
from models.clock import AMSTERDAM, now
from models.db import database
from models.jobs import job
from models.meetings.agenda import lock_meeting
from models.meetings.errors import account_of
from models.meetings.proposals import active_member_count, current_stances, lock_proposal
from models.meetings.tables import AgendaItem, Meeting, Proposal, Stance, members_of
from models.news.tell import tell
from models.organisation import Project
from models.person import Person
from models.rules import consensus
from models.sql_once import Prepared, Slot

log = logging.getLogger("tafel.jobs")

# The closing moment: a week from now unless the proposer says otherwise, at least a day (so
# everyone has a day and both reminders can go out), at most three months.
DEFAULT_OPEN = dt.timedelta(days=7)
SHORTEST_OPEN = dt.timedelta(hours=24)
LONGEST_OPEN = dt.timedelta(days=92)
# Reminders to who gave no answer yet, this many hours before the closing moment.
REMINDER_HOURS = (24, 2)
# The outcome as news tells it (ISSUE21.md): consent is what the next meeting confirms.
NEWS_OUTCOME = {"provisional": "consent"}
# The outcomes that put the proposal on the next meeting's agenda, with the reasons.
TO_AGENDA = ("blocked", "more_time", "no_quorum", "no_consensus")


class NoMeeting(Exception):
    """The project has no planned meeting to bring the outcome to."""


class BadMoment(Exception):
    """The closing moment is too soon or too far (`str()`: "soon" or "far")."""


def default_closing(moment: dt.datetime | None = None) -> dt.datetime:
    """A week from now, to the minute (naive UTC)."""
    return ((moment or now()) + DEFAULT_OPEN).replace(second=0, microsecond=0)


def check_moment(closes_at: dt.datetime, moment: dt.datetime | None = None) -> None:
    """BadMoment unless the closing moment is at least 24 hours and at most three months away."""
    moment = moment or now()
    if closes_at < moment + SHORTEST_OPEN:
        raise BadMoment("soon")
    if closes_at > moment + LONGEST_OPEN:
        raise BadMoment("far")


def next_meeting(project_id: int) -> Meeting | None:
    """The project's first meeting still planned (one query)."""
    return (
        Meeting.select()
        .where((Meeting.project == project_id) & (Meeting.state == "planned"))
        .order_by(Meeting.date, Meeting.id)
        .first()
    )


def _last_position(meeting_id: int) -> int:
    return (
        AgendaItem.select(fn.MAX(AgendaItem.position))
        .where(AgendaItem.meeting == meeting_id)
        .scalar()
        or 0
    )


def _append_item(meeting_id: int, **fields) -> AgendaItem:
    return AgendaItem.create(meeting=meeting_id, position=_last_position(meeting_id) + 1, **fields)


def propose_between(
    project_id: int, title: str, text: str, closes_at: dt.datetime, actor: Actor
) -> Proposal:
    """The actor puts a proposal to the project, closing at `closes_at` (naive UTC), on an
    agenda item of the next planned meeting; one transaction with its audit line. BadMoment
    for a moment too soon or too far, NoMeeting when no meeting is planned."""
    closes_at = closes_at.replace(second=0, microsecond=0)
    with database.atomic():
        check_moment(closes_at)
        meeting = next_meeting(project_id)
        # Its agenda changes one writer at a time (a start at this moment comes first or after).
        if meeting is not None and lock_meeting(meeting.id).state != "planned":
            meeting = next_meeting(project_id)
        if meeting is None:
            raise NoMeeting()
        item = _append_item(meeting.id, title=title, added_by=actor.person_id, source="between")
        proposal = Proposal.create(
            project=project_id,
            agenda_item=item.id,
            text=text,
            opened_by=actor.person_id,
            closes_at=closes_at,
        )
        audit.record(
            account_of(actor),
            "proposal.open",
            proposal,
            project=project_id,
            after={"text": text, "closes_at": closes_at.isoformat()},
        )
    return proposal


# --- reading -------------------------------------------------------------------------------


def between_of_project(project_id: int, limit: int = 20) -> list[Proposal]:
    """The project's proposals between meetings: the open ones by closing moment, then the
    latest closed ones (one query, at most `limit`)."""
    return list(
        Proposal.select(Proposal, AgendaItem)
        .join(AgendaItem, on=(Proposal.agenda_item == AgendaItem.id))
        .where((Proposal.project == project_id) & Proposal.closes_at.is_null(False))
        .order_by(
            Proposal.state.desc(),  # "open" before "closed"
            Case(None, [(Proposal.state == "open", Proposal.closes_at)], None).asc(),
            Proposal.closes_at.desc(),
            Proposal.id.desc(),
        )
        .limit(limit)
    )


def between_on_meeting(meeting_id: int) -> dict:
    """What the meeting's page lists under "Since the last meeting": the proposals between
    meetings whose agenda item is on this meeting (open, or closed with their outcome), and
    the reasons of their blocks, concerns and requests for more time (two queries)."""
    found = _ON_MEETING.rows(meeting=meeting_id)  # its SQL built once (issue 23)
    stances = current_stances([p.id for p in found]) if found else {}
    reasons = {
        p.id: [
            s
            for s in stances.get(p.id, {}).values()
            if s.kind in ("block", "concern", consensus.MORE_TIME)
        ]
        for p in found
    }
    return {"proposals": found, "reasons": reasons}


_ON_MEETING = Prepared(
    lambda: (
        Proposal.select(Proposal)
        .join(AgendaItem, on=(Proposal.agenda_item == AgendaItem.id))
        .where(
            (AgendaItem.meeting == Slot("meeting"))
            & (AgendaItem.source == "between")
            & Proposal.closes_at.is_null(False)
        )
        .order_by(Proposal.closes_at, Proposal.id)
    )
)


def between_overview(proposal: Proposal) -> dict:
    """What a proposal between meetings' page shows: every member's current answer (answers
    are not secret: Loomio shows them to the group, as the meeting does aloud), who recorded
    it for them, who has not answered yet, the tally and the quorum."""
    current = current_stances([proposal.id]).get(proposal.id, {})
    recorders = {s.recorded_by_id for s in current.values() if s.recorded_by_id}
    names = (
        {p.id: p for p in Person.select().where(Person.id.in_(list(recorders)))}
        if recorders
        else {}
    )
    members = members_of(proposal.project_id)
    kinds = [s.kind for s in current.values()]
    return {
        "current": current,
        "recorded_by": {pid: names.get(s.recorded_by_id) for pid, s in current.items()},
        "members": members,
        "not_yet": [p for p in members if p.id not in current],
        "counts": consensus.tally(kinds),
        "more_time": kinds.count(consensus.MORE_TIME),
        "quorum": consensus.default_quorum(len(members)),
        "past_moment": proposal.state == "open" and proposal.closes_at <= now(),
    }


def waiting_between(person_id: int | None, project_ids) -> tuple[int, Proposal | None]:
    """How many open proposals between meetings of these projects wait for the person's
    answer, and the one that closes first (one query)."""
    if not person_id or not project_ids:
        return 0, None
    given = Stance.select(Stance.id).where(
        (Stance.proposal == Proposal.id) & (Stance.person == person_id)
    )
    rows = list(
        Proposal.select(Proposal.id, Proposal.closes_at, fn.COUNT(Proposal.id).over().alias("n"))
        .where(
            (Proposal.state == "open")
            & Proposal.closes_at.is_null(False)
            & (Proposal.closes_at > now())
            & Proposal.project.in_(list(project_ids))
            & ~fn.EXISTS(given)
        )
        .order_by(Proposal.closes_at, Proposal.id)
        .limit(1)
    )
    if not rows:
        return 0, None
    return rows[0].n, rows[0]


# --- closing -------------------------------------------------------------------------------


def _bring_to_next_meeting(item_id: int) -> None:
    """The agenda item moves to the next planned meeting when its meeting is over meanwhile
    (closed, or no longer planned nor running: a proposal that ran over a meeting); it stays
    when none is planned."""
    meeting = (
        Meeting.select(Meeting.state, Meeting.project)
        .join(AgendaItem, on=(AgendaItem.meeting == Meeting.id))
        .where(AgendaItem.id == item_id)
        .get()
    )
    if meeting.state in ("planned", "started"):
        return
    later = next_meeting(meeting.project_id)
    if later is not None:
        AgendaItem.update(meeting=later.id, position=_last_position(later.id) + 1).where(
            AgendaItem.id == item_id
        ).execute()


def close_between(proposal_id: int, moment: dt.datetime) -> str | None:
    """Close one proposal between meetings whose moment has passed by `moment`: the outcome
    by the meeting's rule (models/rules/consensus.py `between_outcome`), the tally kept, the
    decision dated by its closing moment, the members told. One transaction under the
    proposal's lock; None (nothing done) when it is closed already or not due."""
    with database.atomic():
        proposal = lock_proposal(proposal_id)
        if proposal.state != "open" or proposal.closes_at is None or proposal.closes_at > moment:
            return None
        stances = current_stances([proposal.id]).get(proposal.id, {})
        kinds = [s.kind for s in stances.values()]
        result = consensus.between_outcome(kinds, active_member_count(proposal.project_id))
        counts = consensus.tally(kinds)
        proposal.state = "closed"
        proposal.outcome = result
        proposal.agree = counts["agree"]
        proposal.concern = counts["concern"]
        proposal.stand_aside = counts["stand_aside"]
        proposal.block = counts["block"]
        proposal.closed_at = proposal.closes_at
        proposal.decided_on = proposal.closes_at.replace(tzinfo=dt.UTC).astimezone(AMSTERDAM).date()
        proposal.save()
        _bring_to_next_meeting(proposal.agenda_item_id)
        audit.record(
            None,
            "decision.close",
            proposal,
            project=proposal.project_id,
            after={"outcome": result, "between": True, **counts},
        )
        project = Project.get_by_id(proposal.project_id)
        tell(
            [p.id for p in members_of(proposal.project_id)],
            "proposal_closed",
            f"proposal:{proposal.id}:closed",
            f"/proposals/{proposal.id}",
            {"project": project.name, "outcome": NEWS_OUTCOME.get(result, result)},
        )
    return result


@job("close-proposals")
def close_due(moment: dt.datetime) -> int:
    """Close every proposal between meetings whose moment has passed (however long ago: a
    restart catches up); how many this worker closed."""
    due = [
        p.id
        for p in Proposal.select(Proposal.id)
        .where(
            (Proposal.state == "open")
            & Proposal.closes_at.is_null(False)
            & (Proposal.closes_at <= moment)
        )
        .order_by(Proposal.closes_at, Proposal.id)
    ]
    closed = 0
    for proposal_id in due:
        # One proposal that cannot close (its transaction rolled back) must not hold up the
        # ones due after it, run after run: it is logged and tried again on the next run.
        try:
            closed += close_between(proposal_id, moment) is not None
        except Exception as error:  # noqa: BLE001 - the others still close
            log.error("proposal %s not closed: %s", proposal_id, type(error).__name__)
    return closed


# --- reminders -----------------------------------------------------------------------------


def remind(proposal_id: int, hours: int, moment: dt.datetime) -> int:
    """Tell the reminder `hours` before closing to the active members who gave no answer, once:
    the proposal is claimed (`reminded_hours` set to `hours` where it was none or larger) in
    the reminder's own transaction; how many were told (0 when another worker claimed it)."""
    with database.atomic():
        claimed = (
            Proposal.update(reminded_hours=hours)
            .where(
                (Proposal.id == proposal_id)
                & (Proposal.state == "open")
                & (Proposal.closes_at > moment)
                & (Proposal.reminded_hours.is_null() | (Proposal.reminded_hours > hours))
            )
            .execute()
        )
        if not claimed:
            return 0
        proposal = Proposal.get_by_id(proposal_id)
        answered = set(current_stances([proposal_id]).get(proposal_id, {}))
        waiting = [p.id for p in members_of(proposal.project_id) if p.id not in answered]
        project = Project.get_by_id(proposal.project_id)
        tell(
            waiting,
            "proposal_reminder",
            f"proposal:{proposal_id}:reminder:{hours}",
            f"/proposals/{proposal_id}",
            {"project": project.name, "closes_at": proposal.closes_at.isoformat(), "hours": hours},
        )
    return len(waiting)


@job("remind-proposals")
def remind_due(moment: dt.datetime) -> int:
    """Tell the reminders that are due: for each open proposal closing within a day, the
    smallest reminder whose moment has come and was not told yet (after a long stop, only the
    2-hour one: a day's notice two hours before closing would be wrong); how many people
    this worker told."""
    first, last = REMINDER_HOURS
    due = list(
        Proposal.select(Proposal.id, Proposal.closes_at, Proposal.reminded_hours).where(
            (Proposal.state == "open")
            & (Proposal.closes_at > moment)
            & (Proposal.closes_at <= moment + dt.timedelta(hours=first))
            & (Proposal.reminded_hours.is_null() | (Proposal.reminded_hours > last))
        )
    )
    told = 0
    for p in due:
        hours = last if p.closes_at <= moment + dt.timedelta(hours=last) else first
        if p.reminded_hours is not None and p.reminded_hours <= hours:
            continue
        try:
            told += remind(p.id, hours, moment)
        except Exception as error:  # noqa: BLE001 - as in close_due: the others go on
            log.error("proposal %s not reminded: %s", p.id, type(error).__name__)
    return told
