"""Four eyes in the budget (issue 19): the second half of a check (approving or paying a
claim, approving a planned amount) is never done by someone who counts as the one who did the
first half (`models.accounts.trust.counts_as`).

The writes check it inside their own transaction, from the stored links: the actor a request
carries may have been built before the links of its account were read, and a link may have
been used since. So the actor's `acts_for` is completed here with the makers of the used
links of its own account that the owner has not taken back.
"""

from dataclasses import replace

from models.accounts.trust import counts_as, makers_holding
from models.actor import Actor


def counts_as_stored(actor: Actor, person_id: int | None) -> bool:
    """Whether `actor` counts as the person for a four-eyes rule, either way round, by the
    links as they are stored now."""
    if person_id is None:
        return False
    held = replace(actor, acts_for=frozenset(actor.acts_for) | makers_holding(actor.person_id))
    return counts_as(held, person_id)
