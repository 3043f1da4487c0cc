"""Turns set by hand (PRODUCT.md "Rotation"): a coordinator sets chair, duo and minute-taker of
a meeting (the rota override), the chair chooses a duo. Moved out of models/meetings/rota.py,
which plans the turns by itself.

Whoever gets a chair's or minute-taker's turn by hand hears it as after a replan (news
`new_turn`, ISSUE21.md); the duo is the chair's own choice and is not told.
"""

from models.accounts import audit
from models.actor import Actor
from models.db import database
from models.meetings.errors import Locked, account_of
from models.meetings.rota import lock_and_refresh, replan_rota
from models.meetings.stored_rota import store_rota
from models.meetings.tables import Meeting
from models.meetings.turn_news import tell_new_turns
from models.meetings.vocabulary import ENDED_STATES


def override_rota(
    meeting: Meeting, chair, duo, minute_taker, reason: str, actor: Actor | None = None
) -> None:
    """A coordinator sets chair, duo and minute-taker by hand, with a reason in the audit log;
    re-planning keeps this meeting's rota from now on. Who gets a turn they did not have
    hears it (`new_turn`). One transaction; Locked once the meeting is closed."""
    with database.atomic():
        if lock_and_refresh(meeting).state in ENDED_STATES:
            raise Locked(meeting.state)
        before = {
            "chair": meeting.chair_id,
            "chair_duo": meeting.chair_duo_id,
            "minute_taker": meeting.minute_taker_id,
        }
        meeting.chair, meeting.chair_duo, meeting.minute_taker = chair, duo, minute_taker
        meeting.rota_fixed = True
        meeting.save()
        audit.record(
            account_of(actor),
            "rota.override",
            meeting,
            project=meeting.project_id,
            before=before,
            after={"chair": chair, "chair_duo": duo, "minute_taker": minute_taker},
            note=reason,
        )
        if meeting.state == "planned":  # a running meeting's people are in the room
            turns = [
                (meeting, role, person)
                for role, person, had in (
                    ("chair", chair, before["chair"]),
                    ("minutes", minute_taker, before["minute_taker"]),
                )
                if person != had
            ]
            tell_new_turns(meeting.project_id, turns)
        replan_rota(meeting.project_id, actor=actor)


def choose_duo(meeting: Meeting, duo, actor: Actor | None = None) -> None:
    """The chair chooses a buddy to chair together with (None: chairs alone). One
    transaction; Locked once the meeting is closed."""
    with database.atomic():
        if lock_and_refresh(meeting).state in ENDED_STATES:
            raise Locked(meeting.state)
        before = {"chair_duo": meeting.chair_duo_id}
        meeting.chair_duo = duo
        meeting.save()
        audit.record(
            account_of(actor),
            "rota.duo",
            meeting,
            project=meeting.project_id,
            before=before,
            after={"chair_duo": duo},
        )
        store_rota(meeting.project_id)
