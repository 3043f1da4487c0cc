"""Access to the meetings routes for the four viewers (anonymous, member, coordinator, other).

The demo objects are chosen so the member (anouk) has no special part in them: she neither
chairs nor takes minutes at the meeting, does not chair the next one, does not own the action
and is not the one asked to swap.
"""

from models.accounts import Account
from models.accounts.calendar_feed import make_feed
from models.meetings import Action, AgendaItem, Meeting, Proposal, Signal, TurnSwap
from models.organisation import Project
from models.person import Person

OK, LOGIN, NO = "ok", "login", 403
MEMBER, OTHER = "Uitgeverij Woordwerk", "Fietswerkplaats Op Weg"


def _project():
    return Project.get(Project.name == MEMBER).id


def _anouk():
    return Person.get(Person.display_name == "Anouk B.").id


def meeting_id():
    """A planned meeting where anouk has no part, nor at the meeting after it."""
    anouk = _anouk()
    meetings = list(
        Meeting.select().where(Meeting.project == _project()).order_by(Meeting.date, Meeting.id)
    )
    for this, following in zip(meetings, meetings[1:], strict=False):
        if (
            this.state == "planned"
            and anouk not in (this.chair_id, this.minute_taker_id, this.chair_duo_id)
            and anouk not in (following.chair_id, following.chair_duo_id)
        ):
            return this.id
    raise AssertionError("no suitable demo meeting")


def closed_meeting_id():
    anouk = _anouk()
    meetings = list(
        Meeting.select().where(Meeting.project == _project()).order_by(Meeting.date, Meeting.id)
    )
    for this, following in zip(meetings, meetings[1:], strict=False):
        if (
            this.state == "closed"
            and anouk not in (this.chair_id, this.minute_taker_id)
            and anouk not in (following.chair_id, following.chair_duo_id)
        ):
            return this.id
    raise AssertionError("no suitable closed demo meeting")


def item_id():
    return AgendaItem.select().where(AgendaItem.meeting == meeting_id()).first().id


def proposal_id():
    return (
        Proposal.select(Proposal.id)
        .join(AgendaItem, on=(Proposal.agenda_item == AgendaItem.id))
        .where(AgendaItem.meeting == closed_meeting_id())
        .scalar()
    )


def action_id():
    anouk = _anouk()
    return (
        Action.select(Action.id)
        .where(
            (Action.project == _project())
            & (Action.owner != anouk)
            & (Action.duo_owner.is_null() | (Action.duo_owner != anouk))
        )
        .scalar()
    )


def swap_id():
    return (
        TurnSwap.select(TurnSwap.id)
        .join(Meeting, on=(TurnSwap.meeting == Meeting.id))
        .where((Meeting.project == _project()) & (TurnSwap.asked_to != _anouk()))
        .scalar()
    )


def signal_id():
    return Signal.select(Signal.id).where(Signal.project == _project()).scalar()


#            anonymous, member, coordinator, other project's member
ACCESS = {
    "GET /projects/{project_id:int}/meetings": (LOGIN, OK, OK, NO),
    "POST /projects/{project_id:int}/meetings/plan": (LOGIN, NO, OK, NO),
    "POST /projects/{project_id:int}/successes": (LOGIN, OK, OK, NO),
    "GET /meetings/{meeting_id:int}": (LOGIN, OK, OK, NO),
    "POST /meetings/{meeting_id:int}/apologies": (LOGIN, OK, OK, NO),
    "POST /meetings/{meeting_id:int}/attendance": (LOGIN, NO, OK, NO),
    "POST /meetings/{meeting_id:int}/agenda": (LOGIN, OK, OK, NO),
    "POST /agenda/{item_id:int}/move": (LOGIN, NO, OK, NO),
    "POST /meetings/{meeting_id:int}/start": (LOGIN, NO, OK, NO),
    "POST /meetings/{meeting_id:int}/close": (LOGIN, NO, OK, NO),
    # Issue 21.1: the meeting's chair may too (tests/meetings/test_changes.py).
    "GET /meetings/{meeting_id:int}/change": (LOGIN, NO, OK, NO),
    "POST /meetings/{meeting_id:int}/move": (LOGIN, NO, OK, NO),
    "POST /meetings/{meeting_id:int}/cancel": (LOGIN, NO, OK, NO),
    "GET /projects/{project_id:int}/meetings/extra": (LOGIN, NO, OK, NO),
    "POST /projects/{project_id:int}/meetings/extra": (LOGIN, NO, OK, NO),
    "POST /meetings/{meeting_id:int}/rota": (LOGIN, NO, OK, NO),
    "POST /meetings/{meeting_id:int}/duo": (LOGIN, NO, OK, NO),
    "POST /meetings/{meeting_id:int}/swap": (LOGIN, OK, OK, NO),
    "POST /swaps/{swap_id:int}/answer": (LOGIN, NO, NO, NO),
    "POST /agenda/{item_id:int}/proposals": (LOGIN, NO, OK, NO),
    "GET /proposals/{proposal_id:int}": (LOGIN, OK, OK, NO),
    "GET /proposals/{proposal_id:int}/tally": (LOGIN, OK, OK, NO),
    "POST /proposals/{proposal_id:int}/stance": (LOGIN, OK, OK, NO),
    "POST /proposals/{proposal_id:int}/close": (LOGIN, NO, OK, NO),
    "POST /proposals/{proposal_id:int}/amend": (LOGIN, NO, OK, NO),
    "POST /meetings/{meeting_id:int}/provisional": (LOGIN, NO, OK, NO),
    "GET /projects/{project_id:int}/decisions": (LOGIN, OK, OK, NO),
    "GET /projects/{project_id:int}/proposals": (LOGIN, OK, OK, NO),
    "POST /projects/{project_id:int}/proposals": (LOGIN, OK, OK, NO),
    "GET /projects/{project_id:int}/decisions.csv": (LOGIN, NO, OK, NO),
    "GET /projects/{project_id:int}/rota.csv": (LOGIN, NO, OK, NO),
    "GET /meetings/{meeting_id:int}/minutes": (LOGIN, OK, OK, NO),
    "GET /meetings/{meeting_id:int}/minutes/facts": (LOGIN, OK, OK, NO),
    "POST /meetings/{meeting_id:int}/minutes": (LOGIN, NO, OK, NO),
    "POST /meetings/{meeting_id:int}/minutes/share": (LOGIN, NO, OK, NO),
    "POST /meetings/{meeting_id:int}/minutes/approve": (LOGIN, NO, OK, NO),
    "POST /meetings/{meeting_id:int}/minutes/notes": (LOGIN, OK, OK, NO),
    "GET /meetings/{meeting_id:int}/print": (LOGIN, OK, OK, NO),
    "GET /meetings/{meeting_id:int}/paper": (LOGIN, OK, OK, NO),
    "GET /meetings/{meeting_id:int}/slips": (LOGIN, OK, OK, NO),
    "POST /meetings/{meeting_id:int}/actions": (LOGIN, NO, OK, NO),
    "GET /actions/mine": (LOGIN, OK, OK, OK),
    "POST /actions/{action_id:int}/status": (LOGIN, NO, OK, NO),
    "GET /projects/{project_id:int}/signals": (LOGIN, OK, OK, NO),
    "POST /projects/{project_id:int}/signals": (LOGIN, OK, OK, NO),
    "POST /signals/{signal_id:int}/answer": (LOGIN, NO, OK, NO),
    "GET /projects/{project_id:int}/calendar.ics": (LOGIN, OK, OK, NO),
    "GET /meetings/{meeting_id:int}/calendar.ics": (LOGIN, OK, OK, NO),
    # The token is the key: whoever holds a person's address reads it, session or not.
    "GET /feed/{feed_token}/tafel.ics": (OK, OK, OK, OK),
}


def feed_token():
    """A calendar address of the member (anouk), made afresh."""
    return make_feed(Account.get(Account.username == "anouk"))


PARAMS = {
    "feed_token": feed_token,
    "meeting_id": meeting_id,
    "item_id": item_id,
    "proposal_id": proposal_id,
    "action_id": action_id,
    "swap_id": swap_id,
    "signal_id": signal_id,
}
