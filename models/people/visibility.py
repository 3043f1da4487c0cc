"""Who may see whom (PRODUCT.md "Privacy"): nothing about a person is hidden from their
coordinators (what coordinators write, the person reads), and an individual client-background
answer is seen only by the person and by holders of the privacy right.

Who asks is a `models.actor.Actor`, read through its typed fields only.
"""

from peewee import fn

from models.actor import Actor
from models.people.tables import Membership, Person


def coordinates_person(actor: Actor, person_id: int) -> bool:
    """Coordinates the organisation, or a project the person is or was in."""
    if actor.is_org_coordinator:
        return True
    if not actor.coordinates:
        return False
    return Membership.in_any_of(person_id, actor.coordinates)


def may_see_person(actor: Actor, person_id: int) -> bool:
    """The person themselves, their coordinators and administrators see a person's page."""
    return actor.person_id == person_id or actor.is_admin or coordinates_person(actor, person_id)


def may_write_about(actor: Actor, person_id: int) -> bool:
    """A coordinator of someone else records their conversations and (with consent) their
    client background."""
    return actor.person_id != person_id and coordinates_person(actor, person_id)


def _shared_with(actor: Actor):
    """People who chose "also the coordinators of my projects" and are now in a project the
    actor coordinates (a query of person ids).

    Asked per sharing person (EXISTS, along the membership's (person, project) index), not as
    `id IN (every current membership)`: that built a list of all 32,000 memberships on each
    page with the 51% banner (7 ms of the project page at federation scale, issue 13)."""
    in_projects = Membership.select(Membership.id).where(
        (Membership.person == Person.id) & (Membership.status != "ended")
    )
    if not actor.is_org_coordinator:
        in_projects = in_projects.where(Membership.project.in_(list(actor.coordinates)))
    return Person.select(Person.id).where(
        (Person.share_background == True) & fn.EXISTS(in_projects)  # noqa: E712
    )


def knows_own_answer(actor: Actor) -> bool:
    """Whether the actor is shown their own answer: not while their account is held, that
    is opened through a link made by someone without the privacy right, until they give
    their answer again (models/accounts/links.py; `Actor.background_held`)."""
    return not actor.background_held


def sees_background(actor: Actor, person: Person) -> bool:
    """Health data: the person, holders of the privacy right, and the coordinators of the
    person's projects when the person chose to share their answer with them."""
    if actor.has_privacy_right:
        return True
    if actor.person_id == person.id:
        return knows_own_answer(actor)
    if not person.share_background or not actor.is_any_coordinator:
        return False
    return _shared_with(actor).where(Person.id == person.id).exists()


def answers_known_to(actor: Actor) -> list[int] | None:
    """Whose client-background answers an actor may count in a what-if or a banner: None
    (everyone's) for holders of the privacy right; else the actor's own answer and the
    answers shared with them (PRODUCT.md: nothing an actor without the privacy right sees
    before confirming a change may depend on an answer not shared with them).

    A list, taken before any change is simulated: adding someone to a project does not
    share their answer with that project's coordinators before it is saved."""
    if actor.has_privacy_right:
        return None
    known = [] if actor.person_id is None or not knows_own_answer(actor) else [actor.person_id]
    if actor.is_any_coordinator:
        known += [p.id for p in _shared_with(actor) if p.id != actor.person_id]
    return known
