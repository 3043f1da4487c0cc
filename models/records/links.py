"""Whom a coordinator may make an invite or new-password link for, and handing it out: the
people of their projects (models.people), so it sits above the accounts area
(models/accounts/links.py makes and uses the link itself)."""

from peewee import JOIN, fn

from models.accounts import audit
from models.accounts.links import make_link
from models.accounts.tables import AccessLink, Account, Grant
from models.budget.tables import SubBudget
from models.clock import today
from models.db import database
from models.meetings.tables import Meeting
from models.people import Membership
from models.person import SEARCH_LIMIT, Person
from models.rules.errors import RuleError
from models.words import Text

NOT_INVITABLE = Text("Search for a name and choose one of the names.")


def hand_out_link(actor, person_id: int | None) -> tuple[AccessLink, str]:
    """A coordinator's new link for the person, in the audit log; refuses (RuleError) a
    person the actor may not make a link for (`invitable_people`), checked in the same
    transaction that makes the link. A new-password link for someone who holds a power
    (`holds_power`) works only once a second administrator approved it (issue 19:
    models/accounts/links.py `approve_link`)."""
    with database.atomic():
        found = invitable_people(actor, person_id=person_id) if person_id else []
        if not found:
            raise RuleError(NOT_INVITABLE)
        person = found[0]
        link, token = make_link(
            person, created_by=actor.account_id, needs_approval=holds_power(person.id)
        )
        audit.record(
            actor.account_id,
            f"link.{link.kind}",
            link,
            person=person.id,
            after={
                "kind": link.kind,
                "expires_at": link.expires_at,
                "needs_approval": link.needs_approval,
            },
        )
    return link, token


def invitable_people(actor, *, search: str = "", person_id: int | None = None) -> list[Person]:
    """People the actor (models.actor.Actor) may make links for,
    each with `has_account`: those whose name holds `search` (at most SEARCH_LIMIT, none
    for an empty search), or the one with `person_id` (issue 13: no list of everyone).

    Organisation coordinators and administrators: everyone; project coordinators: the people
    in their projects now (active or paused; an ended membership does not count). Accounts
    with rights: administrators only."""
    if person_id is None and not search.strip():
        return []
    query = (
        Person.select(Person, fn.COUNT(Account.id).alias("has_account"))
        .join(Account, JOIN.LEFT_OUTER, on=(Account.person == Person.id))
        .where(Person.display_name.is_null(False))
        .group_by(Person.id)
        .order_by(Person.display_name)
    )
    rights, coordinates = actor.rights, actor.coordinates
    if "admin" not in rights:
        # A new-password link takes over an account: for accounts holding a right (admin,
        # coordinator, treasurer, privacy) only an administrator may make one.
        with_rights = Account.select(Account.person).join(Grant, on=(Grant.account == Account.id))
        query = query.where(Person.id.not_in(with_rights))
    if not rights & {"admin", "org_coordinator"}:
        # Only people in their projects now (issue 19, M1): adding someone and ending it at
        # once does not make them yours to make a link for.
        in_my_projects = Membership.select(Membership.person).where(
            Membership.project.in_(list(coordinates) or [0]) & (Membership.status != "ended")
        )
        query = query.where(Person.id.in_(in_my_projects))
    if person_id is not None:
        return list(query.where(Person.id == person_id))
    return list(query.where(Person.name_matches(search)).limit(SEARCH_LIMIT))


def holds_power(person_id: int) -> bool:
    """Whether taking over the person's account would give a power (issue 19): a right, or
    managing a sub-budget, or chairing (also as duo) or taking the minutes of a meeting not
    held yet. One query."""
    grants = Grant.select(Grant.id).join(Account).where(Account.person == person_id)
    manages = SubBudget.select(SubBudget.id).where(SubBudget.manager == person_id)
    named = Meeting.select(Meeting.id).where(
        (Meeting.state == "planned")
        & (Meeting.date >= today())
        & (
            (Meeting.chair == person_id)
            | (Meeting.chair_duo == person_id)
            | (Meeting.minute_taker == person_id)
        )
    )
    found = (
        Person.select(
            fn.EXISTS(grants).alias("grants"),
            fn.EXISTS(manages).alias("manages"),
            fn.EXISTS(named).alias("named"),
        )
        .where(Person.id == person_id)
        .tuples()
        .first()
    )
    return bool(found and any(found))
