"""Tafel's areas, each a package under webapp/ (and models/): the order here is the order
their routes are matched in and their commands are listed in."""

import importlib

AREAS = ("core", "accounts", "people", "budget", "meetings", "news")


def area_modules(name: str = "") -> list:
    """Each area's package, or its module `name` (e.g. "commands"), in AREAS order."""
    suffix = f".{name}" if name else ""
    return [importlib.import_module(f"webapp.{area}{suffix}") for area in AREAS]


def all_routes() -> list:
    """The routes of every area, each declared with its access rule."""
    return [route for area in area_modules() for route in area.routes]
