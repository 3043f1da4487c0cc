"""Every area's routes; the app serves `all_routes()` and the access test walks them."""


def all_routes() -> list:
    """The routes of every area, each declared with its access rule."""
    from webapp.routes import core, meetings, projects

    return [*core.routes, *projects.routes, *meetings.routes]
