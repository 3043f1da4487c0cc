"""The demo has a year of meetings with everything in it, and loading it twice changes nothing."""

from models.meetings import (
    Action,
    Meeting,
    Minutes,
    MinutesNote,
    Proposal,
    Signal,
    Stance,
    Success,
)
from models.organisation import Project
from seeds.demo import load_demo

TABLES = (Meeting, Proposal, Stance, Minutes, MinutesNote, Action, Signal, Success)


def test_the_demo_has_every_state(on_date, db):
    for project in Project.select():
        meetings = Meeting.select().where(Meeting.project == project)
        assert meetings.where(Meeting.state == "closed").count() == 12
        assert meetings.where(Meeting.state == "planned").count() >= 3
        assert all(m.chair_id and m.minute_taker_id for m in meetings)
        outcomes = {p.outcome for p in Proposal.select().where(Proposal.project == project)}
        assert {"consensus", "provisional", "no_consensus", "blocked"} <= outcomes
        states = {m.state for m in Minutes.select().join(Meeting).where(Meeting.project == project)}
        assert states == {"draft", "shared", "approved"}
        statuses = {a.status for a in Action.select().where(Action.project == project)}
        assert {"open", "done"} <= statuses
        signals = Signal.select().where(Signal.project == project)
        assert any(s.answer for s in signals) and any(s.anonymous for s in signals)
        assert Success.select().where(Success.project == project).count() >= 3


def test_loading_the_demo_twice_changes_nothing(db):
    before = {m.__name__: m.select().count() for m in TABLES}
    load_demo(scale=1)
    assert {m.__name__: m.select().count() for m in TABLES} == before
