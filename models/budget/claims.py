"""Claims: a member asks costs back; the sub-budget's manager or the treasurer approves or
rejects; the treasurer pays, which books the reimbursement; the claimant may withdraw a claim
that still waits.

Four eyes (PRODUCT.md "Budget"): the claimant never approves, rejects or pays their own claim,
nor does anyone who counts as the claimant (issue 19: an account opened or reset through a
link the claimant made, or the claimant holding the decider's account that way;
`models.accounts.trust.counts_as`). The pages hide the buttons by the actor's own facts; the
writes check again inside their transaction, from the stored links, and refuse with
`NotYourOwn`. When two people act on one claim at once, the first one wins: a claim moves
only while it is still in the state the action expects (`_move`), and the others are told
nothing changed.

`actor` below is a `models.actor.Actor`; `claim` is a claim loaded with its sub-budget
(`Claim.with_names`), whose manager it knows.
"""

from __future__ import annotations

import collections
import datetime as dt
from collections import defaultdict

from peewee import Value, fn

from models.accounts import audit
from models.actor import Actor
from models.budget.eyes import counts_as_stored
from models.budget.ledger import book
from models.budget.receipts import keep_receipt
from models.budget.tables import MAX_KM, BudgetError, BudgetYear, Claim, Post, SubBudget
from models.clock import now, today
from models.db import database
from models.news.tell import tell
from models.paging import KeysetOnce, Page
from models.person import FORMER_MEMBER
from models.rows import as_datetime
from models.sql_once import Slot
from models.words import Text

# A claim waiting longer than this for a decision is shown first, marked "more than a day".
WAITING_TOO_LONG = dt.timedelta(days=1)


def claim_amount(kind: str, km: int | None, amount_cents: int | None, rate_cents: int) -> int:
    """What a claim is worth in cents: km × the organisation's rate for travel by car or bike."""
    if kind == "travel_km":
        if km is None or km <= 0 or km > MAX_KM:
            raise BudgetError(Text("Write the number of kilometres, a whole number above zero."))
        return km * rate_cents
    if amount_cents is None or amount_cents <= 0:
        raise BudgetError(Text("Write the amount you paid, above zero."))
    return amount_cents


# --- who may do what with a claim -----------------------------------------------------------


def is_claimant(actor: Actor, claim: Claim) -> bool:
    """The claimant themselves (they see and withdraw it)."""
    return actor.person_id is not None and actor.person_id == claim.claimant_id


def counts_as_claimant(actor: Actor, claim: Claim) -> bool:
    """The claimant, or someone whose account counts as them (`Actor.acts_for`): the request's
    own facts, no query, for what the page offers. The writes check both ways round from the
    stored links (`models.budget.eyes`)."""
    return actor.is_one_of(claim.claimant_id)


def is_party(actor: Actor, claim: Claim) -> bool:
    """The claimant, the sub-budget's manager or the treasurer: they see the claim."""
    return actor.is_treasurer or (
        actor.person_id is not None
        and actor.person_id in (claim.claimant_id, claim.sub_budget.manager_id)
    )


def may_decide(actor: Actor, claim: Claim) -> bool:
    """The sub-budget's manager or the treasurer, never (who counts as) the claimant."""
    manager = claim.sub_budget.manager_id
    return not counts_as_claimant(actor, claim) and (
        actor.is_treasurer or (actor.person_id is not None and actor.person_id == manager)
    )


def may_pay(actor: Actor, claim: Claim) -> bool:
    """The treasurer, never (who counts as) the claimant."""
    return actor.is_treasurer and not counts_as_claimant(actor, claim)


# --- moving a claim on -------------------------------------------------------------------


def submit(
    *, claimant_id: int, sub_budget_id: int, kind: str, km: int | None, amount_cents: int,
    spent_on: dt.date, description: str, receipt: tuple[bytes, str] | None,
    account_id: int | None,
) -> Claim:  # fmt: skip
    """A new claim, with its audit line and its receipt (bytes and extension, or None)."""
    with database.atomic():
        claim = Claim.create(
            claimant=claimant_id,
            sub_budget=sub_budget_id,
            kind=kind,
            km=km if kind == "travel_km" else None,
            amount_cents=amount_cents,
            spent_on=spent_on,
            description=description,
            receipt=keep_receipt(receipt),
        )
        audit.record(
            account_id, "budget.claim.submit", claim, person=claimant_id,
            after={"amount_cents": claim.amount_cents, "kind": claim.kind,
                   "sub_budget": claim.sub_budget_id},
        )  # fmt: skip
    return claim


def _move(claim_id: int, source: str, **values) -> bool:
    """Move a claim from one state to the next, only when it is still in `source`."""
    return bool(
        Claim.update(**values).where((Claim.id == claim_id) & (Claim.status == source)).execute()
    )


class NotYourOwn(BudgetError):
    """The actor counts as the claimant: the second pair of eyes must be someone else."""


OWN_CLAIM = Text(
    "You count as the person who made this claim (it is yours, or one of you opened the "
    "other's account with a link), so someone else must decide and pay it. Nothing was changed."
)


def _second_eyes(claim_id: int, actor: Actor) -> None:
    """Refuse (NotYourOwn) when the actor counts as the claimant (call inside the write's
    transaction)."""
    claimant = Claim.select(Claim.claimant).where(Claim.id == claim_id).scalar()
    if counts_as_stored(actor, claimant):
        raise NotYourOwn(OWN_CLAIM)


def approve(claim_id: int, actor: Actor) -> bool:
    """Approve a waiting claim; False when someone else was first; NotYourOwn when the actor
    counts as the claimant."""
    with database.atomic():
        _second_eyes(claim_id, actor)
        if not _move(claim_id, "submitted", status="approved", decided_by=actor.person_id,
                     decided_at=now()):  # fmt: skip
            return False
        audit.record(
            actor.account_id, "budget.claim.approve", Claim(id=claim_id),
            before={"status": "submitted"}, after={"status": "approved"},
        )  # fmt: skip
        _tell_claimant(claim_id, "approved")
    return True


def reject(claim_id: int, reason: str, actor: Actor) -> bool:
    """Do not approve a waiting claim, with a reason; False when someone else was first;
    NotYourOwn when the actor counts as the claimant."""
    with database.atomic():
        _second_eyes(claim_id, actor)
        if not _move(claim_id, "submitted", status="rejected", reason=reason,
                     decided_by=actor.person_id, decided_at=now()):  # fmt: skip
            return False
        audit.record(
            actor.account_id,
            "budget.claim.reject",
            Claim(id=claim_id),
            before={"status": "submitted"},
            after={"status": "rejected", "reason": reason},
        )
        _tell_claimant(claim_id, "rejected")
    return True


def _tell_claimant(claim_id: int, state: str) -> None:
    """The claimant hears their claim was approved, paid or rejected (inside the write): the
    amount only; the description and the reason stay on the claim's page."""
    claimant, amount = (
        Claim.select(Claim.claimant, Claim.amount_cents).where(Claim.id == claim_id).tuples().get()
    )
    tell(
        [claimant],
        f"claim_{state}",
        f"claim:{claim_id}:{state}",
        link=f"/budget/claims/{claim_id}",
        params={"amount_cents": amount},
    )


def payment_day(year: int) -> dt.date:
    """Today, or the nearest day of the budget's year when today lies outside it."""
    day = today()
    if day.year > year:
        return dt.date(year, 12, 31)
    if day.year < year:
        return dt.date(year, 1, 1)
    return day


def pay(claim_id: int, actor: Actor) -> bool:
    """Pay an approved claim and book the reimbursement in the same transaction; False when
    it is not waiting to be paid; NotYourOwn when the actor counts as the claimant."""
    with database.atomic():
        _second_eyes(claim_id, actor)
        if not _move(claim_id, "approved", status="paid", paid_by=actor.person_id, paid_at=now()):
            return False
        claim = Claim.get_by_id(claim_id)
        sub = (
            SubBudget.select(SubBudget, Post, BudgetYear)
            .join(Post)
            .join(BudgetYear)
            .where(SubBudget.id == claim.sub_budget_id)
            .get()
        )
        entry = book(
            date=payment_day(sub.post.year.year),
            post=sub.post,
            sub_budget=sub,
            description=claim.description,
            amount_cents=-claim.amount_cents,
            kind="reimbursement",
            booked_by=actor.person_id,
            receipt=claim.receipt,
            claim=claim,
        )
        audit.record(
            actor.account_id, "budget.claim.pay", claim, person=claim.claimant_id,
            before={"status": "approved"},
            after={"status": "paid", "entry": entry.id, "amount_cents": claim.amount_cents},
        )  # fmt: skip
        _tell_claimant(claim_id, "paid")
    return True


def withdraw(claim_id: int, actor: Actor) -> bool:
    """The claimant withdraws a waiting claim; False when it was decided meanwhile."""
    with database.atomic():
        if not _move(claim_id, "submitted", status="withdrawn", withdrawn_at=now()):
            return False
        audit.record(
            actor.account_id, "budget.claim.withdraw", Claim(id=claim_id),
            before={"status": "submitted"}, after={"status": "withdrawn"},
        )  # fmt: skip
    return True


# --- the lists ---------------------------------------------------------------------------


def claims_of(person_id: int | None, **where_on) -> Page:
    """A page of the person's own claims, newest first (`where_on`: after, before): their id,
    description, amount, status, and when they were made and paid (named tuples)."""
    return _MINE.page(person=person_id, **where_on)


def waiting_for(actor: Actor, **where_on) -> Page:
    """A page of the claims waiting for a decision by `actor` (a manager: their sub-budgets;
    the treasurer: all), never their own, oldest first: those waiting too long
    (WAITING_TOO_LONG) come first that way."""
    if not (actor.is_treasurer or SubBudget.any_managed_by(actor.person_id)):
        return Page()
    # A treasurer's account without a person has no claims of its own to leave out.
    shape = {"all": actor.is_treasurer, "person": actor.person_id is not None}
    return _TO_DECIDE.page(shape=shape, person=actor.person_id, **where_on)


def to_pay(**where_on) -> Page:
    """A page of the approved claims, in the order they were approved."""
    return _TO_PAY.page(**where_on)


def _to_decide(all: bool, person: bool):
    """Claims waiting for a decision, not those of the person in the slot "person" (when
    `person`); `all` (the treasurer) or only on the sub-budgets that person manages."""
    waiting = Claim.listed().where(Claim.status == "submitted")
    if person:
        waiting = waiting.where(Claim.claimant != Slot("person"))
    return waiting if all else waiting.where(SubBudget.manager == Slot("person"))


# The three lists' SQL built once per shape (models/sql_once.py): building it was a third of
# the claims page's CPU.
# Your own claims: what the list shows of them, straight from the driver (models/rows.py: a
# whole claim with its sub-budget and claimant per row was two thirds of reading the 50).
MyClaim = collections.namedtuple("MyClaim", "id description amount_cents status created_at paid_at")


def _my_claim(row: tuple) -> MyClaim:
    claim = MyClaim(*row)
    return claim._replace(
        created_at=as_datetime(claim.created_at), paid_at=as_datetime(claim.paid_at)
    )


class _Named:
    """A claimant or sub-budget as the lists show it."""

    __slots__ = ("name",)

    def __init__(self, name):
        self.name = name

    @property
    def shown_name(self):
        return self.name or FORMER_MEMBER


class ListedClaim:
    """A claim to decide or to pay as the lists show it (a row of `Claim.listed`)."""

    __slots__ = ("id", "description", "amount_cents", "status", "created_at", "decided_at",
                 "claimant_id", "sub_budget_id", "sub_budget", "claimant")  # fmt: skip

    def __init__(self, row: tuple):
        (self.id, self.description, self.amount_cents, self.status, created_at, decided_at,
         self.claimant_id, self.sub_budget_id, sub_name, _manager, _claimant,
         claimant_name) = row  # fmt: skip
        self.created_at, self.decided_at = as_datetime(created_at), as_datetime(decided_at)
        self.sub_budget, self.claimant = _Named(sub_name), _Named(claimant_name)


_MINE = KeysetOnce(
    lambda: Claim.select(
        *(Claim.id, Claim.description, Claim.amount_cents, Claim.status),
        *(Claim.created_at, Claim.paid_at),
    ).where(Claim.claimant == Slot("person")),
    lambda c: [c.created_at, c.id],
    Claim,
    make=_my_claim,
)
_TO_DECIDE = KeysetOnce(
    _to_decide, lambda c: [c.created_at, c.id], Claim, descending=False, make=ListedClaim
)
_TO_PAY = KeysetOnce(
    lambda: Claim.listed().where(Claim.status == "approved"),
    lambda c: [c.decided_at, c.id],
    Claim,
    descending=False,
    make=ListedClaim,
)


def payment_times(months: int = 12) -> list[dict]:
    """Per month of payment: claims paid, the average and longest time from claim to payment,
    and how many were paid on the day they came in. One query."""
    since = now() - dt.timedelta(days=31 * months)
    rows = (
        Claim.select(Claim.created_at, Claim.paid_at)
        .where((Claim.status == "paid") & (Claim.paid_at >= since))
        .tuples()
    )
    months_seen = defaultdict(list)
    for created, paid in rows:
        months_seen[(paid.year, paid.month)].append(paid - created)
    result = []
    for (year, month), waits in sorted(months_seen.items(), reverse=True):
        total = sum(waits, dt.timedelta())
        result.append(
            {
                "month": dt.date(year, month, 1),
                "count": len(waits),
                "average": total / len(waits),
                "longest": max(waits),
                "same_day": sum(1 for w in waits if w < dt.timedelta(days=1)),
            }
        )
    return result


def claimable_sub_budgets() -> list[tuple[int, str, str]] | None:
    """(id, name, post name) of the sub-budgets a claim can be made on: this calendar year's,
    else the latest plan's; None when there is no plan at all."""
    year = BudgetYear.of_claims()
    return None if year is None else SubBudget.of_year(year)


def waiting_counts(actor: Actor) -> dict[str, int]:
    """How many claims wait for `actor`, never their own (one query): "submitted" to decide
    (the manager of their sub-budgets; the treasurer: all) and "approved" to pay (the
    treasurer)."""
    if actor.person_id is None and not actor.is_treasurer:
        return {}
    mine = SubBudget.manager == actor.person_id
    to_decide = (Claim.status == "submitted") & (Value(True) if actor.is_treasurer else mine)
    where = to_decide
    if actor.is_treasurer:
        where = where | (Claim.status == "approved")
    if actor.person_id is not None:
        where = where & (Claim.claimant != actor.person_id)
    return dict(
        Claim.select(Claim.status, fn.COUNT(Claim.id))
        .join(SubBudget, on=(Claim.sub_budget == SubBudget.id))
        .where(where)
        .group_by(Claim.status)
        .tuples()
    )
