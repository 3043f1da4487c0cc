"""Actions: something someone will do, agreed at a meeting, with an owner (or a duo), a due
date and a status; dropping one needs a reason (PRODUCT.md "Actions")."""

from peewee import fn

from models.accounts import audit
from models.actor import Actor
from models.clock import FIRST_DATE, now
from models.db import database
from models.meetings.errors import account_of
from models.meetings.project_tables import Action
from models.meetings.tables import Meeting, Proposal
from models.meetings.vocabulary import OPEN_ACTION_STATUSES
from models.organisation import Project
from models.paging import Page, keyset_page


def is_action_source(proposal: Proposal) -> bool:
    """An action may come from a closed proposal that was not blocked: a blocked one decided
    nothing to act on (issue 22)."""
    return proposal.state == "closed" and proposal.outcome != "blocked"


def is_decision_of(proposal_id: int, project_id: int) -> bool:
    """True when the proposal is a decision of the project an action may come from: closed,
    and not blocked."""
    return (
        Proposal.select()
        .where(
            (Proposal.id == proposal_id)
            & (Proposal.project == project_id)
            & (Proposal.state == "closed")
            & (Proposal.outcome != "blocked")
        )
        .exists()
    )


def add_action(
    meeting: Meeting,
    description: str,
    owner,
    duo_owner=None,
    due=None,
    proposal=None,
    actor: Actor | None = None,
) -> Action:
    """An action agreed at a meeting, with its audit line, in one transaction."""
    with database.atomic():
        action = Action.create(
            project=meeting.project_id,
            meeting=meeting.id,
            proposal=proposal,
            description=description,
            owner=owner,
            duo_owner=duo_owner,
            due=due,
        )
        audit.record(
            account_of(actor),
            "action.create",
            action,
            project=meeting.project_id,
            after={"description": action.description, "owner": action.owner_id},
        )
    return action


def set_status(action: Action, status: str, reason: str = "", actor: Actor | None = None) -> None:
    """Change an action's status, with its audit line, in one transaction; the reason is kept
    only for a dropped action."""
    with database.atomic():
        before = {"status": action.status}
        action.status = status
        action.reason = reason if status == "dropped" else ""
        action.updated_at = now()
        action.save()
        audit.record(
            account_of(actor),
            "action.status",
            action,
            project=action.project_id,
            before=before,
            after={"status": action.status, "reason": action.reason},
        )


def taken_on_by(person_id: int | None, **where_on) -> Page:
    """A page of the actions a person (or their duo) takes on, with the project: open ones
    first, then by due date (none last); `where_on`: after, before (models/paging.py)."""
    if not person_id:
        return Page()
    query = (
        Action.select(Action, Project)
        .join(Project, on=(Action.project == Project.id))
        .where((Action.owner == person_id) | (Action.duo_owner == person_id))
    )
    keys = lambda a: [  # noqa: E731
        ~a.status.in_(OPEN_ACTION_STATUSES),
        a.due.is_null(),
        fn.COALESCE(a.due, FIRST_DATE),
        a.id,
    ]
    return keyset_page(query, keys, Action, descending=False, **where_on)


def open_count(person_id: int | None) -> int:
    """How many actions the person (or their duo) still has to do: open or doing (one
    query)."""
    if not person_id:
        return 0
    return (
        Action.select()
        .where(
            ((Action.owner == person_id) | (Action.duo_owner == person_id))
            & Action.status.in_(OPEN_ACTION_STATUSES)
        )
        .count()
    )
