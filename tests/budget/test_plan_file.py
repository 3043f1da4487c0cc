"""budget.csv out as well as in (issue 22, sections 2 and 4): the plan export imports back
unchanged, also after LibreOffice in Dutch saved it again, and an import that changed nothing
says so on the page and on the command line."""

import re

from models import clock
from models.budget import BudgetYear, PlannedChange, Post, SubBudget, exchange
from models.db import database, open_database
from tests.conftest import csrf_of
from tests.libreoffice import needs_libreoffice, resave_in_dutch
from tests.web.test_access import snapshot
from webapp.cli import main

YEAR = clock.today().year
NOTHING = {"posts": 0, "sub_budgets": 0}
NOTHING_CHANGED = "Er is niets veranderd: de begroting in Tafel is al zoals in dit bestand."


def _upload(client, raw: bytes, name: str = "budget.csv"):
    token = csrf_of(client, "/budget/files")
    return client.post("/budget/import/budget", data={"csrf_token": token},
                       files={"file": (name, raw, "text/csv")})  # fmt: skip


def _filename(response) -> str:
    return re.search(r'filename="([^"]+)"', response.headers["content-disposition"])[1]


def test_the_plan_export_lists_every_post_and_sub_budget_with_names(db):
    text = exchange.export_plan()
    lines = text.splitlines()
    assert lines[0] == "year,post,sub_budget,manager,project,planned"
    assert f"{YEAR},Materialen,,,,6000.00" in lines
    assert f"{YEAR},Materialen,Papier en inkt,Anouk B.,Uitgeverij Woordwerk,500.00" in lines
    assert f"{YEAR},Reiskosten en onkosten,Reiskosten vrijwilligers,Anouk B.,,2000.00" in lines
    # A post's own row comes before its sub-budgets.
    materials = [line for line in lines if line.startswith(f"{YEAR},Materialen,")]
    assert materials[0] == f"{YEAR},Materialen,,,,6000.00"
    assert len(lines) - 1 == Post.select().count() + SubBudget.select().count()
    excel = exchange.export_plan(YEAR, excel=True)
    assert excel.startswith("\ufeffyear;post;") and ";500,00\r\n" in excel
    assert exchange.export_plan(1999).splitlines() == lines[:1]


def test_the_plan_export_imports_back_and_says_nothing_changed(db, as_viewer):
    before = snapshot()
    for excel in (False, True):
        assert exchange.import_budget(exchange.export_plan(excel=excel).encode(), None, None) == (
            NOTHING
        )
    assert snapshot() == before
    client = as_viewer("penningmeester")
    page = client.get("/budget/files").text
    assert 'href="/budget/export/budget.csv"' in page
    assert 'href="/budget/export/budget.csv?excel=1"' in page
    for variant in ("", "?excel=1"):
        download = client.get(f"/budget/export/budget.csv{variant}")
        assert _filename(download) == ("budget-excel.csv" if variant else "budget.csv")
        response = _upload(client, download.content)
        assert response.status_code == 200 and NOTHING_CHANGED in response.text
    assert not PlannedChange.select().where(PlannedChange.written_decision == "budget.csv").exists()
    year = client.get(f"/budget/export/budget.csv?year={YEAR}&excel=1")
    assert _filename(year) == f"budget-{YEAR}-excel.csv"


def test_an_import_counts_only_what_it_made_or_changed(db, as_viewer):
    """Issue 22.4: "imported 2 post(s)" when nothing changed was wrong."""
    export = exchange.export_plan(YEAR)
    added = export + f"{YEAR},Materialen,Nieuwe stickers,,,25.00\n{YEAR},Nieuwe post,,,,10.00\n"
    assert exchange.import_budget(added.encode(), None, None) == {"posts": 1, "sub_budgets": 1}
    assert exchange.import_budget(added.encode(), None, None) == NOTHING
    # A post still at zero gets its amount: that is a change; the same again is not.
    zero = f"year,post,sub_budget,manager,project,planned\n{YEAR},Leeg,,,,0\n"
    assert exchange.import_budget(zero.encode(), None, None) == {"posts": 1, "sub_budgets": 0}
    assert exchange.import_budget(zero.encode(), None, None) == NOTHING
    filled = zero.replace(",0\n", ",12.50\n")
    assert exchange.import_budget(filled.encode(), None, None) == {"posts": 1, "sub_budgets": 0}
    client = as_viewer("penningmeester")
    more = added + f"{YEAR},Materialen,Lijm,,,5.00\n"
    response = _upload(client, more.encode())
    assert "Ingelezen: 0 posten en 1 deelbudget." in response.text
    response = _upload(client, more.encode())
    assert NOTHING_CHANGED in response.text


def test_the_command_exports_the_plan_and_says_when_nothing_changed(
    db_url, data_dir, monkeypatch, tmp_path, capsys
):
    monkeypatch.setenv("DATABASE_URL", db_url)
    assert main(["export", "budget", "--year", str(YEAR)]) == 0
    export = capsys.readouterr().out
    assert export.startswith("year,post,sub_budget,manager,project,planned\n")
    path = tmp_path / "budget.csv"
    path.write_text(export, encoding="utf-8")
    open_database(db_url)
    with database.connection_context():
        before = snapshot()
    assert main(["import", "budget", str(path)]) == 0
    assert capsys.readouterr().out == "nothing changed: the plan is already as the file says\n"
    with database.connection_context():
        assert snapshot() == before
    path.write_text(export + f"{YEAR},Huur,Sleutels,,,40.00\n", encoding="utf-8")
    assert main(["import", "budget", str(path)]) == 0
    assert capsys.readouterr().out == ("imported: 0 post(s) and 1 sub-budget(s) made or changed\n")


@needs_libreoffice
def test_the_plan_export_saved_again_by_libreoffice_imports_back_unchanged(db, as_viewer, tmp_path):
    """Plain and for Excel, opened and saved again by LibreOffice in Dutch: imported on the
    treasurer's Dutch page (a comma file's "6000.00" read in Dutch) and by the command (no
    language), nothing changes."""
    client = as_viewer("penningmeester")
    files = {
        "budget.csv": client.get("/budget/export/budget.csv").content,
        "budget-excel.csv": client.get("/budget/export/budget.csv?excel=1").content,
    }
    saved = resave_in_dutch(tmp_path, files)
    assert all(saved[name] != files[name] for name in files)
    before = snapshot()
    for name, raw in saved.items():
        response = _upload(client, raw, name)
        assert response.status_code == 200, (name, response.text[-1500:])
        assert NOTHING_CHANGED in response.text
        assert exchange.import_budget(raw, None, None) == NOTHING
    assert snapshot() == before
    assert BudgetYear.numbers() == [YEAR]
