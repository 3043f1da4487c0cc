"""Who may see whom (PRODUCT.md "Privacy"): nothing about a person is hidden from their
coordinators (what coordinators write, the person reads), and an individual client-background
answer is seen only by the person and by holders of the privacy right.

A viewer is anything with `person_id`, `is_admin`, `is_org_coordinator`, `coordinates` (the
ids of the projects they coordinate) and `has_privacy_right` (webapp.access.Viewer).
"""

from models.people.tables import Membership


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


def sees_background(viewer, person_id: int) -> bool:
    """Health data: only the person and holders of the privacy right see the answer."""
    return viewer.person_id == person_id or viewer.has_privacy_right
