"""The accessibility statement (toegankelijkheidsverklaring), in DigiToegankelijk's model: what
is tested, how, and the figures of the last run of the every-page browser test
(tests/browser/test_every_page.py writes webapp/accessibility_figures.json; docs/accessibility.md).
"""

import json
from functools import lru_cache

from starlette.requests import Request

from models.organisation import Organisation
from webapp.access import PUBLIC, Routes
from webapp.settings import ROOT
from webapp.templating import render

routes = Routes()

FIGURES = ROOT / "webapp" / "accessibility_figures.json"


@lru_cache(maxsize=1)
def figures() -> dict:
    """The figures of the every-page test, as committed with the code."""
    return json.loads(FIGURES.read_text())


@routes.get("/accessibility", permission=PUBLIC)
def statement(request: Request, viewer):
    """The accessibility statement, for everyone (also without an account)."""
    return render(
        request,
        "accessibility.html",
        {"organisation": Organisation.current(), "figures": figures()},
    )
