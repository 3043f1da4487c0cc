"""The rooms keep their walls: models never import webapp, and no modules import each other
in a circle, not even through an import inside a function (docs/ARCHITECTURE.md)."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("models", "webapp", "seeds")


def modules() -> dict[str, Path]:
    """Every module of Tafel's packages by dotted name (a package by its own name)."""
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join(parts)] = path
    return found


def imports_of(name: str, path: Path, known: dict) -> set[str]:
    """The Tafel modules a module imports, wherever the import statement stands."""
    is_package = path.name == "__init__.py"
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name in known)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                here = name.split(".") if is_package else name.split(".")[:-1]
                here = here[: len(here) - (node.level - 1)]
                base = ".".join(here + ([base] if base else []))
            for alias in node.names:
                if f"{base}.{alias.name}" in known:
                    found.add(f"{base}.{alias.name}")
                elif base in known:
                    found.add(base)
    found.discard(name)
    return found


def graph() -> dict[str, set[str]]:
    known = modules()
    return {name: imports_of(name, path, known) for name, path in known.items()}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan's algorithm)."""
    index, low, stack, on_stack, groups = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(edges.get(node, ())):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return groups


def test_models_never_import_webapp():
    wrong = {
        name: sorted(target for target in targets if target.split(".")[0] == "webapp")
        for name, targets in graph().items()
        if name.split(".")[0] == "models"
    }
    assert not {name: found for name, found in wrong.items() if found}


def test_no_modules_import_each_other_in_a_circle():
    assert cycles(graph()) == []


def test_the_cycle_finder_finds_a_circle_through_three_modules():
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(edges) == [["a", "b", "c"]]


def area_of(module: str) -> str:
    """The area a module of models/ belongs to: its package (models.people.growth → people),
    or the module itself for the shared plumbing beside the areas (models.db, models.person)."""
    return ".".join(module.split(".")[:2])


def area_graph() -> dict[str, set[str]]:
    """Which areas of models/ import which (an import inside one area is no edge)."""
    edges: dict[str, set[str]] = {}
    for name, targets in graph().items():
        if name.split(".")[0] != "models":
            continue
        here = area_of(name)
        edges.setdefault(here, set())
        edges[here].update(
            area_of(target)
            for target in targets
            if target.split(".")[0] == "models" and area_of(target) != here
        )
    return edges


def test_the_areas_of_models_form_layers_without_a_circle():
    """Areas may lean on the areas below them, never on each other in a circle: people ↔
    meetings through two modules that do not import each other is still a circle."""
    assert cycles(area_graph()) == []


def test_the_area_graph_sees_a_circle_between_packages():
    edges = {"models.people.growth": {"models.meetings.rota"}, "models.meetings.rota": set()}
    edges["models.meetings.agenda"] = {"models.people.tables"}
    collapsed: dict[str, set[str]] = {}
    for name, targets in edges.items():
        collapsed.setdefault(area_of(name), set()).update(
            area_of(t) for t in targets if area_of(t) != area_of(name)
        )
    assert cycles(collapsed) == [["models.meetings", "models.people"]]


def test_the_accounts_area_leans_on_no_other_area():
    """Every area writes audit lines, so accounts is the bottom area every other may import:
    it imports only the shared plumbing (models.db, models.person, models.organisation …),
    never people, meetings, budget or the records that gather across them (models/records/)."""
    above = {"models.people", "models.meetings", "models.budget", "models.records"}
    assert not area_graph()["models.accounts"] & above


def test_routes_and_commands_never_own_a_transaction():
    """Issue 20: a write begins and ends in its capability in models/; no module of an area
    in webapp/ opens a transaction or imports the database object (the plumbing that opens
    the connection — webapp/commands.py, models.db.request_connection — aside)."""
    found = []
    for path in (ROOT / "webapp").glob("*/*.py"):
        text = path.read_text(encoding="utf-8")
        tree = ast.parse(text)
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "models.db":
                if any(alias.name == "database" for alias in node.names):
                    found.append(f"{path.relative_to(ROOT)} imports the database object")
        if ".atomic(" in text:
            found.append(f"{path.relative_to(ROOT)} opens a transaction")
    assert found == []


def test_no_form_parses_an_id_by_itself():
    """Issue 20: every id in a form goes through the one parser (IdChoiceField, PersonField,
    posted_id): no SelectField coerces to int."""
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "webapp").rglob("*.py")
        if re.search(r"(?<!`)SelectField\([^)]*coerce=int", path.read_text(encoding="utf-8"), re.S)
    ]
    assert offenders == []
