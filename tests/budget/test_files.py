"""budget.csv and ledger.csv in, ledger.csv and budget-summary.csv out: the command and the
app share one implementation; imports are all or nothing with line numbers."""

import re

import pytest

from models import clock
from models.budget import (
    BudgetYear,
    LedgerEntry,
    LedgerImport,
    Post,
    SubBudget,
    exchange,
    ledger_file,
)
from models.rules.csvfile import CsvError
from tests.conftest import csrf_of

YEAR = clock.today().year

BUDGET_CSV = f"""year;post;sub_budget;manager;project;planned
{YEAR};Materialen;Stickers;Priya;Fietswerkplaats Op Weg;150,00
{YEAR};Vrijwilligersfeest;;;;1.200,00
{YEAR};Vrijwilligersfeest;Hapjes;;;400
""".encode("cp1252")

LEDGER_CSV = f"""\ufeffid,date,post,sub_budget,description,amount,kind,reverses
a1,{YEAR}-03-01,Materialen,Stickers,Stickers bestellen,-45.50,spending,
a2,03-03-{YEAR},Vrijwilligersfeest,Hapjes,Bitterballen,-80.00,spending,
a3,{YEAR}-03-04,Vrijwilligersfeest,Hapjes,Correctie bitterballen,80.00,reversal,a2
a4,{YEAR}-03-05,Vrijwilligersfeest,,Gift,"1.000,00",income,
""".encode()


def _import_both():
    exchange.import_budget(BUDGET_CSV, None, None)
    return ledger_file.import_ledger(LEDGER_CSV, None, None, "ledger.csv")


def test_the_plan_and_the_ledger_import_and_the_summary_adds_up(db):
    assert _import_both().booked == 4
    stickers = SubBudget.get(SubBudget.name == "Stickers")
    assert stickers.planned_cents == 15000 and stickers.manager.display_name == "Priya"
    party = Post.get(Post.name == "Vrijwilligersfeest")
    assert party.planned_cents == 120_000
    reversal = LedgerEntry.get(
        LedgerEntry.kind == "reversal", LedgerEntry.description.contains("bitter")
    )
    assert reversal.reverses.description == "Bitterballen"
    rows = {(r[1], r[2]): r for r in exchange.summary_rows(BudgetYear.get(year=YEAR))}
    assert rows[("Vrijwilligersfeest", "Hapjes")][3:] == [40_000, 0, 0, 40_000]
    assert rows[("Vrijwilligersfeest", "")][3:] == [120_000, 0, 100_000, 220_000]


def test_a_ledger_file_is_imported_only_once(db):
    _import_both()
    count = LedgerEntry.select().count()
    with pytest.raises(CsvError, match="imported before"):
        ledger_file.import_ledger(LEDGER_CSV.replace(b"\n", b"\r\n"), None, None)
    assert LedgerEntry.select().count() == count


def test_a_wrong_line_imports_nothing_and_names_every_line(db):
    exchange.import_budget(BUDGET_CSV, None, None)
    bad = f"""date;post;sub_budget;description;amount;kind;reverses
{YEAR}-03-01;Materialen;Stickers;Goed;-4,50;spending;
{YEAR}-03-01;Materialen;Stickers;Fout;1,234;spending;
{YEAR}-13-01;Materialen;Stickers;Fout;-4;spending;
{YEAR}-03-01;Bestaat niet;;Fout;-4;spending;
{YEAR}-03-01;Materialen;Stickers;Fout;4;spending;
{YEAR}-03-01;Materialen;Stickers;Fout;4;reversal;999999
""".encode()
    count = LedgerEntry.select().count()
    with pytest.raises(CsvError) as caught:
        ledger_file.import_ledger(bad, None, None)
    lines = sorted(p.line for p in caught.value.problems)
    assert lines == [3, 4, 5, 6, 7]
    assert LedgerEntry.select().count() == count
    assert not LedgerImport.select().exists()


def test_a_correction_in_a_file_must_undo_its_original_exactly_and_once(db):
    _import_both()
    spent = LedgerEntry.get(LedgerEntry.description == "Stickers bestellen")
    twice = f"""id,date,post,sub_budget,description,amount,kind,reverses
b1,{YEAR}-04-01,Materialen,Stickers,Terug,45.50,reversal,{spent.id}
b2,{YEAR}-04-02,Materialen,Stickers,Nog eens,45.50,reversal,{spent.id}
b3,{YEAR}-04-02,Materialen,Stickers,Half,20.00,reversal,b4
b4,{YEAR}-04-02,Materialen,Stickers,Iets,-40.00,spending,
""".encode()
    with pytest.raises(CsvError) as caught:
        ledger_file.import_ledger(twice, None, None)
    assert sorted(p.line for p in caught.value.problems) == [3, 4]


def test_budget_csv_refuses_unknown_people_and_projects(db):
    bad = f"year,post,sub_budget,manager,project,planned\n{YEAR},X,Y,Niemand,Geen,10\n".encode()
    with pytest.raises(CsvError) as caught:
        exchange.import_budget(bad, None, None)
    assert {p.column for p in caught.value.problems} == {"manager", "project"}
    assert not Post.select().where(Post.name == "X").exists()


def test_exports_plain_and_for_excel(as_viewer, db):
    client = as_viewer("priya")
    plain = client.get(f"/budget/export/ledger.csv?year={YEAR}")
    assert plain.headers["content-type"].startswith("text/csv")
    assert plain.text.startswith("id,date,post,sub_budget,description,amount,kind,reverses\n")
    assert "-45.90" in plain.text
    excel = client.get(f"/budget/export/ledger.csv?year={YEAR}&excel=1").content
    assert excel.startswith("\ufeff".encode()) and b";" in excel and b"-45,90" in excel
    summary = client.get("/budget/export/budget-summary.csv").text
    assert summary.splitlines()[0] == "year,post,sub_budget,planned,spent,received,remaining"
    assert summary.splitlines()[-1].split(",")[1] == "total"


def test_the_treasurer_uploads_files_and_errors_show_line_numbers(as_viewer, db):
    client = as_viewer("penningmeester")
    token = csrf_of(client, "/budget/files")
    response = client.post("/budget/import/budget", data={"csrf_token": token},
                           files={"file": ("budget.csv", BUDGET_CSV, "text/csv")})  # fmt: skip
    assert response.status_code == 200 and "banner-ok" in response.text
    bad = f"date,post,amount,kind\n{YEAR}-01-01,Materialen,abc,spending\n".encode()
    response = client.post("/budget/import/ledger", data={"csrf_token": token},
                           files={"file": ("ledger.csv", bad, "text/csv")})  # fmt: skip
    assert response.status_code == 400
    assert "2" in response.text and "amount" in response.text
    response = client.post("/budget/import/ledger", data={"csrf_token": token},
                           files={"file": ("ledger.csv", LEDGER_CSV, "text/csv")})  # fmt: skip
    assert response.status_code == 200 and LedgerImport.select().count() == 1


def test_the_command_imports_and_exports(app, db_url, tmp_path, monkeypatch, capsys):
    from webapp.cli import main

    monkeypatch.setenv("DATABASE_URL", db_url)
    (tmp_path / "budget.csv").write_bytes(BUDGET_CSV)
    (tmp_path / "ledger.csv").write_bytes(LEDGER_CSV)
    assert main(["import", "budget", str(tmp_path / "budget.csv")]) == 0
    assert main(["import", "ledger", str(tmp_path / "ledger.csv")]) == 0
    assert main(["import", "ledger", str(tmp_path / "ledger.csv")]) == 1
    assert "imported before" in capsys.readouterr().err
    assert main(["export", "budget-summary", "--year", str(YEAR)]) == 0
    out = capsys.readouterr().out
    assert f"{YEAR},Vrijwilligersfeest,,1200.00,0.00,1000.00,2200.00" in out
    assert main(["export", "ledger"]) == 0
    assert "Bitterballen" in capsys.readouterr().out
    (tmp_path / "bad.csv").write_bytes(b"year,post,planned\nx,Y,1\n")
    assert main(["import", "budget", str(tmp_path / "bad.csv")]) == 1
    assert "2" in capsys.readouterr().err


# --- the same rows, in another file (issue 11, point 3) ----------------------------------


def _resaved(text: str) -> bytes:
    """The file as a Dutch spreadsheet saves it again: a BOM, semicolons, a decimal comma,
    dates as DD-MM-YYYY and Windows line ends (amounts and dates rewritten cell by cell)."""
    import csv
    import io
    import re

    text = text.lstrip("\ufeff")
    separator = ";" if ";" in text.splitlines()[0] else ","
    rows = list(csv.reader(io.StringIO(text), delimiter=separator))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    for row in rows:
        cells = []
        for cell in row:
            if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", cell):
                cell = f"{m[3]}-{m[2]}-{m[1]}"
            elif re.fullmatch(r"-?\d+\.\d\d", cell):
                cell = cell.replace(".", ",")
            cells.append(cell)
        writer.writerow(cells)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _ledger():
    return list(LedgerEntry.select().order_by(LedgerEntry.id).tuples())


def test_the_same_rows_saved_again_by_a_spreadsheet_are_refused(db):
    exchange.import_budget(BUDGET_CSV, None, None)
    plain = f"""id,date,post,sub_budget,description,amount,kind,reverses
x1,{YEAR}-05-01,Materialen,Stickers,Stickervellen,-12.50,spending,
x2,{YEAR}-05-02,Vrijwilligersfeest,,Gift van de buurt,250.00,income,
x3,{YEAR}-05-03,Materialen,Stickers,Stickervellen terug,12.50,reversal,x1
"""
    assert ledger_file.import_ledger(plain.encode(), None, None).booked == 3
    before = _ledger()
    resaved = _resaved(plain)
    assert resaved.startswith("\ufeff".encode()) and b"-12,50" in resaved
    assert f"01-05-{YEAR}".encode() in resaved and b";" in resaved
    with pytest.raises(CsvError) as caught:
        ledger_file.import_ledger(resaved, None, None, "ledger (2).csv")
    assert [p.template for p in caught.value.problems] == [ledger_file.SAME_ROWS]
    # Other ids of the file's own, and the rows in another order: still the same rows.
    renamed = _resaved(plain.replace("x1", "k9").replace("x3", "k7"))
    lines = renamed.decode("utf-8").splitlines()
    shuffled = "\r\n".join([lines[0], lines[3], lines[1], lines[2]]).encode("utf-8")
    for again in (renamed, shuffled):
        with pytest.raises(CsvError, match="imported before"):
            ledger_file.import_ledger(again, None, None)
    assert _ledger() == before and LedgerImport.select().count() == 1
    # One cent different is other content: not refused as imported before. Its two other
    # rows look like the entries booked above (issue 19 M3), so they wait for a yes each;
    # left out, the new row alone is booked.
    changed = plain.replace("250.00", "250.01").encode()
    with pytest.raises(ledger_file.Lookalikes) as caught:
        ledger_file.import_ledger(changed, None, None)
    assert [row.line for row in caught.value.rows] == [2, 4]
    assert ledger_file.import_ledger(changed, None, None, confirmed=()).booked == 1


def test_a_ledger_export_imported_again_adds_nothing_and_says_why(db, as_viewer):
    before = _ledger()
    assert any(row[6] == "reversal" for row in before)
    assert any(row[6] == "reimbursement" for row in before)
    for excel in (False, True):
        text = exchange.export_ledger(excel=excel)
        for raw in (text.encode("utf-8"), _resaved(text)):
            with pytest.raises(CsvError) as caught:
                ledger_file.import_ledger(raw, None, None, "ledger.csv")
            assert [p.template for p in caught.value.problems] == [ledger_file.ALL_BOOKED]
    assert _ledger() == before and not LedgerImport.select().exists()
    # Through the treasurer's upload: refused in plain words, nothing booked.
    client = as_viewer("penningmeester")
    export = client.get("/budget/export/ledger.csv?excel=1").content
    token = csrf_of(client, "/budget/files")
    response = client.post("/budget/import/ledger", data={"csrf_token": token},
                           files={"file": ("ledger.csv", export, "text/csv")})  # fmt: skip
    assert response.status_code == 400 and "export" in response.text
    assert _ledger() == before


def test_an_export_with_new_rows_books_only_the_new_ones(db):
    post = Post.select().join(BudgetYear).where(BudgetYear.year == YEAR).first()
    text = exchange.export_ledger(YEAR)
    known = len(text.splitlines()) - 1
    added = (
        text
        + f"n1,{YEAR}-06-01,{post.name},,Nieuwe uitgave,-3.00,spending,\n"
        + f"n2,{YEAR}-06-02,{post.name},,Nieuwe uitgave terug,3.00,reversal,n1\n"
    )
    count = LedgerEntry.select().count()
    result = ledger_file.import_ledger(added.encode(), None, None)
    assert (result.booked, result.known) == (2, known)
    assert LedgerEntry.select().count() == count + 2
    new = LedgerEntry.get(LedgerEntry.description == "Nieuwe uitgave terug")
    assert new.reverses.description == "Nieuwe uitgave"
    # And this file, saved again, is refused: its rows were imported.
    with pytest.raises(CsvError, match="imported before"):
        ledger_file.import_ledger(_resaved(added), None, None)
    assert LedgerEntry.select().count() == count + 2


def test_a_row_with_a_stored_id_but_other_money_is_a_new_row_of_the_file(db):
    entry = LedgerEntry.select().where(LedgerEntry.kind == "spending").first()
    sub = entry.sub_budget.name if entry.sub_budget else ""
    other = (
        "id,date,post,sub_budget,description,amount,kind,reverses\n"
        f"{entry.id},{entry.date.isoformat()},{entry.post.name},{sub},Andere,-0.01,spending,\n"
    )
    result = ledger_file.import_ledger(other.encode(), None, None)
    assert (result.booked, result.known) == (1, 0)


def test_a_budget_file_sets_the_plan_but_never_changes_a_planned_amount(as_viewer, db):
    """Changing an amount already planned needs a decision from the register: the file says
    so on its line and changes nothing; the same plan again is fine."""
    exchange.import_budget(BUDGET_CSV, None, None)
    exchange.import_budget(BUDGET_CSV, None, None)
    changed = BUDGET_CSV.replace(b"400\n", b"999\n").replace(b"150,00", b"10")
    with pytest.raises(CsvError) as caught:
        exchange.import_budget(changed, None, None)
    assert [(p.line, p.column) for p in caught.value.problems] == [(2, "planned"), (4, "planned")]
    assert SubBudget.get(SubBudget.name == "Hapjes").planned_cents == 40_000
    client = as_viewer("penningmeester")
    token = csrf_of(client, "/budget/files")
    response = client.post("/budget/import/budget", data={"csrf_token": token},
                           files={"file": ("budget.csv", changed, "text/csv")})  # fmt: skip
    assert response.status_code == 400
    assert "met een besluit van een vergadering" in response.text
    assert SubBudget.get(SubBudget.name == "Stickers").planned_cents == 15_000


# --- one import at a time (issue 20) ------------------------------------------------------


def test_two_uploads_of_one_file_at_the_same_moment_book_it_once_and_tell_the_other(db):
    """Two treasurers upload the same ledger file at the same moment, each in their own
    connection and transaction: it is booked once, and the other is told in a sentence that
    it was imported before (never the unique index's error)."""
    import threading

    from models.db import database

    exchange.import_budget(BUDGET_CSV, None, None)
    for number in range(3):
        raw = LEDGER_CSV
        for text in (b"Stickers bestellen", b"Bitterballen", b"bitterballen", b"Gift"):
            raw = raw.replace(text, text + f" {number}".encode())
        start = threading.Barrier(2)
        outcomes = []

        def run(start=start, outcomes=outcomes, raw=raw):
            try:
                with database.connection_context():
                    start.wait()
                    outcomes.append(ledger_file.import_ledger(raw, None, None).booked)
            except CsvError as error:
                outcomes.append([p.template for p in error.problems])
            except Exception as error:  # noqa: BLE001 - reported below
                outcomes.append(repr(error))

        workers = [threading.Thread(target=run) for _ in range(2)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        assert sorted(outcomes, key=str) == [4, [ledger_file.ALREADY_IMPORTED]], outcomes
    assert LedgerImport.select().count() == 3
    assert LedgerEntry.select().where(LedgerEntry.description.startswith("Gift ")).count() == 3


# --- a ledger export without its ids (issue 19, M3) ---------------------------------------


def _export_rows(year=YEAR) -> list[list[str]]:
    import csv
    import io

    return list(csv.reader(io.StringIO(exchange.export_ledger(year))))


def _csv(rows) -> bytes:
    import csv
    import io

    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode()


def _without_ids() -> bytes:
    """The year's export with its id column deleted (and so its corrections, which would
    name entries by id, and the entries they undo)."""
    header, *rows = _export_rows()
    undone = {row[7] for row in rows if row[7]}
    kept = [row for row in rows if row[6] != "reversal" and row[0] not in undone]
    assert len(kept) >= 5
    return _csv([header[1:]] + [row[1:] for row in kept])


def _renumbered() -> bytes:
    """The year's whole export with every id (and every reference) moved by 100000."""
    header, *rows = _export_rows()
    moved = lambda value: str(int(value) + 100_000) if value else ""  # noqa: E731
    return _csv([header] + [[moved(r[0]), *r[1:7], moved(r[7])] for r in rows])


def test_an_export_without_its_ids_books_nothing_twice_without_a_yes(db):
    """M3 replayed: the export with its id column deleted, or renumbered, is not booked again:
    every row is listed as looking like a booked entry, and nothing is booked."""
    before = _ledger()
    for raw in (_without_ids(), _renumbered(), _resaved(_renumbered().decode())):
        with pytest.raises(ledger_file.Lookalikes) as caught:
            ledger_file.import_ledger(raw, None, None, "ledger.csv")
        assert len(caught.value.rows) == len(raw.decode("utf-8-sig").strip().splitlines()) - 1
        assert {row.entry_id for row in caught.value.rows} <= {row[0] for row in before}
    assert _ledger() == before and not LedgerImport.select().exists()


def test_look_alike_rows_are_booked_only_as_confirmed_row_by_row(db, as_viewer):
    before = _ledger()
    raw = _without_ids()
    new_row = f"{YEAR}-06-02,Materialen,,Nieuwe inkt,-7.00,spending,\n".encode()
    client = as_viewer("penningmeester")
    token = csrf_of(client, "/budget/files")
    response = client.post("/budget/import/ledger", data={"csrf_token": token},
                           files={"file": ("z.csv", raw + new_row, "text/csv")})  # fmt: skip
    assert response.status_code == 400
    assert "Rijen die lijken op boekingen" in response.text
    lines = re.findall(r'name="book" value="(\d+)"', response.text)
    assert len(lines) == len(raw.splitlines()) - 1 and _ledger() == before
    content = re.search(r'name="content" value="([^"]+)"', response.text)[1]
    # Yes to the second row only: it and the new row are booked, the others left out.
    response = client.post("/budget/import/ledger", data={
        "csrf_token": token, "content": content, "file_name": "zonder-id.csv", "confirm": "1",
        "book": [lines[1]],
    }, files={"file": ("", b"", "application/octet-stream")})  # fmt: skip
    assert response.status_code == 200, response.text[-1500:]
    assert "Ingelezen: 2 boekingen." in response.text
    assert len(_ledger()) == len(before) + 2
    assert LedgerEntry.select().where(LedgerEntry.description == "Nieuwe inkt").count() == 1
    # The same file again is refused as imported before.
    response = client.post("/budget/import/ledger", data={"csrf_token": token},
                           files={"file": ("z.csv", raw + new_row, "text/csv")})  # fmt: skip
    assert response.status_code == 400 and len(_ledger()) == len(before) + 2


def test_the_command_books_look_alike_rows_only_with_its_flag(app, db_url, tmp_path,
                                                             monkeypatch, capsys):  # fmt: skip
    from models.db import database
    from webapp.cli import main

    monkeypatch.setenv("DATABASE_URL", db_url)
    with database.connection_context():
        before, raw = _ledger(), _without_ids()
    (tmp_path / "ledger.csv").write_bytes(raw)
    assert main(["import", "ledger", str(tmp_path / "ledger.csv")]) == 1
    err = capsys.readouterr().err
    assert "look like entries" in err and "--book-lookalikes" in err
    with database.connection_context():
        assert _ledger() == before
    rows = len(raw.splitlines()) - 1
    assert main(["import", "ledger", "--book-lookalikes", str(tmp_path / "ledger.csv")]) == 0
    assert f"imported {rows} ledger entries" in capsys.readouterr().out
    with database.connection_context():
        assert len(_ledger()) == len(before) + rows


def test_an_export_without_ids_saved_again_by_libreoffice_books_nothing_twice(db, tmp_path):
    """M3 the way a treasurer does it: the export without its id column, opened and saved
    again by LibreOffice (semicolons, quotes, amounts as numbers): still every row is listed
    as looking like a booked entry, and nothing is booked."""
    import shutil
    import subprocess

    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    before = _ledger()
    (tmp_path / "ledger.csv").write_bytes(_without_ids())
    subprocess.run(
        [soffice, "--headless", "--norestore",
         f"-env:UserInstallation=file://{tmp_path}/profile",
         "--convert-to", "csv:Text - txt - csv (StarCalc):59,34,76,1",
         "--outdir", str(tmp_path / "saved"), str(tmp_path / "ledger.csv")],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    saved = (tmp_path / "saved" / "ledger.csv").read_bytes()
    assert saved != _without_ids() and b";" in saved  # really written again
    with pytest.raises(ledger_file.Lookalikes) as caught:
        ledger_file.import_ledger(saved, None, None, "ledger.csv")
    assert len(caught.value.rows) == len(_without_ids().splitlines()) - 1
    assert _ledger() == before and not LedgerImport.select().exists()
