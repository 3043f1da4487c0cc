"""The decision register as its page reads it (`latest_decisions`): each decision as a
RegisterDecision of the columns the page shows, its SQL built once without a search
(models/paging.py KeysetOnce): five whole rows per decision were half of the register's CPU
(issue 23)."""

from peewee import JOIN, fn

from models.clock import FIRST_DATE
from models.meetings.tables import AgendaItem, Meeting, Proposal, _matching
from models.paging import KeysetOnce, Page, keyset_page
from models.rows import as_date, as_datetime
from models.sql_once import Slot


class RegisterDecision:
    """A decision as the register shows it: the proposal's own columns, its agenda item's
    title, the date of its meeting and of the meeting that confirmed it (None: none)."""

    __slots__ = (
        "id", "title", "text", "outcome", "statement", "closes_at", "decided_on",
        "confirmed_on", "meeting_date", "confirmed_in_date",
        "agree", "concern", "stand_aside", "block",
    )  # fmt: skip

    def __init__(self, *values):
        for name, value in zip(self.__slots__, values, strict=True):
            setattr(self, name, value)


def _register_row(row: tuple) -> RegisterDecision:
    """A register row as the driver gives it (models/rows.py: dates as SQLite's text)."""
    decision = RegisterDecision(*row)
    decision.closes_at = as_datetime(decision.closes_at)
    decision.decided_on = as_date(decision.decided_on)
    decision.confirmed_on = as_date(decision.confirmed_on)
    decision.meeting_date = as_date(decision.meeting_date)
    decision.confirmed_in_date = as_date(decision.confirmed_in_date)
    return decision


def _register_query(project_id, search: str = ""):
    """The register's decisions (those of Proposal.decisions of the project, matching the
    search) with the columns of a RegisterDecision, in its order."""
    confirmed_in = Meeting.alias()
    query = (
        Proposal.select(
            Proposal.id,
            AgendaItem.title,
            Proposal.text,
            Proposal.outcome,
            Proposal.statement,
            Proposal.closes_at,
            Proposal.decided_on,
            Proposal.confirmed_on,
            Meeting.date,
            confirmed_in.date,
            Proposal.agree,
            Proposal.concern,
            Proposal.stand_aside,
            Proposal.block,
        )  # fmt: skip
        .join(AgendaItem, on=(Proposal.agenda_item == AgendaItem.id))
        .join(Meeting, on=(AgendaItem.meeting == Meeting.id))
        .join_from(
            Proposal, confirmed_in, JOIN.LEFT_OUTER, on=(Proposal.confirmed_in == confirmed_in.id)
        )
        .where((Proposal.state == "closed") & (Proposal.project == project_id))
    )
    return query.where(_matching(search)) if search else query


def _register_keys(p):
    return [fn.COALESCE(p.decided_on, FIRST_DATE), p.id]


_REGISTER = KeysetOnce(
    lambda: _register_query(Slot("project")), _register_keys, Proposal, make=_register_row
)


def latest_decisions(project_id: int, search: str = "", **where_on) -> Page:
    """A page of the project's decisions, newest first, for the register page (`where_on`:
    after, before; models/paging.py); those of Proposal.decisions, as RegisterDecisions."""
    if not search:
        return _REGISTER.page(project=project_id, **where_on)
    query = _register_query(project_id, search).tuples()
    return keyset_page(query, _register_keys, Proposal, make=_register_row, **where_on)
