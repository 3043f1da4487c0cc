"""Proposals and stances: opening a proposal on an agenda item, taking a stance (the history
kept, the latest per person counts), closing it by the consensus rule, and a new version after
a block (PRODUCT.md "Consensus")."""

import datetime as dt

from peewee import JOIN, fn

from models.accounts import audit
from models.actor import Actor
from models.clock import now, today
from models.db import database, lock_for_update
from models.meetings.agenda import lock_meeting
from models.meetings.errors import (
    Locked,
    MoreTimeAsked,
    NotAllowed,
    NotProvisional,
    account_of,
)
from models.meetings.tables import (
    AgendaItem,
    Meeting,
    Proposal,
    Stance,
    bring_up_to_date,
    members_of,
)
from models.people import Membership
from models.person import Person
from models.rules import consensus


def current_stances(proposal_ids) -> dict[int, dict[int, Stance]]:
    """The latest stance per person per proposal (one query)."""
    latest = (
        Stance.select(fn.MAX(Stance.id))
        .where(Stance.proposal.in_(proposal_ids))
        .group_by(Stance.proposal, Stance.person)
    )
    result: dict[int, dict[int, Stance]] = {}
    for s in (
        Stance.select(Stance, Person)
        .join(Person, on=(Stance.person == Person.id))
        .where(Stance.id.in_(latest))
        .order_by(Stance.id)
    ):
        result.setdefault(s.proposal_id, {})[s.person_id] = s
    return result


def stance_history(proposal_id: int) -> list[Stance]:
    """Every stance ever given on a proposal, with who gave and who wrote it down."""
    recorder = Person.alias()
    return list(
        Stance.select(Stance, Person, recorder)
        .join(Person, on=(Stance.person == Person.id))
        .join_from(
            Stance,
            recorder,
            JOIN.LEFT_OUTER,
            on=(Stance.recorded_by == recorder.id),
            attr="recorded_by",
        )
        .where(Stance.proposal == proposal_id)
        .order_by(Stance.id)
    )


def proposal_overview(proposal: Proposal, with_history: bool = False) -> dict:
    """What a proposal's page shows: the current stances, the members (who take a stance),
    the tally and quorum by the consensus rule, the versions and (for the chair and the
    minute-taker) every stance as given."""
    current = current_stances([proposal.id]).get(proposal.id, {})
    members = members_of(proposal.project_id)
    kinds = [s.kind for s in current.values()]
    return {
        "current": current,
        "members": members,
        "not_yet": [p for p in members if p.id not in current],
        "counts": consensus.tally(kinds),
        "more_time": kinds.count(consensus.MORE_TIME),
        "quorum": consensus.default_quorum(len(members)),
        "versions": proposal.versions(),
        "history": stance_history(proposal.id) if with_history else [],
        "blockers": [s for s in current.values() if s.kind == "block"],
    }


def active_member_count(project_id: int) -> int:
    return (
        Membership.select()
        .where((Membership.project == project_id) & (Membership.status == "active"))
        .count()
    )


def lock_proposal(proposal_id: int) -> Proposal:
    """The proposal as it is now, locked until the transaction ends (call inside one)."""
    return lock_for_update(Proposal.select().where(Proposal.id == proposal_id)).get()


def _refuse_unless_open(proposal: Proposal) -> None:
    """Lock the proposal; Locked (and the caller's proposal brought up to date) when it is
    closed."""
    fresh = lock_proposal(proposal.id)
    # A proposal between meetings takes no answer after its moment, even before the job
    # closed it (models/meetings/between.py): what counts is what was given in time.
    if fresh.state != "open" or (fresh.closes_at is not None and fresh.closes_at <= now()):
        bring_up_to_date(proposal, fresh)
        raise Locked("closed")


def open_proposal(
    item: AgendaItem, project_id: int, text: str, actor: Actor | None = None
) -> Proposal:
    """The actor opens a proposal on an agenda item, with its audit line, in one
    transaction."""
    with database.atomic():
        proposal = Proposal.create(
            project=project_id,
            agenda_item=item.id,
            text=text,
            opened_by=actor.person_id if actor else None,
        )
        audit.record(
            account_of(actor),
            "proposal.open",
            proposal,
            project=project_id,
            after={"text": proposal.text},
        )
    return proposal


def _refuse_unless_allowed(proposal: Proposal, person_id: int, actor: Actor) -> None:
    """NotAllowed unless the person is an active member of the proposal's project and is the
    actor, or the actor runs the meeting (chair, duo, minute-taker) or coordinates the
    project (read in the stance's transaction, so a turn that moved meanwhile counts)."""
    is_member = (
        Membership.select()
        .where(
            (Membership.project == proposal.project_id)
            & (Membership.person == person_id)
            & (Membership.status == "active")
        )
        .exists()
    )
    if not is_member:
        raise NotAllowed("member")
    if person_id == actor.person_id or actor.is_coordinator(proposal.project_id):
        return
    meeting = (
        Meeting.select(Meeting.chair, Meeting.chair_duo, Meeting.minute_taker)
        .join(AgendaItem, on=(AgendaItem.meeting == Meeting.id))
        .where(AgendaItem.id == proposal.agenda_item_id)
        .get()
    )
    if not (meeting.chaired_by(actor.person_id) or meeting.minute_taker_id == actor.person_id):
        raise NotAllowed("record")


def take_stance(
    proposal: Proposal, person_id: int, kind: str, reason: str, actor: Actor | None = None
) -> Stance:
    """Add a person's stance (the history kept), taken by themselves or recorded for them by
    the actor (the minute-taker, the chair or a coordinator), with its audit line, in one
    transaction; Locked once the proposal is closed, NotAllowed for someone who is no active
    member or whom the actor may not record for (without an actor, as the demo and tests
    do, only the proposal's state is checked).

    Closing wins: the proposal's state is read under its lock, in the stance's own
    transaction, so a stance never lands after the close counted the stances. The audit line
    says only that a stance was given on this proposal (by whom it was written down): not the
    stance, not the reason (a reason may tell something private) and not for whom.
    """
    recorder = actor.person_id if actor else None
    with database.atomic():
        _refuse_unless_open(proposal)
        if actor is not None:
            _refuse_unless_allowed(proposal, person_id, actor)
        stance = Stance.create(
            proposal=proposal.id,
            person=person_id,
            kind=kind,
            reason=reason,
            recorded_by=recorder if recorder and recorder != person_id else None,
        )
        audit.record(
            account_of(actor),
            "stance.take",
            stance,
            project=proposal.project_id,
            after={"proposal": proposal.id},
        )
    return stance


def close_proposal(
    proposal: Proposal,
    statement: str,
    actor: Actor | None = None,
    on: dt.date | None = None,
    *,
    despite_more_time: bool = True,
) -> str:
    """Close a proposal with the outcome by the consensus rule and the chair's statement, in
    one transaction; the outcome.

    The proposal is locked first, so the stances counted are all the stances there will be
    (and a second close finds it closed: Locked). With `despite_more_time=False` (the chair's
    first click) a current "I need more time" refuses with MoreTimeAsked, naming who asked:
    the chair is asked first whether to wait, and closes only with a second, explicit step.
    """
    with database.atomic():
        _refuse_unless_open(proposal)
        stances = current_stances([proposal.id]).get(proposal.id, {})
        kinds = [s.kind for s in stances.values()]
        waiting = [s.person.shown_name for s in stances.values() if s.kind == consensus.MORE_TIME]
        if waiting and not despite_more_time:
            raise MoreTimeAsked(waiting)
        result = consensus.outcome(kinds, active_member_count(proposal.project_id))
        counts = consensus.tally(kinds)
        proposal.state = "closed"
        proposal.outcome = result
        proposal.statement = statement
        proposal.agree = counts["agree"]
        proposal.concern = counts["concern"]
        proposal.stand_aside = counts["stand_aside"]
        proposal.block = counts["block"]
        proposal.closed_at = now()
        proposal.decided_on = on or today()
        proposal.save()
        audit.record(
            account_of(actor),
            "decision.close",
            proposal,
            project=proposal.project_id,
            after={"outcome": result, "statement": statement, **counts},
        )
    return result


def next_version(agenda_item_id: int) -> int:
    """The version number for a new proposal on an agenda item (call inside a transaction:
    the agenda item is locked, so two new versions at once get different numbers)."""
    lock_for_update(AgendaItem.select().where(AgendaItem.id == agenda_item_id)).get()
    newest = (
        Proposal.select(fn.MAX(Proposal.version))
        .where(Proposal.agenda_item == agenda_item_id)
        .scalar()
    )
    return (newest or 1) + 1


def amend_proposal(proposal: Proposal, text: str, actor: Actor | None = None) -> Proposal:
    """After a closed round (a block): a new version, amended or the same text for a new
    round, with its audit line, in one transaction; Locked while the proposal is open."""
    with database.atomic():
        fresh = lock_proposal(proposal.id)
        if fresh.state != "closed":
            bring_up_to_date(proposal, fresh)
            raise Locked(fresh.state)
        new = Proposal.create(
            project=proposal.project_id,
            agenda_item=proposal.agenda_item_id,
            text=text,
            version=next_version(proposal.agenda_item_id),
            previous=proposal.id,
            first_version=proposal.first_version or proposal.id,
            opened_by=actor.person_id if actor else None,
        )
        audit.record(
            account_of(actor),
            "proposal.amend",
            new,
            project=proposal.project_id,
            before={"id": proposal.id, "text": proposal.text},
            after={"text": new.text, "version": new.version},
        )
    return new


def waiting_for_stance(person_id: int | None, project_ids) -> tuple[int, int | None]:
    """How many open proposals of these projects' meetings wait for the person's stance (they
    have given none yet), and the oldest of them (one query). Proposals between meetings are
    their own kind on "Voor jou" (`between.waiting_between`)."""
    if not person_id or not project_ids:
        return 0, None
    given = Stance.select(Stance.id).where(
        (Stance.proposal == Proposal.id) & (Stance.person == person_id)
    )
    count, first = (
        Proposal.select(fn.COUNT(Proposal.id), fn.MIN(Proposal.id))
        .where(
            (Proposal.state == "open")
            & Proposal.closes_at.is_null()  # between meetings: models/meetings/between.py
            & Proposal.project.in_(list(project_ids))
            & ~fn.EXISTS(given)
        )
        .tuples()
        .get()
    )
    return count or 0, first


def _provisional_for(meeting_id: int, proposal_id: int) -> Proposal:
    """Lock the meeting and the proposal; the proposal when it is a provisional decision of
    the meeting just before this one, still waiting. Locked when the meeting is not running;
    NotProvisional otherwise. Locks the meeting first, then the proposal (as closing does)."""
    meeting = lock_meeting(meeting_id)
    if meeting.state != "started":
        raise Locked(meeting.state)
    before = meeting.previous()
    proposal = Proposal.find(proposal_id)
    if proposal is None:
        raise NotProvisional("elsewhere")
    item = proposal.agenda_item
    # A proposal between meetings that closed with consent sits on this meeting's agenda
    # (models/meetings/between.py); the meeting's own decisions come from the one before.
    between = item.meeting_id == meeting.id and item.source == "between"
    if not between and (before is None or item.meeting_id != before.id):
        raise NotProvisional("elsewhere")
    fresh = lock_proposal(proposal.id)
    bring_up_to_date(proposal, fresh)
    if proposal.outcome == "confirmed":
        raise NotProvisional("confirmed")
    if proposal.outcome != "provisional":
        raise NotProvisional("elsewhere")
    if Proposal.select().where(Proposal.previous == proposal.id).exists():
        raise NotProvisional("reopened")
    return proposal


def confirm_decision(meeting_id: int, proposal_id: int, actor: Actor | None = None) -> Proposal:
    """The next meeting confirms a provisional decision: it becomes final (outcome
    "confirmed"), dated today and linked to this meeting; the date it was taken stays.

    One transaction: the meeting and the proposal are locked, so a second confirm, a reopen
    or the meeting's close at the same moment either comes first or is refused (Locked,
    NotProvisional).
    """
    with database.atomic():
        proposal = _provisional_for(meeting_id, proposal_id)
        proposal.outcome = "confirmed"
        proposal.confirmed_on = today()
        proposal.confirmed_in = meeting_id
        proposal.save()
        audit.record(
            account_of(actor),
            "decision.confirm",
            proposal,
            project=proposal.project_id,
            before={"outcome": "provisional"},
            after={"outcome": "confirmed", "meeting": meeting_id},
        )
    return proposal


def reopen_decision(meeting_id: int, proposal_id: int, actor: Actor | None = None) -> Proposal:
    """The next meeting talks about a provisional decision again: an agenda item on this
    meeting with a new version of the proposal (the same text, the history kept), added by
    the actor. One transaction (locks as confirm_decision does)."""
    person_id = actor.person_id if actor else None
    with database.atomic():
        old = _provisional_for(meeting_id, proposal_id)
        last = (
            AgendaItem.select(fn.MAX(AgendaItem.position))
            .where(AgendaItem.meeting == meeting_id)
            .scalar()
        )
        item = AgendaItem.create(
            meeting=meeting_id,
            title=old.agenda_item.title,
            explanation=old.agenda_item.explanation,
            position=(last or 0) + 1,
            added_by=person_id,
            source="provisional",
        )
        new = Proposal.create(
            project=old.project_id,
            agenda_item=item.id,
            text=old.text,
            version=old.version + 1,
            previous=old.id,
            first_version=old.first_version or old.id,
            opened_by=person_id,
        )
        audit.record(
            account_of(actor),
            "decision.reopen",
            new,
            project=old.project_id,
            before={"id": old.id, "outcome": "provisional"},
            after={"meeting": meeting_id, "version": new.version},
        )
    return new
