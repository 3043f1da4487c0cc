"""Nobody acts as someone else (issue 19, docs/rules.md "A key made by someone else").

People without email get their account through a one-time link that someone else makes and
could open themselves. So an account opened or reset through a link made by person X counts
as X too (`Actor.acts_for`) until its owner takes it back: for a four-eyes rule (a claim's
approval and payment, a removal, a planned amount, a 51% confirmation) the two halves must be
done by two people neither of whom counts as the other.

The owner takes the account back in a way the maker cannot do alone (`take_back`): in
person, with a second person who holds the admin or privacy right and is neither the maker
nor counted as them, on that right's page; the owner chooses a new password there.
"""

from peewee import Select

from models.accounts import audit
from models.accounts.passwords import hash_password
from models.accounts.tables import AccessLink, Account, CalendarFeed, UserSession
from models.clock import now
from models.db import database
from models.person import Person
from models.rules.errors import RuleError


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


def is_held(actor) -> bool:
    """Whether someone else's link holds the actor's account (`Actor.acts_for`), or its
    client-background answer waits for the person (`Actor.background_held`): meanwhile the
    account holds back what the link's maker may not see (the answer, "my data", which
    signals the person sent without their name)."""
    return bool(actor.acts_for) or bool(actor.background_held)


def _holding(link, maker):
    """The condition "this link holds its person's account for its maker": used, not taken
    back, made by someone else (links made with the `tafel` command have no maker)."""
    used = link.used_at.is_null(False) & link.taken_back_at.is_null()
    return used & (maker.person != link.person)


def same_hands(person_ids) -> Select:
    """A query of the person ids whose accounts may be in the same hands as these people's
    (one query when used as a subquery, whatever the depth).

    Who may hold an account: its person, the makers of the links that hold it, who may hold
    the makers' accounts, and so on up (`holders`). The same hands may then use every
    account those hold in turn, and so on down (`hands`). Two people count as each other for
    a four-eyes rule exactly when one is in the other's same_hands: someone may hold both
    accounts (for example Kim, who made and used the links of both)."""
    return same_hands_of(sorted({p for p in person_ids if p is not None}) or [0])


def same_hands_of(ids: list) -> Select:
    """same_hands for these ids as they are (distinct, or Slots of a Prepared query)."""
    link, maker = AccessLink.alias(), Account.alias()
    holders = (
        Person.select(Person.id)
        .where(Person.id.in_(ids))
        .cte("holders", recursive=True, columns=("person",))
    )
    up = (
        link.select(maker.person)
        .join(maker, on=(link.created_by == maker.id))
        .join(holders, on=(link.person == holders.c.person))
        .where(_holding(link, maker))
    )
    holders = holders.union(up)
    link, maker = AccessLink.alias(), Account.alias()
    hands = Select(from_list=[holders], columns=[holders.c.person]).cte(
        "hands", recursive=True, columns=("person",)
    )
    down = (
        link.select(link.person)
        .join(maker, on=(link.created_by == maker.id))
        .join(hands, on=(maker.person == hands.c.person))
        .where(_holding(link, maker))
    )
    hands = hands.union(down)
    return Select(from_list=[hands], columns=[hands.c.person]).with_cte(holders, hands)


def counts_as(actor, person_id: int | None) -> bool:
    """Whether `actor` counts as the person for a four-eyes rule, either way round and
    through any chain of links: the actor is that person or holds their account through a
    link they made, the person's account is held through a link the actor made, or one
    person may hold both accounts (two links made by the same maker, or a link made from an
    account someone else's link holds). The other half of a check must never be done by
    such an actor. No query when the request's own facts decide it; else one."""
    if person_id is None:
        return False
    if actor.is_one_of(person_id):
        return True
    if not actor.eyes:
        return False
    return (
        Person.select(Person.id)
        .where((Person.id == person_id) & Person.id.in_(same_hands(actor.eyes)))
        .exists()
    )


# --- taking the account back ----------------------------------------------------------------

NOTHING_TO_TAKE_BACK = "This account is its owner's already: nobody else's link holds it."
YOUR_OWN_LINK = (
    "You made a link for this account, or it is yours. Someone else with the right has to "
    "confirm it."
)


def _holding_links():
    """The used links made by someone else for a person's account and not taken back."""
    maker = Account.alias()
    return (
        AccessLink.select()
        .join(maker, on=(AccessLink.created_by == maker.id))
        .where(
            AccessLink.used_at.is_null(False)
            & AccessLink.taken_back_at.is_null()
            & (maker.person != AccessLink.person)
        )
    )


def held_accounts() -> list[dict]:
    """The people whose account a link made by someone else still holds, at most 200, those
    who said "this was not me" first: each {"person", "makers" (names), "not_me"} (one
    query)."""
    maker, maker_person = Account.alias(), Person.alias()
    rows = (
        AccessLink.select(
            AccessLink.person,
            Person.display_name,
            maker_person.display_name.alias("maker_name"),
            AccessLink.answer,
        )
        .join(Person, on=(AccessLink.person == Person.id))
        .switch(AccessLink)
        .join(maker, on=(AccessLink.created_by == maker.id))
        .join(maker_person, on=(maker.person == maker_person.id))
        .where(
            AccessLink.used_at.is_null(False)
            & AccessLink.taken_back_at.is_null()
            & (maker.person != AccessLink.person)
            & Person.erased_at.is_null()
        )
        .order_by(Person.display_name, AccessLink.id)
        .limit(1000)
        .tuples()
    )
    people: dict[int, dict] = {}
    for person_id, name, maker_name, answer in rows:
        entry = people.setdefault(
            person_id, {"person_id": person_id, "name": name, "makers": [], "not_me": False}
        )
        if maker_name not in entry["makers"]:
            entry["makers"].append(maker_name)
        entry["not_me"] = entry["not_me"] or answer == "not_me"
    return sorted(people.values(), key=lambda e: (not e["not_me"], e["name"] or ""))[:200]


def reported_not_me() -> int:
    """How many links people answered with "this was not me" and nobody took back yet."""
    return (
        AccessLink.select()
        .where((AccessLink.answer == "not_me") & AccessLink.taken_back_at.is_null())
        .count()
    )


def take_back(actor, person_id: int | None, password: str) -> Account:
    """The owner takes their account back, in person: a second person with the admin or
    privacy right (the caller checked it) who is not the link's maker and counts as neither
    the maker nor the owner confirms they saw the owner, and the owner types a new password
    on that person's screen. Every link that held the account is taken back (the account no
    longer counts as its makers), every session and the calendar address end, the
    client-background answer shows again, and it is an audit line. Refuses (RuleError) an
    account no link holds, and a confirmer who counts as the maker or the owner."""
    with database.atomic():
        account = Account.get_or_none(Account.person == (person_id or 0))
        makers = makers_holding(person_id)
        if account is None or not makers:
            raise RuleError(NOTHING_TO_TAKE_BACK)
        if actor.person_id in makers or counts_as(actor, person_id):
            raise RuleError(YOUR_OWN_LINK)
        moment = now()
        held = _holding_links().where(AccessLink.person == person_id)
        AccessLink.update(taken_back_at=moment).where(AccessLink.id.in_(held)).execute()
        Account.update(password_hash=hash_password(password), background_held=False).where(
            Account.id == account.id
        ).execute()
        UserSession.end_all(account.id)
        CalendarFeed.delete().where(CalendarFeed.account == account.id).execute()
        audit.record(
            actor.account_id,
            "account.take_back",
            account,
            person=person_id,
            after={"makers": len(makers)},
        )
    return account
