"""Everything Tafel holds about one person, for "Mijn gegevens downloaden".

The accounts area gathers the person, memberships, account and audit lines; `extra_sections`
adds each other area's part. Every part holds data about that person only: never another
person's name or answers.
"""

from models.budget import Claim
from models.growth import Conversation, StepChange, VacancyInterest
from models.people import Membership


def steps(person_id: int) -> list[dict]:
    """The person's steps over time (who recorded them is left out: that is someone else)."""
    query = (
        StepChange.select(StepChange, Membership)
        .join(Membership)
        .where(Membership.person == person_id)
        .order_by(StepChange.on, StepChange.id)
    )
    return [
        {
            "project_id": change.membership.project_id,
            "kind": change.kind,
            "on": change.on,
            "from_step_id": change.from_step_id,
            "to_step_id": change.to_step_id,
            "from_layer": change.from_layer,
            "to_layer": change.to_layer,
            "from_status": change.from_status,
            "to_status": change.to_status,
            "note": change.note,
        }
        for change in query
    ]


def conversations(person_id: int) -> list[dict]:
    """Development conversations about the person."""
    query = Conversation.select().where(Conversation.person == person_id).order_by(Conversation.on)
    return [{"on": c.on, "notes": c.notes} for c in query]


def vacancy_interest(person_id: int) -> list[dict]:
    """Vacancies the person showed interest in."""
    query = VacancyInterest.select().where(VacancyInterest.person == person_id)
    return [{"vacancy_id": i.vacancy_id, "at": i.created_at} for i in query]


def claims(person_id: int) -> list[dict]:
    """The person's claims for costs."""
    query = Claim.select().where(Claim.claimant == person_id).order_by(Claim.created_at)
    return [
        {
            "kind": c.kind,
            "km": c.km,
            "amount_cents": c.amount_cents,
            "spent_on": c.spent_on,
            "description": c.description,
            "status": c.status,
            "reason": c.reason,
            "submitted_at": c.created_at,
            "paid_at": c.paid_at,
        }
        for c in query
    ]


SECTIONS = {
    "steps": steps,
    "development_conversations": conversations,
    "vacancy_interest": vacancy_interest,
    "claims": claims,
}


def extra_sections(person_id: int) -> dict:
    """The parts of the other areas."""
    return {name: gather(person_id) for name, gather in SECTIONS.items()}
