""" "Voor jou": what needs the person now, gathered from each area for the start page.

Each area answers its own question (models/meetings/…, models/budget/claims.py); this only
gathers them, with one query per kind whatever the data size (at most ten). `who` is the
viewer: person_id, member_of, coordinates, is_org_coordinator, is_treasurer.

The counts show on the start page only; the menu keeps a plain "Start" link. Counting on
every page would add these queries to every request of every signed-in person (and every
page's query budget) for a number most people only need when they open Tafel; the start
page is where everyone lands after logging in, and its heading carries the total.
"""

from dataclasses import dataclass, field

from models.accounts.trust import reported_not_me
from models.budget import claims
from models.budget.plan import changes_to_approve
from models.meetings import actions, between, concerns, minutes, proposals, rota, signals
from models.meetings.tables import Meeting
from models.people.checks import CheckRequest
from models.records.removal import removals_to_confirm


@dataclass
class ForYou:
    stances: int = 0
    first_proposal: int | None = None
    between: int = 0  # proposals between meetings waiting for the person's answer
    first_between: object = None  # the one of them that closes first (id, closes_at)
    next_turn: Meeting | None = None
    swaps: int = 0
    swap_meeting: int | None = None
    actions: int = 0
    claims_to_decide: int = 0
    claims_to_pay: int = 0
    planned_changes: int = 0
    removals: int = 0
    not_me: int = 0  # links people said "this was not me" about (admin and privacy right)
    checks: int = 0  # 51% checks a coordinator asked, waiting for an answer (privacy right)
    concerns: int = 0  # quiet concerns waiting for the viewer as a trusted person
    signals: list = field(default_factory=list)  # (project id, name, count)
    minutes: list = field(default_factory=list)  # meetings with minutes_state

    @property
    def total(self) -> int:
        """How many things wait for the person (the next turn is news, not a task)."""
        return (
            self.stances
            + self.between
            + self.swaps
            + self.actions
            + self.claims_to_decide
            + self.claims_to_pay
            + self.planned_changes
            + self.removals
            + self.not_me
            + self.checks
            + self.concerns
            + sum(count for _, _, count in self.signals)
            + len(self.minutes)
        )


def for_you(who) -> ForYou:
    """Everything that waits for the viewer, one query per kind."""
    person = who.person_id
    members = who.member_of
    stances, first_proposal = proposals.waiting_for_stance(person, members)
    waiting_between, first_between = between.waiting_between(person, members)
    swaps, swap_meeting = rota.swaps_asked(person)
    waiting = claims.waiting_counts(who)
    coordinated = None if who.is_org_coordinator else who.coordinates
    return ForYou(
        stances=stances,
        first_proposal=first_proposal,
        between=waiting_between,
        first_between=first_between,
        next_turn=rota.next_turn(person, members),
        swaps=swaps,
        swap_meeting=swap_meeting,
        actions=actions.open_count(person),
        claims_to_decide=waiting.get("submitted", 0),
        claims_to_pay=waiting.get("approved", 0),
        planned_changes=changes_to_approve(who),
        removals=removals_to_confirm(who),
        not_me=reported_not_me() if who.is_admin or who.has_privacy_right else 0,
        # One query, only for the privacy right (none for everyone else).
        checks=CheckRequest.waiting_count() if who.has_privacy_right else 0,
        # One query, only for trusted persons (none for everyone else).
        concerns=concerns.waiting_count(who) if who.is_trusted else 0,
        signals=signals.unanswered_by_project(coordinated),
        minutes=minutes.needing(who),
    )
