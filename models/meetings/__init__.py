"""Meetings and consensus (PRODUCT.md): the tables and MODELS here; one module per capability
beside them (planning, rota, agenda, proposals, minutes, actions, signals) and exchange for
the area's files. The people area sits below meetings: a membership change re-plans the
rota through the hook registered at the end of this module (models/people/growth.py)."""

from models.meetings import between  # noqa: F401 - registers the jobs close-proposals and remind-proposals
from models.meetings.concern_tables import Concern
from models.meetings.minutes_tables import Minutes, MinutesItem, MinutesNote
from models.meetings.project_tables import Action, Signal, Success
from models.meetings.rota import replan_rota
from models.meetings.stored_rota import RotaTurn
from models.meetings.tables import (
    AgendaItem,
    Attendance,
    Meeting,
    MeetingSeries,
    Proposal,
    Stance,
    TurnSwap,
)
from models.people.growth import on_membership_changed

# A pause, an end or new opt-ins re-plan the meetings not started (PRODUCT.md "Rotation").
on_membership_changed(replan_rota)

# The area's tables in dependency order (what migrations build and the schema test checks).
MODELS = [
    MeetingSeries,
    Meeting,
    Attendance,
    AgendaItem,
    Proposal,
    Stance,
    Minutes,
    MinutesItem,
    MinutesNote,
    Action,
    Signal,
    Success,
    TurnSwap,
    RotaTurn,
    Concern,
]

__all__ = [
    "MODELS",
    "Action",
    "AgendaItem",
    "Attendance",
    "Concern",
    "Meeting",
    "MeetingSeries",
    "Minutes",
    "MinutesItem",
    "MinutesNote",
    "Proposal",
    "RotaTurn",
    "Signal",
    "Stance",
    "Success",
    "TurnSwap",
]
