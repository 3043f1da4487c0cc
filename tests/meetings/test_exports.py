"""rota.csv and decisions.csv exactly as DATA-EXCHANGE.md describes them, and
`tafel meetings plan` from the command line."""

import csv
import datetime as dt
import io

import pytest

from models.clock import today
from models.db import database, open_database
from models.meetings import Meeting, Proposal
from tests.meetings.conftest import project_id
from webapp.cli import main


def run(capsys, monkeypatch, db_url, *argv):
    monkeypatch.setenv("DATABASE_URL", db_url)
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_rota_csv(capsys, monkeypatch, db_url, data_dir):
    code, out, err = run(capsys, monkeypatch, db_url, "export", "rota")
    assert code == 0, err
    assert out.splitlines()[0] == "date,project,chair,minute_taker,duo_chair"
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows and not out.startswith("\ufeff")
    assert [(r["date"], r["project"]) for r in rows] == sorted(
        (r["date"], r["project"]) for r in rows
    )
    assert all(dt.date.fromisoformat(r["date"]) >= today() for r in rows)
    assert {r["project"] for r in rows} == {
        "Uitgeverij Woordwerk",
        "Computercentrum De Schakel",
        "Fietswerkplaats Op Weg",
    }
    assert all(r["chair"] and r["minute_taker"] and r["chair"] != r["minute_taker"] for r in rows)
    code, only, _ = run(
        capsys, monkeypatch, db_url, "export", "rota", "--project", "Fietswerkplaats Op Weg"
    )
    assert code == 0
    assert {r["project"] for r in csv.DictReader(io.StringIO(only))} == {"Fietswerkplaats Op Weg"}
    code, _, err = run(capsys, monkeypatch, db_url, "export", "rota", "--project", "Nergens")
    assert code == 1 and "Nergens" in err


def test_decisions_csv(capsys, monkeypatch, db_url, data_dir):
    code, out, err = run(
        capsys, monkeypatch, db_url, "export", "decisions", "--project", "Uitgeverij Woordwerk"
    )
    assert code == 0, err
    header = "date,project,meeting,proposal,outcome,agree,concern,stand_aside,block,statement"
    # The columns of old stay first and in their place; new ones come at the end.
    assert out.splitlines()[0] == header + ",confirmed_on,confirmed_meeting"
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {r["outcome"] for r in rows} == {"consensus", "provisional", "no_consensus", "blocked"}
    with database.connection_context():
        closed = Proposal.select().where(
            (Proposal.project == project_id()) & (Proposal.state == "closed")
        )
        expected = {
            (p.decided_on.isoformat(), p.text, p.outcome, str(p.agree), str(p.block))
            for p in closed
        }
    assert {
        (r["date"], r["proposal"], r["outcome"], r["agree"], r["block"]) for r in rows
    } == expected
    for r in rows:
        dt.date.fromisoformat(r["meeting"])
        assert all(r[k].isdigit() for k in ("agree", "concern", "stand_aside", "block"))


def test_meetings_plan_command(capsys, monkeypatch, db_url, data_dir):
    code, out, err = run(
        capsys,
        monkeypatch,
        db_url,
        "meetings",
        "plan",
        "Uitgeverij Woordwerk",
        "--count",
        "3",
        "--start",
        "2030-01-08",
    )
    assert code == 0, err
    assert "2030-01-08, 2030-02-12, 2030-03-12" in out  # the second Tuesday
    code, out, err = run(
        capsys,
        monkeypatch,
        db_url,
        "meetings",
        "plan",
        "Uitgeverij Woordwerk",
        "--count",
        "3",
        "--start",
        "2030-01-08",
    )
    assert code == 0 and "planned 0" in out
    with database.connection_context():
        new = Meeting.select().where(Meeting.date >= dt.date(2030, 1, 1))
        assert all(m.chair_id and m.minute_taker_id for m in new)
    code, _, err = run(capsys, monkeypatch, db_url, "meetings", "plan", "Woordwerk", "--count", "2")
    assert code == 1 and "Woordwerk" in err


def test_downloads_in_the_app_match_the_command(capsys, monkeypatch, db_url, data_dir, as_viewer):
    from tests.conftest import MEMBER_PROJECT

    with database.connection_context():
        pid = project_id()
    coordinator = as_viewer("coordinator")
    for name in ("decisions", "rota"):
        code, out, _ = run(capsys, monkeypatch, db_url, "export", name, "--project", MEMBER_PROJECT)
        assert code == 0
        response = coordinator.get(f"/projects/{pid}/{name}.csv")
        assert response.status_code == 200 and response.headers["content-type"].startswith(
            "text/csv"
        )
        assert response.content.decode("utf-8") == out
        excel = coordinator.get(f"/projects/{pid}/{name}.csv?excel=1").content.decode("utf-8")
        assert excel.startswith("\ufeff")
        rows = list(csv.reader(io.StringIO(excel[1:]), delimiter=";"))
        assert rows == list(csv.reader(io.StringIO(out)))
    assert as_viewer("member").get(f"/projects/{pid}/rota.csv").status_code == 403


@pytest.mark.parametrize(
    ("start", "says"),
    [
        ("9999-12-31", "Choose a start date between 1900-01-01 and 2999-12-31."),
        ("0001-01-01", "Choose a start date between 1900-01-01 and 2999-12-31."),
        ("2026-02-30", "Give the start date as YYYY-MM-DD."),
    ],
)
def test_meetings_plan_refuses_a_start_date_at_the_edge_in_one_sentence(
    capsys, monkeypatch, db_url, data_dir, start, says
):
    code, out, err = run(
        capsys,
        monkeypatch,
        db_url,
        "meetings",
        "plan",
        "Uitgeverij Woordwerk",
        "--count",
        "2",
        "--start",
        start,
    )
    assert code == 1 and err.strip() == says
    open_database(db_url)
    with database.connection_context():
        assert not Meeting.select().where(Meeting.date > dt.date(2999, 1, 1)).exists()
