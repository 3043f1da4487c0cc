"""The plain and the "for Excel" variant of every download have different file names (issue
22, section 2): `members.csv` and `members-excel.csv`, so one never overwrites the other in a
downloads folder. Every download route is found by walking every GET route of the app; the
routes found are checked against the call sites of `file_download` in webapp/."""

import ast
import re

from models.db import database
from tests.people.conftest import grant
from tests.web.test_access import app_routes, tables, url_for
from webapp.settings import ROOT

BOM = b"\xef\xbb\xbf"


def _filename(response) -> str:
    return re.search(r'filename="([^"]+)"', response.headers["content-disposition"])[1]


def _calls(function, name: str) -> bool:
    return any(
        isinstance(node, ast.Call) and getattr(node.func, "id", None) == name
        for node in ast.walk(function)
    )


def _route_path(function) -> str | None:
    for decorator in function.decorator_list:
        if isinstance(decorator, ast.Call) and getattr(decorator.func, "attr", "") == "get":
            return decorator.args[0].value
    return None


def _calling_routes() -> set[str]:
    """The GET routes in webapp/ whose handler calls `file_download`, itself or through a
    helper of its module (read from the source, to check that the walk found them all)."""
    paths = set()
    for source in (ROOT / "webapp").rglob("*.py"):
        tree = ast.parse(source.read_text(encoding="utf-8"))
        functions = [node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)]
        helpers = {f.name for f in functions if _calls(f, "file_download") and not _route_path(f)}
        for function in functions:
            path = _route_path(function)
            if path and any(_calls(function, name) for name in {"file_download", *helpers}):
                paths.add(path)
    return paths


def test_every_download_names_its_excel_variant_apart(app, as_viewer):
    _, params = tables()
    grant("coordinator", "privacy")  # the 51% check's download needs the privacy right
    client = as_viewer("coordinator")
    with database.connection_context():
        urls = {
            route.path: url_for(route.path, params)
            for key, route in app_routes(app)
            if key.startswith("GET ")
        }
    downloads = {}
    for path, url in sorted(urls.items()):
        if path in ("/logout", "/account/sessions/end-others"):
            continue
        plain = client.get(url, follow_redirects=False)
        if "attachment" not in plain.headers.get("content-disposition", ""):
            continue
        joiner = "&" if "?" in url else "?"
        excel = client.get(f"{url}{joiner}excel=1", follow_redirects=False)
        downloads[path] = (_filename(plain), _filename(excel), excel.content[:3] == BOM)
    assert _calling_routes() <= set(downloads), "a download route was not reached"
    csv_routes = {path for path in downloads if path.endswith(".csv")}
    assert {
        "/people/import/template.csv",
        "/people/export/members.csv",
        "/budget/export/budget.csv",
        "/budget/export/ledger.csv",
        "/budget/export/budget-summary.csv",
        "/representation.csv",
    } <= csv_routes
    for path, (plain, excel, has_bom) in downloads.items():
        if path in csv_routes:
            # Every CSV download also comes for Excel, under its own name.
            assert has_bom, f"{path}: no Excel variant"
            assert plain.endswith(".csv") and not plain.endswith("-excel.csv"), (path, plain)
            assert excel == plain.removesuffix(".csv") + "-excel.csv", (path, excel)
        else:
            # A calendar or a JSON file has one variant: one name.
            assert not has_bom and excel == plain, (path, plain, excel)
