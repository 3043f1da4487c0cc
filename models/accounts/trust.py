"""Nobody acts as someone else (issue 19, docs/rules.md "A key made by someone else").

People without email get their account through a one-time link that someone else makes and
could open themselves. So an account opened or reset through a link made by person X counts
as X too (`Actor.acts_for`) until its owner takes it back: for a four-eyes rule (a claim's
approval and payment, a removal, a planned amount, a 51% confirmation) the two halves must be
done by two people neither of whom counts as the other.
"""

from models.accounts.tables import AccessLink, Account


def makers_holding(person_id: int | None) -> frozenset:
    """The person ids of those who made a used link for this person's account that the owner
    has not taken back (links made with the `tafel` command have no maker)."""
    if person_id is None:
        return frozenset()
    maker = Account.alias()
    rows = (
        AccessLink.select(maker.person)
        .join(maker, on=(AccessLink.created_by == maker.id))
        .where(
            (AccessLink.person == person_id)
            & AccessLink.used_at.is_null(False)
            & AccessLink.taken_back_at.is_null()
            & (maker.person != person_id)
        )
        .tuples()
    )
    return frozenset(made_by for (made_by,) in rows)


def counts_as(actor, person_id: int | None) -> bool:
    """Whether `actor` counts as the person for a four-eyes rule, either way round: the
    actor is that person or holds their account through a link they made, or the person's
    account is held through a link the actor made. The other half of a check must never be
    done by such an actor."""
    if person_id is None:
        return False
    if actor.is_one_of(person_id):
        return True
    return actor.person_id is not None and actor.person_id in makers_holding(person_id)
