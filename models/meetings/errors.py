"""What the meetings area's writes refuse with, and who their audit lines name.

Every write of the area (models/meetings/<capability>.py) opens its own transaction, checks
what it depends on inside it, writes its audit line and returns what it made, or raises one
of the errors below; the route picks the sentence the person reads (webapp/meetings/…).
"""

from models.actor import Actor


class Locked(Exception):
    """The thing can no longer be changed (approved minutes, a closed proposal, a meeting
    that started or closed); `str()` says which state stopped it."""


class Conflict(Exception):
    """Someone else saved the minutes first: the caller shows both texts so nothing is lost."""

    def __init__(self, minutes):
        super().__init__("stale version")
        self.minutes = minutes


class SwapClash(Exception):
    """Accepting the swap would make one person both chair and minute-taker."""


class SwapGone(Exception):
    """A meeting of the swap started, or its turn changed hands, since it was asked."""


class NotProvisional(Exception):
    """The decision is no longer waiting: confirmed or reopened already (`reason` says which),
    or it is not one of this meeting's decisions to confirm."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class MoreTimeAsked(Exception):
    """Someone asked the chair to wait ("I need more time") and the close did not say to close
    anyway: `people` are those who asked (their shown names), as the chair's tally shows them."""

    def __init__(self, people: list[str]):
        super().__init__("more time")
        self.people = people


class NotAllowed(Exception):
    """The actor may not do this for this person: only the chair, the minute-taker or a
    coordinator records a stance for someone else, and only for an active member."""


class NotApproving(Exception):
    """The proposal named to approve minutes is no decided proposal of a later meeting."""


def account_of(actor: Actor | int | None) -> int | None:
    """The account an audit line names: the actor's (None for Tafel itself). Other areas
    that re-plan the rota (models/meetings/rota.py `replan_rota`) may still hand over the
    account id itself."""
    if isinstance(actor, Actor):
        return actor.account_id
    return actor
