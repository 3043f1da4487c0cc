"""Everything Tafel holds about one person, for "Mijn gegevens downloaden".

The accounts area gathers the person, memberships, account and audit lines. Other areas add
their own part with `register("claims", function)`, where `function(person_id)` returns
JSON-ready data about that person only (never another person's name or answers).
"""

from collections.abc import Callable

SECTIONS: dict[str, Callable[[int], object]] = {}


def register(name: str, gather: Callable[[int], object]) -> None:
    """Add an area's part of the download (call at import time of the area's module)."""
    SECTIONS[name] = gather


def extra_sections(person_id: int) -> dict:
    """The parts other areas registered."""
    return {name: gather(person_id) for name, gather in sorted(SECTIONS.items())}
