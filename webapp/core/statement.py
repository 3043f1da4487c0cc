"""The accessibility statement (toegankelijkheidsverklaring), in DigiToegankelijk's model: what
is tested, how, and the figures of the last run of the every-page browser test
(tests/browser/test_every_page.py writes webapp/accessibility_figures.json; docs/accessibility.md),
the day the statement was drawn up and the day of the test its figures are from, and whom to
tell about a problem.
"""

import datetime as dt
import json
from functools import lru_cache

from starlette.requests import Request

from models.accounts.rights import names_holding
from models.organisation import Organisation
from webapp.access import PUBLIC, Routes
from webapp.settings import ROOT
from webapp.templating import render

routes = Routes()

FIGURES = ROOT / "webapp" / "accessibility_figures.json"
# Set by hand when the statement's words change (DigiToegankelijk's model asks for the day it
# was drawn up); never the day of the request. The day of the test is in FIGURES ("tested_on",
# also set by hand: docs/accessibility.md "Adding a page").
DRAWN_UP = dt.date(2026, 12, 7)


@lru_cache(maxsize=1)
def figures() -> dict:
    """The figures of the every-page test, as committed with the code."""
    return json.loads(FIGURES.read_text())


@routes.get("/accessibility", permission=PUBLIC)
def statement(request: Request, viewer):
    """The accessibility statement, for everyone (also without an account). Someone signed
    in also reads the names of the organisation's administrators, to tell about a problem."""
    return render(
        request,
        "accessibility.html",
        {
            "organisation": Organisation.current(),
            "figures": figures(),
            "drawn_up": DRAWN_UP,
            "tested_on": dt.date.fromisoformat(figures()["tested_on"]),
            "administrators": names_holding("admin") if viewer.signed_in else [],
        },
    )
