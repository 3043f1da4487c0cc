"""The plan: posts and sub-budgets with their managers, and their planned amounts.

Co-decide (PRODUCT.md "Budget"): a planned amount changes only with a decision picked from
a meeting's register (models/meetings/register.py says which may back it). An organisation
coordinator applies it at once; the treasurer proposes it, and an organisation coordinator who
did not propose it approves it or rejects it with a reason. Every change is a PlannedChange
and a line in the audit log. (A budget file sets the amounts of a new plan with the text
"budget.csv", never a change of an amount already planned: models.budget.exchange.)
"""

from __future__ import annotations

from models.accounts import audit
from models.actor import Actor
from models.budget.eyes import counts_as_stored
from models.budget.tables import BudgetError, BudgetYear, PlannedChange, Post, SubBudget
from models.clock import now
from models.db import database, lock_for_update
from models.meetings.register import backing_decision, decision_label
from models.organisation import Project
from models.people import Membership
from models.words import Text


def may_approve(actor: Actor, change: PlannedChange) -> bool:
    """An organisation coordinator who did not propose the change, nor counts as the one who
    did (`Actor.acts_for`; `approve_change` checks both ways round from the stored links)."""
    return actor.is_org_coordinator and not actor.is_one_of(change.proposed_by_id)


class NotYourOwn(BudgetError):
    """The actor counts as the one who proposed the change: another coordinator decides."""


OWN_PROPOSAL = Text(
    "You count as the person who proposed this change (you did, or one of you opened the "
    "other's account with a link), so another organisation coordinator must decide it. "
    "Nothing was changed."
)


def _second_eyes(change: PlannedChange, actor: Actor) -> None:
    """Refuse (NotYourOwn) when the actor counts as the proposer (inside the transaction)."""
    proposer = (
        PlannedChange.select(PlannedChange.proposed_by)
        .where(PlannedChange.id == change.id)
        .scalar()
    )
    if counts_as_stored(actor, proposer):
        raise NotYourOwn(OWN_PROPOSAL)


def budget_project(sub: SubBudget | None) -> int | None:
    """Whose decisions may back a change: the sub-budget's project, or None for the
    organisation (a post, or a sub-budget without a project)."""
    return sub.project_id if sub is not None else None


def apply_planned(
    post: Post, sub: SubBudget | None, cents: int, decision: str, *, proposed_by: int | None,
    account_id: int | None,
) -> PlannedChange | None:  # fmt: skip
    """Set a planned amount from a budget file (call inside a transaction); `decision` is
    written as text. None when it is already that amount."""
    target = sub or post
    if target.planned_cents == cents:
        return None
    change = PlannedChange.create(
        post=post,
        sub_budget=sub,
        old_cents=target.planned_cents,
        new_cents=cents,
        written_decision=decision,
        proposed_by=proposed_by,
        status="applied",
        applied_at=now(),
    )
    type(target).update(planned_cents=cents).where(type(target).id == target.id).execute()
    target.planned_cents = cents
    audit.record(
        account_id, "budget.planned.change", change,
        before={"planned_cents": change.old_cents},
        after={"planned_cents": cents, "decision": decision},
    )  # fmt: skip
    return change


class SameAmount(Exception):
    """The planned amount is already what the change asks for."""


class AlreadyProposed(Exception):
    """The same change (this post or sub-budget, this amount) is already proposed and waits
    for a coordinator: a second one would be approved twice."""


def _waiting_same(post: Post, sub: SubBudget | None, cents: int) -> bool:
    """A proposal for this post or sub-budget with this amount waits (under the row's lock)."""
    where = (
        (PlannedChange.sub_budget == sub.id)
        if sub is not None
        else ((PlannedChange.post == post.id) & PlannedChange.sub_budget.is_null())
    )
    return (
        PlannedChange.select()
        .where(where & (PlannedChange.status == "proposed") & (PlannedChange.new_cents == cents))
        .exists()
    )


def changes_to_approve(actor: Actor) -> int:
    """How many proposed planned amounts wait for this organisation coordinator: those
    someone else proposed ("Voor jou"). No query for anyone else."""
    if not actor.is_org_coordinator:
        return 0
    query = PlannedChange.select().where(PlannedChange.status == "proposed")
    if actor.eyes:
        query = query.where(
            PlannedChange.proposed_by.is_null() | PlannedChange.proposed_by.not_in(list(actor.eyes))
        )
    return query.count()


def change_planned(
    post: Post, sub: SubBudget | None, cents: int, decision_id: int | None, actor: Actor
) -> PlannedChange:
    """A change of a planned amount backed by a decision from the register: applied now (an
    organisation coordinator), or a proposal waiting for a coordinator (the treasurer).
    NotBacking when the decision may not back it; SameAmount when the amount is already
    planned; AlreadyProposed when the same change already waits for a coordinator."""
    propose, person_id, account_id = actor.is_treasurer, actor.person_id, actor.account_id
    model = SubBudget if sub is not None else Post
    target_id = (sub or post).id
    with database.atomic():
        decision = backing_decision(decision_id, budget_project(sub))
        old = lock_for_update(
            model.select(model.planned_cents).where(model.id == target_id)
        ).scalar()
        if old == cents:
            raise SameAmount()
        if propose and _waiting_same(post, sub, cents):
            raise AlreadyProposed()
        change = PlannedChange.create(
            post=post,
            sub_budget=sub,
            old_cents=old,
            new_cents=cents,
            decision=decision.id,
            proposed_by=person_id,
            status="proposed" if propose else "applied",
            applied_at=None if propose else now(),
        )
        if not propose:
            model.update(planned_cents=cents).where(model.id == target_id).execute()
        audit.record(
            account_id,
            "budget.planned.propose" if propose else "budget.planned.change",
            change,
            before={"planned_cents": old},
            after={"planned_cents": cents, "decision": decision_label(decision),
                   "decision_id": decision.id},
        )  # fmt: skip
    return change


def approve_change(change: PlannedChange, actor: Actor) -> bool:
    """A coordinator approves a proposed planned amount: it applies now. False when it is no
    longer a proposal; NotBacking when its decision no longer may back it (the sub-budget
    was moved to another project since, say); NotYourOwn when the actor counts as the one
    who proposed it."""
    person_id, account_id = actor.person_id, actor.account_id
    model, target_id = (
        (SubBudget, change.sub_budget_id) if change.sub_budget_id else (Post, change.post_id)
    )
    with database.atomic():
        _second_eyes(change, actor)
        if change.decision_id is not None:
            sub = SubBudget.get_or_none(SubBudget.id == change.sub_budget_id)
            backing_decision(change.decision_id, budget_project(sub))
        old = lock_for_update(
            model.select(model.planned_cents).where(model.id == target_id)
        ).scalar()
        # The first decision wins: the change moves only while it is still a proposal.
        applied = (
            PlannedChange.update(
                status="applied", approved_by=person_id, applied_at=now(), old_cents=old
            )
            .where((PlannedChange.id == change.id) & (PlannedChange.status == "proposed"))
            .execute()
        )
        if not applied:
            return False
        model.update(planned_cents=change.new_cents).where(model.id == target_id).execute()
        audit.record(
            account_id, "budget.planned.approve", change,
            before={"planned_cents": old},
            after={"planned_cents": change.new_cents, "decision_id": change.decision_id},
        )  # fmt: skip
    return True


def reject_change(change: PlannedChange, reason: str, actor: Actor) -> bool:
    """A coordinator rejects a proposed planned amount, saying why: the amount stays; the
    treasurer reads the reason with the proposal. False when it is no longer a proposal;
    NotYourOwn when the actor counts as the one who proposed it."""
    person_id, account_id = actor.person_id, actor.account_id
    with database.atomic():
        _second_eyes(change, actor)
        rejected = (
            PlannedChange.update(
                status="rejected", rejected_by=person_id, rejected_at=now(), reason=reason
            )
            .where((PlannedChange.id == change.id) & (PlannedChange.status == "proposed"))
            .execute()
        )
        if not rejected:
            return False
        audit.record(
            account_id, "budget.planned.reject", change,
            before={"status": "proposed"},
            after={"status": "rejected", "proposed_cents": change.new_cents,
                   "reason": reason},
        )  # fmt: skip
    return True


# --- posts and sub-budgets (the treasurer) ---------------------------------------------------


def create_post(year_number: int, name: str, account_id: int | None) -> Post | None:
    """A new post of a year (the year is made when it has no plan yet), planned amount zero;
    None when the year already has a post with this name."""
    with database.atomic():
        year = BudgetYear.numbered(year_number)
        if year is None:
            year = BudgetYear.create(year=year_number)
        if Post.name_taken(year, name):
            return None
        post = Post.create(year=year, name=name, planned_cents=0)
        audit.record(
            account_id, "budget.post.create", post, after={"name": name, "year": year.year}
        )
    return post


def create_sub_budget(
    post: Post, name: str, manager_id: int | None, project_id: int | None,
    account_id: int | None,
) -> SubBudget | None:  # fmt: skip
    """A new sub-budget of a post, planned amount zero; None when the name is taken."""
    with database.atomic():
        # Two new sub-budgets of one post at once: the second waits here, then sees the name.
        lock_for_update(Post.select(Post.id).where(Post.id == post.id), no_key=True).get()
        if SubBudget.name_taken(post, name):
            return None
        sub = SubBudget.create(
            post=post, name=name, planned_cents=0, manager=manager_id, project=project_id
        )
        audit.record(
            account_id, "budget.sub_budget.create", sub,
            project=sub.project_id, person=sub.manager_id,
            after={"name": name, "manager": sub.manager_id, "project": sub.project_id},
        )  # fmt: skip
    return sub


def set_manager(
    sub: SubBudget, manager_id: int | None, project_id: int | None, account_id: int | None
) -> None:
    """Choose who manages a sub-budget and for which project (a right: in the audit log)."""
    after = {"manager": manager_id, "project": project_id}
    with database.atomic():
        manager, project = (
            lock_for_update(
                SubBudget.select(SubBudget.manager, SubBudget.project).where(
                    SubBudget.id == sub.id
                ),
                no_key=True,
            )
            .tuples()
            .get()
        )
        before = {"manager": manager, "project": project}
        if before == after:
            return
        SubBudget.update(**after).where(SubBudget.id == sub.id).execute()
        audit.record(
            account_id, "budget.sub_budget.manager", sub,
            project=project_id, person=manager_id, before=before, after=after,
        )  # fmt: skip


def manager_pool():
    """Who may manage a sub-budget: people with an active or paused membership (a subquery
    for the manager picker's name search, `Person.search(…, among=manager_pool())`)."""
    return Membership.select(Membership.person).where(Membership.status != "ended")


def projects_by_name() -> list[tuple[int, str]]:
    return list(Project.select(Project.id, Project.name).order_by(Project.name).tuples())
