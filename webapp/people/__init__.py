"""People and growth: the ladder, memberships, my path, the 51% check, vacancies."""

from webapp.people import (
    checks,
    ladder,
    members_import,
    memberships,
    overview,
    path,
    representation,
    vacancies,
)

# The order the routes were matched in before the area became a package.
routes = [
    *representation.routes,
    *path.routes,
    *memberships.routes,
    *overview.routes,
    *ladder.routes,
    *members_import.routes,
    *vacancies.routes,
    *checks.routes,
]
