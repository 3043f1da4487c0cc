"""The audit log page's lines: filtered, a page at a time, never showing a secret."""

import datetime as dt

from models.accounts.audit import SECRET_KEYS, AuditEntry
from models.organisation import Project
from models.paging import Page, keyset_page
from models.people.tables import Membership
from models.person import Person

# Keys in before/after whose value is a person's id: the page shows the name instead.
PERSON_KEYS = frozenset({"chair", "chair_duo", "minute_taker", "duo_partner", "owner", "manager"})
# Keys whose value is a project's id.
PROJECT_KEYS = frozenset({"project"})


def audit_lines(
    actor,
    *,
    person_id: int | None = None,
    project_id: int | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    after: int | None = None,
    before: int | None = None,
) -> Page:
    """One page of the lines the actor (models.actor.Actor) may see, newest first (by keyset: the
    page after or before the line with that id; models/paging.py). Each line is {"entry",
    "before", "after", "names"}: "names" holds {("person"|"project", id): name} for every
    id in the values, all loaded in one query each for the whole page. Client-background
    answers show only with the privacy right."""
    query = AuditEntry.visible_to(actor.rights, actor.coordinates)
    if person_id:
        query = query.where(AuditEntry.person == person_id)
    if project_id:
        query = query.where(AuditEntry.project == project_id)
    if since:
        query = query.where(AuditEntry.at >= dt.datetime.combine(since, dt.time()))
    if until:
        query = query.where(
            AuditEntry.at < dt.datetime.combine(until + dt.timedelta(days=1), dt.time())
        )
    page = keyset_page(query, lambda e: [e.at, e.id], AuditEntry, after=after, before=before)
    privacy = "privacy" in actor.rights
    lines = [
        {
            "entry": e,
            "before": _shown(e.values("before", privacy)),
            "after": _shown(e.values("after", privacy)),
        }
        for e in page.rows
    ]
    names = _names(lines)
    for line in lines:
        line["names"] = names
    page.rows = lines
    return page


def _ids(lines: list[dict], keys: frozenset) -> set[int]:
    return {
        value
        for line in lines
        for values in (line["before"], line["after"])
        for key, value in values.items()
        if key in keys and isinstance(value, int) and not isinstance(value, bool)
    }


def _names(lines: list[dict]) -> dict:
    """The names of the people and projects the page's values point at: always one query
    for people and one for projects, however many lines (no query per line)."""
    people = Person.select(Person.id, Person.display_name).where(
        Person.id.in_(sorted(_ids(lines, PERSON_KEYS)))
    )
    projects = Project.select(Project.id, Project.name).where(
        Project.id.in_(sorted(_ids(lines, PROJECT_KEYS)))
    )
    names = {("person", p.id): p.shown_name for p in people}
    names.update({("project", p.id): p.name for p in projects})
    return names


def _shown(values: dict) -> dict:
    """Values as shown: never a secret, even when an old line holds one."""
    return {k: v for k, v in values.items() if k not in SECRET_KEYS}


def projects_to_filter() -> list:
    """The projects to filter on (a few hundred at most: a choice list), as (id, name) rows:
    a model object per project was a seventh of /audit's CPU."""
    return list(Project.select(Project.id, Project.name).order_by(Project.name).namedtuples())


def people_in_view(actor):
    """Whom someone may find to filter on: everyone for administrators and organisation
    coordinators, else the people of the projects they coordinate (a subquery, or None for
    everyone)."""
    if actor.rights & {"admin", "org_coordinator"}:
        return None
    return Membership.select(Membership.person).where(
        Membership.project.in_(list(actor.coordinates) or [0])
    )


def person_filter(actor, person_id: int | None, search: str) -> dict:
    """The person filter: the chosen person (id and name, when they may be found) and, for a
    typed name, the people who match (names only, models.person.Person.search)."""
    among = people_in_view(actor)
    chosen = None
    if person_id:
        chosen = Person.select(Person.id, Person.display_name).where(Person.id == person_id)
        if among is not None:
            chosen = chosen.where(Person.id.in_(among))
        chosen = chosen.first()
    return {"chosen": chosen, "matches": Person.search(search, among=among)}
