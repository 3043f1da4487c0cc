"""A person's path ("Mijn pad", PRODUCT.md "Role growth"): memberships and steps over time,
goals, and development conversations the person can read."""

from models.accounts import audit
from models.db import database
from models.people.growth import way_back
from models.people.tables import Conversation, Membership, StepChange
from models.person import Person


def path_of(person: Person) -> dict:
    """A person's memberships, changes over time (newest first), the changes that can be
    undone in one action, and conversations: four queries."""
    changes = list(StepChange.path_of(person.id))
    return {
        "memberships": Membership.of_person(person.id),
        "changes": changes,
        "way_back": way_back(changes),
        "conversations": Conversation.with_person(person.id),
    }


def goal_values(person: Person) -> dict:
    return {
        "dream": person.dream,
        "learn": person.learn,
        "wants_paid_work": person.wants_paid_work,
    }


def save_goals(person: Person, *, dream: str, learn: str, wants_paid_work: bool, actor) -> None:
    """Save a person's own goals: their dream, what they want to learn, paid work."""
    with database.atomic():
        before = goal_values(person)
        person.dream = dream.strip()
        person.learn = learn.strip()
        person.wants_paid_work = wants_paid_work
        person.save()
        audit.record(
            actor, "person.goals", person, person=person, before=before, after=goal_values(person)
        )


def record_conversation(person: Person, *, on, participants: str, notes: str, recorded_by, actor):
    """Write down a development conversation; the person can read it."""
    with database.atomic():
        conversation = Conversation.create(
            person=person,
            on=on,
            participants=participants.strip(),
            notes=notes.strip(),
            recorded_by=recorded_by,
        )
        audit.record(
            actor,
            "conversation.create",
            conversation,
            person=person,
            after={"on": conversation.on, "participants": conversation.participants},
        )
    return conversation
