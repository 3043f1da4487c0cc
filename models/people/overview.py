"""The coordinator overview (PRODUCT.md "Role growth"): who is where, recent changes, who
wants to grow and whose development conversation is overdue; one query each."""

import datetime as dt

from models.clock import today
from models.people.tables import Conversation, Membership, StepChange
from models.person import Person

STALE_CONVERSATION_DAYS = 183  # PRODUCT.md: last development conversation older than 6 months
RECENT_DAYS = 92  # "changes in the last 3 months"


def overview_lists(project_id: int | None) -> dict:
    """The overview of one project, or (None) of the whole organisation."""
    people_in_scope = Membership.select(Membership.person).where(
        Membership.not_ended_in(project_id)
    )
    return {
        "at_step": Membership.at_steps(project_id),
        "recent": StepChange.recent(project_id, today() - dt.timedelta(days=RECENT_DAYS)),
        "growing": Person.wanting_to_grow(people_in_scope),
        "stale": Conversation.stale_among(
            people_in_scope, today() - dt.timedelta(days=STALE_CONVERSATION_DAYS)
        ),
    }
