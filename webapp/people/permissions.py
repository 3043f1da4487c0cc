"""Who may use the people area's pages: the access rules that find a person or a membership
in the URL. Each loads its object once and hands it to the handler as
`request.state.target`; who may see whom is decided in models.people.visibility."""

from starlette.requests import Request

from models.people import Membership, Person
from models.people.visibility import may_see_person, may_write_about
from webapp.access import Permission, project_coordinator, project_of, url_id

_membership_in_url = project_of(Membership, "membership_id")


def person_in_url(request: Request) -> int | None:
    """The person named by the URL's {person_id} (None when there is none), loaded once."""
    person = Person.get_or_none(Person.id == url_id(request, "person_id"))
    if person is None:
        return None
    request.state.target = person
    return person.id


def membership_owner(request: Request) -> tuple[int, int] | None:
    """(person id, project id) of the membership in the URL, which is loaded once."""
    if _membership_in_url(request) is None:
        return None
    membership = request.state.target
    return membership.person_id, membership.project_id


# The person themselves, their coordinators, administrators (nothing hidden about a person:
# what coordinators write, the person reads).
PERSON_VIEWER = Permission("the person or their coordinator", may_see_person, target=person_in_url)
PERSON_COORDINATOR = Permission(
    "a coordinator of the person", may_write_about, target=person_in_url
)
MEMBERSHIP_COORDINATOR = project_coordinator(_membership_in_url)
# The person chooses their own opt-ins; their coordinators may record them too.
MEMBERSHIP_SELF_OR_COORDINATOR = Permission(
    "the member or a coordinator of the project",
    lambda v, owner: v.person_id == owner[0] or v.is_coordinator(owner[1]),
    target=membership_owner,
)
