"""Files opened and saved again by LibreOffice in Dutch (nl-NL), as a person with a Dutch
LibreOffice does: the round trips of docs/data-exchange.md ("every import has a download that
imports back unchanged") are tested through it. Tests skip where LibreOffice is missing."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_libreoffice = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed")

DUTCH = "1043"  # nl-NL in LibreOffice's CSV filter options
SEPARATORS = {",": "44", ";": "59"}


def resave_in_dutch(folder: Path, files: dict[str, bytes]) -> dict[str, bytes]:
    """Each file (by name) as LibreOffice in Dutch reads it and saves it again, with the
    separator it was written with (a "for Excel" file keeps its semicolons): one LibreOffice
    run for each separator."""
    folder.mkdir(parents=True, exist_ok=True)
    groups: dict[str, list[Path]] = {}
    for name, raw in files.items():
        path = folder / name
        path.write_bytes(raw)
        first = raw.decode("utf-8-sig").splitlines()[0]
        groups.setdefault(";" if ";" in first else ",", []).append(path)
    out = folder / "saved"
    env = {**os.environ, "HOME": str(folder / "home"), "LC_ALL": "nl_NL.UTF-8",
           "LANG": "nl_NL.UTF-8"}  # fmt: skip
    for separator, paths in groups.items():
        code = SEPARATORS[separator]
        subprocess.run(
            [SOFFICE, "--headless", "--norestore", f"--infilter=CSV:{code},34,76,1,,{DUTCH}",
             "--convert-to", f"csv:Text - txt - csv (StarCalc):{code},34,76,1",
             "--outdir", str(out), *map(str, paths)],
            env=env, check=True, capture_output=True, timeout=240,
        )  # fmt: skip
    return {name: (out / name).read_bytes() for name in files}
