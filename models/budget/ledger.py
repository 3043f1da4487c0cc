"""The ledger: booking an entry, correcting one with a reversal, and reading lines with the
rule of who may see who was reimbursed.

Who sees what (PRODUCT.md "Budget"): everyone who sees the budget sees every ledger line. The
name of a person who was reimbursed (and the claimant's own description) is shown only to the
manager of that sub-budget and the treasurer; everyone else reads "reimbursement".

`actor` below is a `models.actor.Actor`.
"""

from __future__ import annotations

import datetime as dt

from models.accounts import audit
from models.actor import Actor
from models.budget.receipts import keep_receipt
from models.budget.tables import (
    ENTRY_KINDS,
    BudgetError,
    Claim,
    LedgerEntry,
    Post,
    SubBudget,
)
from models.budget.totals import add_entry
from models.clock import today
from models.db import database, lock_for_update
from models.paging import KeysetOnce, Page
from models.person import FORMER_MEMBER, Person
from models.rows import as_date
from models.sql_once import Slot
from models.words import Text

REIMBURSEMENT = Text("reimbursement")


def may_know_who(actor: Actor, manager_id: int | None) -> bool:
    """May `actor` know who was reimbursed from a sub-budget with this manager?"""
    return actor.is_treasurer or (manager_id is not None and manager_id == actor.person_id)


def check_sign(kind: str, amount_cents: int) -> None:
    """Income is positive, spending and reimbursement negative; never zero."""
    if isinstance(amount_cents, bool) or not isinstance(amount_cents, int):
        raise TypeError("Money is integer cents.")
    if kind not in ENTRY_KINDS:
        raise BudgetError(Text("Choose money in, money out, reimbursement or correction."))
    if amount_cents == 0:
        raise BudgetError(Text("An amount of zero cannot be booked."))
    if kind == "income" and amount_cents < 0:
        raise BudgetError(Text("Income is money in: write it as a positive amount."))
    if kind in ("spending", "reimbursement") and amount_cents > 0:
        raise BudgetError(Text("Spending is money out: write it as a negative amount."))


def book(
    *,
    date,
    post: Post,
    sub_budget: SubBudget | None,
    description: str,
    amount_cents: int,
    kind: str,
    booked_by: int | None,
    receipt: str | None = None,
    claim: Claim | None = None,
) -> LedgerEntry:
    """Add an entry (call inside a transaction). Reversals go through `reverse`."""
    if kind == "reversal":
        raise BudgetError(Text("A correction is made from the entry it corrects."))
    check_sign(kind, amount_cents)
    if sub_budget is not None and sub_budget.post_id != post.id:
        raise BudgetError(Text("This sub-budget belongs to another post."))
    return add_entry(
        date=date,
        post=post,
        sub_budget=sub_budget,
        description=description,
        amount_cents=amount_cents,
        kind=kind,
        booked_by=booked_by,
        receipt=receipt,
        claim=claim,
    )


def reverse(original: LedgerEntry, *, date, description: str, booked_by: int | None):
    """A reversal of `original` (call inside a transaction): once only, never of a reversal."""
    if original.kind == "reversal":
        raise BudgetError(
            Text(
                "This entry is itself a correction and cannot be corrected again; "
                "book a new entry instead."
            )
        )
    # Two corrections of one entry at the same moment: the second waits here for the first
    # (PostgreSQL; SQLite's write lock already orders them) and then reads that it is done.
    lock_for_update(LedgerEntry.select(LedgerEntry.id).where(LedgerEntry.id == original.id)).get()
    if LedgerEntry.is_corrected(original.id):
        raise BudgetError(Text("This entry has already been corrected."))
    return add_entry(
        date=date,
        post=original.post_id,
        sub_budget=original.sub_budget_id,
        description=description,
        amount_cents=-original.amount_cents,
        kind="reversal",
        reverses=original.id,
        booked_by=booked_by,
    )


def entry_values(entry: LedgerEntry) -> dict:
    """An entry as the audit log keeps it."""
    return {
        "date": entry.date,
        "post": entry.post_id if isinstance(entry.post_id, int) else entry.post.id,
        "sub_budget": entry.sub_budget_id,
        "amount_cents": entry.amount_cents,
        "kind": entry.kind,
        "reverses": entry.reverses_id,
    }


def book_entry(
    *, post: Post, sub: SubBudget | None, date: dt.date, description: str, amount_cents: int,
    kind: str, receipt: tuple[bytes, str] | None, account_id: int | None, person_id: int | None,
) -> LedgerEntry:  # fmt: skip
    """Book money in or out on a post or sub-budget, with its audit line and its receipt
    (bytes and extension, or None), in one transaction."""
    with database.atomic():
        entry = book(
            date=date,
            post=post,
            sub_budget=sub,
            description=description,
            amount_cents=amount_cents,
            kind=kind,
            booked_by=person_id,
            receipt=keep_receipt(receipt),
        )
        audit.record(
            account_id, "budget.entry.book", entry, project=sub.project_id if sub else None,
            after=entry_values(entry),
        )  # fmt: skip
    return entry


def correct_entry(
    entry: LedgerEntry, year: int, description: str, account_id: int | None,
    person_id: int | None,
) -> LedgerEntry:  # fmt: skip
    """Book the reversal of `entry` (of a post in `year`) with its audit line; dated today, or
    on the entry's own date when today lies in another year. Raises BudgetError."""
    with database.atomic():
        reversal = reverse(
            entry,
            date=today() if today().year == year else entry.date,
            description=description,
            booked_by=person_id,
        )
        audit.record(
            account_id, "budget.entry.reverse", reversal,
            before=entry_values(entry), after=entry_values(reversal),
        )  # fmt: skip
    return reversal


def _ledger_query(on: str):
    """The ledger lines of a sub-budget (`on` "sub") or of a post itself ("post"), a Slot
    for which: what the lines show, with the booker's and claimant's names, the sub-budget's
    manager and the correcting entry (one query).

    The names and the correction are subqueries in the select, not joins: the lines are
    chosen on the ledger alone (its index gives their order) and the subqueries are read
    for the page's lines only. PostgreSQL planned the six joined tables in about 2 ms, more
    than it took to read the page (bench/README.md, fourth round)."""
    e = LedgerEntry
    Booker = Person.alias()
    Claimant = Person.alias()
    Correction = LedgerEntry.alias()
    Sub, SubNamed = SubBudget.alias(), SubBudget.alias()
    return e.select(
        # Only what the lines show: no booked_at, booked_by, claim (each a conversion per
        # row, the moment a date-time parse).
        e.id,
        e.date,
        e.description,
        e.amount_cents,
        e.kind,
        e.reverses,
        e.receipt,
        Booker.select(Booker.display_name).where(Booker.id == e.booked_by).alias("booker_name"),
        Claimant.select(Claimant.display_name)
        .join(Claim, on=(Claim.claimant == Claimant.id))
        .where(Claim.id == e.claim)
        .alias("claimant_name"),
        Sub.select(Sub.manager).where(Sub.id == e.sub_budget).alias("manager_ref"),
        SubNamed.select(SubNamed.name).where(SubNamed.id == e.sub_budget).alias("sub_name"),
        Correction.select(Correction.id).where(Correction.reverses == e.id).alias("corrected_by"),
    ).where(_ledger_where(on))


def _ledger_where(on: str):
    """Which lines: a sub-budget's (`on` "sub") or a post's own ("post"), a Slot for which."""
    e = LedgerEntry
    if on == "sub":
        return e.sub_budget == Slot("on")
    return (e.post == Slot("on")) & e.sub_budget.is_null()


class _Booker:
    """Who booked a line, as the line shows them: their name, or "former member" when they
    have none (erased, or a booking by command), as `Person.shown_name` says it."""

    __slots__ = ("shown_name",)

    def __init__(self, name: str | None):
        self.shown_name = name or FORMER_MEMBER


class LedgerLine:
    """A ledger line as the ledger pages show it (a row of `_ledger_query`, straight from the
    driver: a model object per line was a quarter of reading a page of them)."""

    __slots__ = (
        "id", "date", "description", "amount_cents", "kind", "reverses_id", "receipt",
        "booker_name", "claimant_name", "manager_ref", "sub_name", "corrected_by",
        "booker", "shown_description", "may_manage",
    )  # fmt: skip

    def __init__(self, row: tuple):
        (self.id, date, self.description, self.amount_cents, self.kind, self.reverses_id,
         self.receipt, self.booker_name, self.claimant_name, self.manager_ref, self.sub_name,
         self.corrected_by) = row  # fmt: skip
        self.date = as_date(date)


# The SQL built once per shape (models/sql_once.py): building it was a fifth of a ledger page.
_LINES = KeysetOnce(_ledger_query, lambda e: [e.date, e.id], LedgerEntry, make=LedgerLine)


def ledger_lines(on: str, on_id: int, actor: Actor, after: int | None = None,
                 before: int | None = None) -> Page:  # fmt: skip
    """A page of the entries of a sub-budget (`on` "sub", `on_id` its id) or booked on a
    post itself ("post"), newest first (models/paging.py: after or before the entry with
    that id), with who booked them (`booker`, a Person or None), who was reimbursed
    (`claimant_name`, only for those who may know), whether each was corrected
    (`corrected_by`) and whether `actor` may manage it (`may_manage`): one query."""
    page = _LINES.page(shape={"on": on}, on=on_id, after=after, before=before)
    lines = []
    for entry in page.rows:
        may_know = may_know_who(actor, entry.manager_ref)
        entry.booker = _Booker(entry.booker_name)
        if entry.kind == "reimbursement" and not may_know:
            entry.shown_description = REIMBURSEMENT
        else:
            entry.shown_description = entry.description
        if not may_know:
            entry.claimant_name = None
        entry.may_manage = may_know
        lines.append(entry)
    page.rows = lines
    return page


def lines_of_sub_budget(sub: SubBudget, actor: Actor, **where_on) -> Page:
    """A page of the sub-budget's entries (`where_on`: after, before)."""
    return ledger_lines("sub", sub.id, actor, **where_on)


def lines_of_post(post: Post, actor: Actor, **where_on) -> Page:
    """A page of the entries booked on the post itself (not on one of its sub-budgets)."""
    return ledger_lines("post", post.id, actor, **where_on)
