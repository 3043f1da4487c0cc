"""Every area's routes; the app serves `all_routes()` and the access test walks them."""


def all_routes() -> list:
    """The routes of every area, each declared with its access rule."""
    from webapp.routes import (
        accounts,
        budget,
        core,
        meetings,
        people,
        projects,
        representation,
        vacancies,
    )

    return [
        *core.routes,
        *projects.routes,
        *accounts.routes,
        *representation.routes,
        *people.routes,
        *vacancies.routes,
        *budget.routes,
        *meetings.routes,
    ]
