"""The organisation's ladder of role steps (PRODUCT.md "Organisation, projects, people"):
adding and changing a step, with the audit line."""

from models.accounts import audit
from models.db import database
from models.people.tables import RoleStep


def step_values(step: RoleStep) -> dict:
    return {
        "name": step.name,
        "position": step.position,
        "category": step.category,
        "description": step.description,
    }


def add_step(*, name: str, position: int, category: str, description: str, actor) -> RoleStep:
    """Add a step to the ladder."""
    with database.atomic():
        step = RoleStep.create(
            name=name, position=position, category=category, description=description.strip()
        )
        audit.record(actor, "ladder.add", step, after=step_values(step))
    return step


def change_step(
    step: RoleStep, *, name: str, position: int, category: str, description: str, actor
) -> None:
    """Change a step of the ladder."""
    with database.atomic():
        before = step_values(step)
        step.name = name
        step.position = position
        step.category = category
        step.description = description.strip()
        step.save()
        audit.record(actor, "ladder.update", step, before=before, after=step_values(step))
