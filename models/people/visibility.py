"""Who may see whom (PRODUCT.md "Privacy"): nothing about a person is hidden from their
coordinators (what coordinators write, the person reads), and an individual client-background
answer is seen only by the person and by holders of the privacy right.

Who asks is a `models.actor.Actor`, read through its typed fields only.

Issue 19, finding M1 (docs/rules.md "Coordinators of a person are current ones"): a person's
coordinators are those of a project the person is in now; and "also the coordinators of my
projects" means those the person chose: who coordinated a project the person was in at the
moment they said yes (`Person.background_shared_at`; NULL: a choice kept from before that
moment was recorded, as the demo's).
"""

import datetime as dt

from peewee import Tuple, fn

from models.accounts.tables import Grant
from models.actor import Actor
from models.clock import now
from models.people.tables import Membership, Person, StepChange
from models.sql_once import Shaped, Slot, in_size, in_slots, in_values

# The removal flow only: someone in no project any more may still be removed by a
# coordinator of a project they left this many days ago at most.
LEFT_WITHIN_DAYS = 30


def coordinates_person(actor: Actor, person_id: int, *, for_removal: bool = False) -> bool:
    """Coordinates the organisation, or a project the person is in now (active or paused).
    `for_removal`: also a project the person left within LEFT_WITHIN_DAYS, when they are in
    no project any more."""
    if actor.is_org_coordinator:
        return True
    if not actor.coordinates:
        return False
    mine = Membership.project.in_(list(actor.coordinates))
    current = Membership.select(Membership.id).where(
        (Membership.person == person_id) & (Membership.status != "ended")
    )
    if current.where(mine).exists():
        return True
    if not for_removal or current.exists():
        return False
    ended = StepChange.select(StepChange.id).where(
        (StepChange.membership == Membership.id) & (StepChange.kind == "end")
    )
    lately = ended.where(StepChange.created_at >= now() - dt.timedelta(days=LEFT_WITHIN_DAYS))
    # An end the history does not hold (data from before it was kept) counts as lately.
    left = Membership.select(Membership.id).where(
        (Membership.person == person_id)
        & mine
        & (Membership.status == "ended")
        & (fn.EXISTS(lately) | ~fn.EXISTS(ended))
    )
    return left.exists()


def may_see_person(actor: Actor, person_id: int) -> bool:
    """The person themselves, their coordinators and administrators see a person's page;
    for someone in no project any more, also a coordinator of a project they left lately
    (the page is where their removal starts: `coordinates_person(..., for_removal=True)`)."""
    return (
        actor.person_id == person_id
        or actor.is_admin
        or coordinates_person(actor, person_id, for_removal=True)
    )


def may_write_about(actor: Actor, person_id: int) -> bool:
    """A coordinator of someone else records their conversations and (with consent) their
    client background."""
    return actor.person_id != person_id and coordinates_person(actor, person_id)


def _joining():
    """The condition "this step change put the person in the project": its start, or a return
    from an ended membership (taking someone back is joining again, not a choice they made)."""
    return (StepChange.kind == "start") | (
        (StepChange.kind == "return") & (StepChange.from_status == "ended")
    )


def _joined_after_choice(membership):
    """The condition "this membership started after the person chose to share" (its start,
    or its return from ended, was recorded later than `Person.background_shared_at`)."""
    started = StepChange.select(StepChange.id).where(
        (StepChange.membership == membership.id)
        & _joining()
        & (StepChange.created_at > Person.background_shared_at)
    )
    return fn.EXISTS(started)


def _shared_with(actor: Actor):
    """People who chose "also the coordinators of my projects", are now in a project the
    actor coordinates, and chose the actor: the actor held that coordination (or the
    organisation's) and the person was in that project when they said yes (a query of
    person ids).

    Asked per sharing person (EXISTS, along the membership's (person, project) index), not as
    `id IN (every current membership)`: that built a list of all 32,000 memberships on each
    page with the 51% banner (7 ms of the project page at federation scale, issue 13)."""
    projects = None if actor.is_org_coordinator else list(actor.coordinates)
    return _sharing(actor.account_id, projects)


def _sharing(account, projects):
    """The query of `_shared_with`: `account` the actor's account id, `projects` the ids of
    the projects they coordinate (None: the organisation's coordinator); values or slots."""
    m = Membership.alias()
    kept = Person.background_shared_at.is_null()  # a choice from before its moment was kept
    in_projects = m.select(m.id).where(
        (m.person == Person.id) & (m.status != "ended") & (kept | ~_joined_after_choice(m))
    )
    held_then = Grant.select(Grant.id).where(
        (Grant.account == account)
        & (Grant.right == "coordinator")
        & (Grant.granted_at <= Person.background_shared_at)
    )
    sharing = (Person.share_background == True) & fn.EXISTS(in_projects)  # noqa: E712
    if projects is None:
        sharing &= kept | fn.EXISTS(held_then.where(Grant.project.is_null()))
    else:
        coordinated = Tuple(*projects) if projects and isinstance(projects[0], Slot) else projects
        in_projects = in_projects.where(
            m.project.in_(coordinated)
            & (kept | fn.EXISTS(held_then.where(Grant.project == m.project)))
        )
        sharing = (Person.share_background == True) & fn.EXISTS(in_projects)  # noqa: E712
    return Person.select(Person.id).where(sharing)


# The ids of `_shared_with`, read by the 51% banner of every page that shows it: its SQL built
# once per shape (models/sql_once.py): the organisation's coordinator, or a coordinator of
# up to 1, 2, 4, … projects.
_SHARING = Shaped(
    lambda projects: _sharing(
        Slot("account"), None if projects is None else in_slots("project", projects)
    ).tuples()
)


def _shared_ids(actor: Actor) -> list[int]:
    """The ids `_shared_with` gives (one query, its SQL built once per shape)."""
    if actor.is_org_coordinator:
        return [row[0] for row in _SHARING(projects=None).rows(account=actor.account_id)]
    projects = sorted(actor.coordinates)
    if not projects:
        return []
    size = in_size(len(projects))
    values = in_values("project", projects, size)
    return [row[0] for row in _SHARING(projects=size).rows(account=actor.account_id, **values)]


def unchosen_coordinators(person: Person) -> bool:
    """Whether some coordinators of the person's current projects are not among those the
    person chose to share their answer with (they came later: a new coordinator, or a
    project joined later), so the person can be told and say yes again (one query; none
    when the person does not share)."""
    if not person.share_background or person.background_shared_at is None:
        return False
    current = (Membership.person == person.id) & (Membership.status != "ended")
    later_grant = Grant.select(Grant.id).where(
        (Grant.right == "coordinator")
        & (Grant.project == Membership.project)
        & (Grant.granted_at > person.background_shared_at)
    )
    coordinated = Grant.select(Grant.id).where(
        (Grant.right == "coordinator") & (Grant.project == Membership.project)
    )
    started_later = StepChange.select(StepChange.id).where(
        (StepChange.membership == Membership.id)
        & _joining()
        & (StepChange.created_at > person.background_shared_at)
    )
    return (
        Membership.select(Membership.id)
        .where(
            current & (fn.EXISTS(later_grant) | (fn.EXISTS(started_later) & fn.EXISTS(coordinated)))
        )
        .exists()
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
        known += [pid for pid in _shared_ids(actor) if pid != actor.person_id]
    return known
