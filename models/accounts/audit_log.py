"""The audit log page's lines: filtered, a page at a time, never showing a secret."""

import datetime as dt

from models.audit import SECRET_KEYS, AuditEntry
from models.organisation import Project
from models.person import Person

PAGE_SIZE = 50

# Keys in before/after whose value is a person's id: the page shows the name instead.
PERSON_KEYS = frozenset({"chair", "chair_duo", "minute_taker", "duo_partner", "owner", "manager"})
# Keys whose value is a project's id.
PROJECT_KEYS = frozenset({"project"})


def audit_lines(
    rights: frozenset,
    coordinates,
    *,
    person_id: int | None = None,
    project_id: int | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    page: int = 1,
) -> tuple[list[dict], bool]:
    """One page of the lines someone with these rights may see, newest first, and whether
    there are more. Each line is {"entry", "before", "after", "names"}: "names" holds
    {("person"|"project", id): name} for every id in the values, all loaded in one query
    each for the whole page. Client-background answers show only with the privacy right."""
    query = AuditEntry.visible_to(rights, coordinates)
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
    rows = list(
        query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .offset((page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE + 1)
    )
    privacy = "privacy" in rights
    lines = [
        {
            "entry": e,
            "before": _shown(e.values("before", privacy)),
            "after": _shown(e.values("after", privacy)),
        }
        for e in rows[:PAGE_SIZE]
    ]
    names = _names(lines)
    for line in lines:
        line["names"] = names
    return lines, len(rows) > PAGE_SIZE


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


def filter_choices() -> tuple[list, list]:
    """The people (by name, erased ones left out) and the projects to filter on."""
    people = list(
        Person.select(Person.id, Person.display_name)
        .where(Person.display_name.is_null(False))
        .order_by(Person.display_name)
    )
    projects = list(Project.select(Project.id, Project.name).order_by(Project.name))
    return people, projects
