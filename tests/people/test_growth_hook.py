"""People sits below meetings (issue 20): a membership change re-plans the rota through the
hook models/meetings registers at import. The hook may never be silently missing."""

import pytest

import models.registry  # noqa: F401  (every area, as the app and the commands load them)
from models.meetings.rota import replan_rota
from models.people import growth


def test_the_meetings_area_registers_the_rota_hook():
    assert growth.rota_hook_registered()
    assert growth._replan == [replan_rota]


def test_without_the_hook_a_membership_change_refuses_to_write(monkeypatch):
    monkeypatch.setattr(growth, "_replan", [])
    with pytest.raises(RuntimeError, match="No rota re-planning is registered"):
        growth._rota_replanned(1, None)


def test_people_imports_nothing_of_meetings():
    import ast
    from pathlib import Path

    for path in Path("models/people").glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                assert not (node.module or "").startswith("models.meetings"), path
            if isinstance(node, ast.Import):
                assert not any(a.name.startswith("models.meetings") for a in node.names), path
