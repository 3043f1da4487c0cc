"""Dutch files as LibreOffice really re-saves them (issue 22, section 2).

A CSV typed the Dutch way is opened and saved again by LibreOffice headless under the
Dutch (nl-NL) locale, as a person with a Dutch LibreOffice does; Tafel reads what it
wrote. Skipped where LibreOffice is not installed (the rule it checks is also pinned by
the plain tests in test_csvfile.py and test_money.py).
"""

import os
import shutil
import subprocess
from datetime import date

import pytest

from models.rules.csvfile import parse_date, read_csv
from models.rules.money import parse_amount

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed")

DUTCH = "1043"  # nl-NL in LibreOffice's CSV filter options


def resave_in_dutch(tmp_path, text: str) -> bytes:
    """The file as LibreOffice in Dutch saves it again (its own defaults: commas, and
    each cell as shown)."""
    source = tmp_path / "typed.csv"
    source.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    env = {**os.environ, "HOME": str(tmp_path / "home"), "LC_ALL": "nl_NL.UTF-8",
           "LANG": "nl_NL.UTF-8"}  # fmt: skip
    subprocess.run(
        [SOFFICE, "--headless", "--norestore", f"--infilter=CSV:44,34,76,1,,{DUTCH}",
         "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1", "--outdir", str(out),
         str(source)],
        env=env, check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    return (out / "typed.csv").read_bytes()


def test_dates_and_amounts_as_dutch_libreoffice_saves_them_read_back(tmp_path):
    typed = 'date,amount\n1-3-2026,1.700\n31-12-2068,"1.700,00"\n1-1-1969,"-12,50"\n'
    raw = resave_in_dutch(tmp_path, typed)
    rows = read_csv(raw, {"date": True, "amount": True})
    # LibreOffice in Dutch writes DD-MM-YY: the two-digit year is what Tafel must read.
    assert [r["date"] for r in rows] == ["01-03-26", "31-12-68", "01-01-69"]
    assert [parse_date(r["date"]) for r in rows] == [
        date(2026, 3, 1), date(2068, 12, 31), date(1969, 1, 1)
    ]  # fmt: skip
    # It read "1.700" the Dutch way too, as 1700, and writes amounts without grouping, with
    # a decimal comma in a comma-separated file (so quoted): Tafel reads them in Dutch.
    assert [r["amount"] for r in rows] == ["1700", "1700", "-12,5"]
    assert [parse_amount(r["amount"], convention=rows.convention("nl")) for r in rows] == [
        170_000, 170_000, -1250
    ]  # fmt: skip
