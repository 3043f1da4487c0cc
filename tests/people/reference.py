"""The 51% report computed the obvious way, in Python: the reference the SQL report
(models/people/representation.py) is tested against. Test-only (issue 20: test helpers
live in tests/)."""

from collections.abc import Iterable
from typing import NamedTuple

from models.rules.representation import (
    BACKGROUNDS,
    LAYERS,
    ORGANISATION,
    ROLE_CATEGORIES,
    STATUSES,
    GroupResult,
    report_order,
)


class Seat(NamedTuple):
    """One membership as the reference report needs it; plain 6-tuples work too."""

    person_id: int
    project: str
    layer: str
    category: str
    status: str
    background: str


def brute_force_report(memberships: Iterable[tuple]) -> list[GroupResult]:
    """The 51% report computed the obvious way; the reference for the SQL version.

    Each membership is a ``Seat`` or a plain tuple in the same order. Only active
    memberships count. At organisation level a person counts once per group (PRODUCT.md);
    within a project a person also counts once per group. A person's background must be
    the same on all their memberships. Empty groups are left out.
    """
    background_of: dict[object, str] = {}
    # (scope, dimension, group) -> set of person ids
    members: dict[tuple[str, str, str], set] = {}
    for person_id, project, layer, category, status, background in memberships:
        if layer not in LAYERS:
            raise ValueError(f"Unknown layer {layer!r}.")
        if category not in ROLE_CATEGORIES:
            raise ValueError(f"Unknown role category {category!r}.")
        if status not in STATUSES:
            raise ValueError(f"Unknown status {status!r}.")
        if background not in BACKGROUNDS:
            raise ValueError(f"Unknown client background {background!r}.")
        if background_of.setdefault(person_id, background) != background:
            raise ValueError(f"Person {person_id!r} has two different client backgrounds.")
        if status != "active":
            continue
        for scope in (ORGANISATION, project):
            members.setdefault((scope, "layer", layer), set()).add(person_id)
            members.setdefault((scope, "role", category), set()).add(person_id)

    results = []
    for key in sorted(members, key=lambda k: report_order(*k)):
        people = members[key]
        results.append(
            GroupResult(
                *key,
                people=len(people),
                yes=sum(1 for p in people if background_of[p] == "yes"),
                not_said=sum(1 for p in people if background_of[p] == "not_said"),
            )
        )
    return results
