"""The plan: posts and sub-budgets with their managers, and their planned amounts.

Co-decide (PRODUCT.md "Budget"): a planned amount changes only with a decision of a meeting
(applied at once), or when the treasurer proposes it and an organisation coordinator who did
not propose it approves. Both are written down as a PlannedChange and in the audit log.
"""

from __future__ import annotations

from models import audit
from models.budget.tables import BudgetYear, PlannedChange, Post, SubBudget
from models.clock import now
from models.db import database
from models.organisation import Project
from models.people import Membership


def may_approve(who, change: PlannedChange) -> bool:
    """An organisation coordinator who did not propose the change."""
    return who.is_org_coordinator and who.person_id != change.proposed_by_id


def apply_planned(
    post: Post, sub: SubBudget | None, cents: int, decision: str, *, proposed_by: int | None,
    account_id: int | None,
) -> PlannedChange | None:  # fmt: skip
    """Set a planned amount that a decision backs (call inside a transaction); None when it
    is already that amount."""
    target = sub or post
    if target.planned_cents == cents:
        return None
    change = PlannedChange.create(
        post=post,
        sub_budget=sub,
        old_cents=target.planned_cents,
        new_cents=cents,
        decision=decision,
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


def change_planned(
    post: Post, sub: SubBudget | None, cents: int, decision: str, *, person_id: int | None,
    account_id: int | None,
) -> PlannedChange:  # fmt: skip
    """With a meeting decision: applied now. Without: a proposal waiting for a coordinator."""
    target = sub or post
    with database.atomic():
        change = PlannedChange.create(
            post=post,
            sub_budget=sub,
            old_cents=target.planned_cents,
            new_cents=cents,
            decision=decision,
            proposed_by=person_id,
            status="applied" if decision else "proposed",
            applied_at=now() if decision else None,
        )
        if decision:
            type(target).update(planned_cents=cents).where(type(target).id == target.id).execute()
        audit.record(
            account_id,
            "budget.planned.change" if decision else "budget.planned.propose",
            change,
            before={"planned_cents": change.old_cents},
            after={"planned_cents": cents, "decision": decision},
        )
    return change


def approve_change(change: PlannedChange, person_id: int | None, account_id: int | None) -> bool:
    """A coordinator approves a proposed planned amount: it applies now. False when it is no
    longer a proposal."""
    model, target_id = (
        (SubBudget, change.sub_budget_id) if change.sub_budget_id else (Post, change.post_id)
    )
    with database.atomic():
        old = model.select(model.planned_cents).where(model.id == target_id).scalar()
        # The first approval wins: the change moves only while it is still a proposal.
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
            before={"planned_cents": old}, after={"planned_cents": change.new_cents},
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
    if SubBudget.name_taken(post, name):
        return None
    with database.atomic():
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
    before = {"manager": sub.manager_id, "project": sub.project_id}
    after = {"manager": manager_id, "project": project_id}
    if before == after:
        return
    with database.atomic():
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
