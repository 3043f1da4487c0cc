"""Who may see whom (PRODUCT.md "Privacy"): nothing about a person is hidden from their
coordinators (what coordinators write, the person reads), and an individual client-background
answer is seen only by the person and by holders of the privacy right.

A viewer is anything with `person_id`, `is_admin`, `is_org_coordinator`, `coordinates` (the
ids of the projects they coordinate) and `has_privacy_right` (webapp.access.Viewer).
"""

from peewee import fn

from models.people.tables import Membership, Person


def coordinates_person(viewer, person_id: int) -> bool:
    """Coordinates the organisation, or a project the person is or was in."""
    if viewer.is_org_coordinator:
        return True
    if not viewer.coordinates:
        return False
    return Membership.in_any_of(person_id, viewer.coordinates)


def may_see_person(viewer, person_id: int) -> bool:
    """The person themselves, their coordinators and administrators see a person's page."""
    return viewer.person_id == person_id or viewer.is_admin or coordinates_person(viewer, person_id)


def may_write_about(viewer, person_id: int) -> bool:
    """A coordinator of someone else records their conversations and (with consent) their
    client background."""
    return viewer.person_id != person_id and coordinates_person(viewer, person_id)


def _current_projects():
    """The (person, project) pairs of memberships that have not ended: "my projects"."""
    return Membership.select(Membership.person).where(Membership.status != "ended")


def _shared_with(viewer):
    """People who chose "also the coordinators of my projects" and are now in a project the
    viewer coordinates (a query of person ids).

    Asked per sharing person (EXISTS, along the membership's (person, project) index), not as
    `id IN (every current membership)`: that built a list of all 32,000 memberships on each
    page with the 51% banner (7 ms of the project page at federation scale, issue 13)."""
    in_projects = Membership.select(Membership.id).where(
        (Membership.person == Person.id) & (Membership.status != "ended")
    )
    if not viewer.is_org_coordinator:
        in_projects = in_projects.where(Membership.project.in_(list(viewer.coordinates)))
    return Person.select(Person.id).where(
        (Person.share_background == True) & fn.EXISTS(in_projects)  # noqa: E712
    )


def knows_own_answer(viewer) -> bool:
    """Whether the viewer is shown their own answer: not while their account is held, that
    is opened through a link made by someone without the privacy right, until they give
    their answer again (models/accounts/links.py; `Actor.background_held`)."""
    return not getattr(viewer, "background_held", False)


def sees_background(viewer, person: Person) -> bool:
    """Health data: the person, holders of the privacy right, and the coordinators of the
    person's projects when the person chose to share their answer with them."""
    if viewer.has_privacy_right:
        return True
    if viewer.person_id == person.id:
        return knows_own_answer(viewer)
    if not person.share_background or not viewer.is_any_coordinator:
        return False
    return _shared_with(viewer).where(Person.id == person.id).exists()


def answers_known_to(viewer) -> list[int] | None:
    """Whose client-background answers a viewer may count in a what-if or a banner: None
    (everyone's) for holders of the privacy right; else the viewer's own answer and the
    answers shared with them (PRODUCT.md: nothing a viewer without the privacy right sees
    before confirming a change may depend on an answer not shared with them).

    A list, taken before any change is simulated: adding someone to a project does not
    share their answer with that project's coordinators before it is saved."""
    if viewer.has_privacy_right:
        return None
    known = [] if viewer.person_id is None or not knows_own_answer(viewer) else [viewer.person_id]
    if viewer.is_any_coordinator:
        known += [p.id for p in _shared_with(viewer) if p.id != viewer.person_id]
    return known
