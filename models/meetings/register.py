"""The decision register as the budget reads it: which decisions may back a change of a
planned amount (PRODUCT.md "Budget": co-decide is linked to a meeting decision).

Only a decision taken with consensus, or a provisional one the next meeting confirmed, backs
a change; a provisional, blocked or no-agreement outcome does not. A sub-budget of a project
takes the decisions of that project. A post, or a sub-budget without a project, is the
organisation's own money: Tafel has no organisation-level meetings (a body such as a client
council is a project of its own), so the decisions of every project may back it. One decision
may back several changes (a meeting often decides a plan that moves more than one amount).
"""

import collections

from models.meetings.tables import AgendaItem, Proposal
from models.organisation import Project
from models.rows import as_date, driver_rows
from models.sql_once import Shaped, Slot

BACKING_OUTCOMES = ("consensus", "confirmed")
# The picker shows at most this many decisions, newest first; a search finds older ones.
PICKER_LIMIT = 30


class NotBacking(Exception):
    """The decision cannot back this change; `reason` says why: "unknown" (no such
    decision), "not_decided" (not closed with consensus or confirmed) or "other_project"."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def decisions_for_budget(project_id: int | None, search: str = "", limit: int = PICKER_LIMIT):
    """The decisions that may back a change of a budget of this project (None: of the
    organisation, any project's), newest first, at most `limit`, optionally matching a search
    (one query): of each what the picker shows, as a named tuple (id, title of its agenda
    item, text, project_name, decided_on, outcome); whole rows of four tables per decision
    were a quarter of a ledger page's CPU. Without a search (every ledger page's picker) its
    SQL is built once per shape (models/sql_once.py)."""
    if not search:
        shaped = _PICKER(project=project_id is not None, limit=limit)
        return [_decision(row) for row in driver_rows(shaped, project=project_id)]
    return [_decision(row) for row in _picker_query(project_id, search, limit)]


PickerDecision = collections.namedtuple(
    "PickerDecision", "id title text project_name decided_on outcome"
)


def _decision(row: tuple) -> PickerDecision:
    """A picker's row as it came from the driver (models/rows.py: peewee made a new named
    tuple class for every query, half of reading the 30)."""
    decision = PickerDecision(*row)
    return decision._replace(decided_on=as_date(decision.decided_on))


def _picker_query(project_id, search: str, limit: int):
    return (
        Proposal.decisions(project_id, search)
        .select(
            *(Proposal.id, AgendaItem.title, Proposal.text, Project.name.alias("project_name")),
            *(Proposal.decided_on, Proposal.outcome),
        )
        .where(Proposal.outcome.in_(BACKING_OUTCOMES))
        .order_by(Proposal.decided_on.desc(), Proposal.id.desc())
        .limit(limit)
        .tuples()
    )


# The picker without a search: the project in a slot (or none: every project's decisions).
_PICKER = Shaped(
    lambda project, limit: _picker_query(Slot("project") if project else None, "", limit)
)


def backing_decision(decision_id: int | None, project_id: int | None) -> Proposal:
    """The decision, with its agenda item, meeting and project, when it may back a change of
    a budget of this project (None: of the organisation); NotBacking otherwise."""
    found = Proposal.find(decision_id) if decision_id else None
    if found is None:
        raise NotBacking("unknown")
    if found.state != "closed" or found.outcome not in BACKING_OUTCOMES:
        raise NotBacking("not_decided")
    if project_id is not None and found.project_id != project_id:
        raise NotBacking("other_project")
    return found


def decision_label(decision: Proposal) -> str:
    """How the audit log names a decision: its agenda item, project and date."""
    day = decision.decided_on.isoformat() if decision.decided_on else ""
    return f"{decision.agenda_item.title} ({decision.agenda_item.meeting.project.name}, {day})"
