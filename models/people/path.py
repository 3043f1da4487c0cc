"""A person's path ("Mijn pad", PRODUCT.md "Role growth"): memberships and steps over time,
goals, and development conversations the person can read."""

from models.accounts import audit
from models.accounts.links import release_background
from models.actor import Actor
from models.clock import today
from models.db import database
from models.people.background import set_background
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


def give_own_answer(actor: Actor, answer: str) -> Person:
    """ "Mijn pad": the person declares, changes or withdraws their own client background, in
    one unit of work: the answer with today as its consent date, its audit line, and the
    account shows the answer again from now on (an account opened through someone else's
    link held it back, models/accounts/links.py)."""
    with database.atomic():
        person = Person.get_or_none(Person.id == actor.person_id)
        if person is None:
            raise LookupError("The account has no person.")
        set_background(
            person,
            answer,
            today(),
            recorded_by=actor.person_id,
            actor=actor.account_id,
            action="person.background",
        )
        release_background(actor.account_id)
        if person.held_note_on is not None:
            person.held_note_on = None  # a later hold tells them again
            person.save(only=[Person.held_note_on])
    return person


def held_note_shown(person: Person) -> bool:
    """Whether to show the note "your earlier answer is held back" now: once per hold (issue
    22). The first time, its day is written (one UPDATE), so the next visit of Mijn pad shows
    the answer form without the note."""
    if person.held_note_on is not None:
        return False
    with database.atomic():
        Person.update(held_note_on=today()).where(Person.id == person.id).execute()
    return True
