"""The audit log page's lines: filtered, a page at a time, never showing a secret."""

import datetime as dt

from models.accounts.audit import SECRET_KEYS, AuditEntry
from models.organisation import Project
from models.paging import KeysetOnce, Page
from models.people.tables import Membership
from models.person import FORMER_MEMBER, Person
from models.rows import driver_rows
from models.sql_once import Prepared, Shaped, Slot, in_size, in_slots, in_values

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
    every_project = bool(actor.rights & {"admin", "org_coordinator"})
    coordinates = [] if every_project else sorted(actor.coordinates)
    size = in_size(len(coordinates)) if coordinates else 0
    shape = {
        "all": every_project,
        "projects": size,
        "privacy": "privacy" in actor.rights,
        "treasurer": "treasurer" in actor.rights,
        "person": bool(person_id),
        "project": bool(project_id),
        "since": bool(since),
        "until": bool(until),
    }
    at = AuditEntry.at.db_value  # a slot's value goes to the driver as it is
    values = in_values("coordinates", coordinates, size) if coordinates else {}
    page = _LINES.page(
        shape=shape,
        person=person_id,
        project=project_id,
        since=at(dt.datetime.combine(since, dt.time())) if since else None,
        until=at(dt.datetime.combine(until + dt.timedelta(days=1), dt.time())) if until else None,
        after=after,
        before=before,
        **values,
    )
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


def _lines(all, projects, privacy, treasurer, person, project, since, until):
    """The lines of `audit_lines`' shape, a Slot for each value (models/sql_once.py)."""
    rights = {"org_coordinator"} if all else set()
    rights |= {"privacy"} if privacy else set()
    rights |= {"treasurer"} if treasurer else set()
    query = AuditEntry.visible_to(frozenset(rights), in_slots("coordinates", projects))
    if person:
        query = query.where(AuditEntry.person == Slot("person"))
    if project:
        query = query.where(AuditEntry.project == Slot("project"))
    if since:
        query = query.where(AuditEntry.at >= Slot("since"))
    if until:
        query = query.where(AuditEntry.at < Slot("until"))
    return query


# The page's SQL built once per shape: building it (four joins and the cursor's subquery)
# was a fifth of /audit's CPU.
_LINES = KeysetOnce(_lines, lambda e: [e.at, e.id], AuditEntry)


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
    for people and one for projects, however many lines (no query per line); their SQL
    built once per number of ids (rounded up, models/sql_once.py)."""
    names = {}
    for kind, keys, family in (
        ("person", PERSON_KEYS, _PEOPLE),
        ("project", PROJECT_KEYS, _PROJECT_NAMES),
    ):
        ids = sorted(_ids(lines, keys))
        size = in_size(len(ids)) if ids else 0
        rows = driver_rows(family(ids=size), **(in_values("id", ids, size) if ids else {}))
        names.update({(kind, i): name for i, name in rows})
    return {
        key: (name or FORMER_MEMBER) if key[0] == "person" else name for key, name in names.items()
    }


def _names_of(model, name, ids: int):
    """(id, name) of the `ids` rows in the slots "id0", … (none: an empty IN list)."""
    return model.select(model.id, name).where(model.id.in_(in_slots("id", ids) if ids else []))


_PEOPLE = Shaped(lambda ids: _names_of(Person, Person.display_name, ids))
_PROJECT_NAMES = Shaped(lambda ids: _names_of(Project, Project.name, ids))


def _shown(values: dict) -> dict:
    """Values as shown: never a secret, even when an old line holds one."""
    return {k: v for k, v in values.items() if k not in SECRET_KEYS}


def projects_to_filter() -> list[tuple[int, str]]:
    """The projects to filter on (a few hundred at most: a choice list), as (id, name) tuples
    straight from the driver (models/rows.py): a model object per project was a seventh of
    /audit's CPU, peewee's conversion of each row half of what was left."""
    return driver_rows(_PROJECTS)


_PROJECTS = Prepared(lambda: Project.select(Project.id, Project.name).order_by(Project.name))


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
