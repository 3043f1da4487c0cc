"""The accessibility statement (/accessibility) shows the figures the every-page browser test
wrote (webapp/accessibility_figures.json), to everyone, in Dutch and in English, with the parts
of DigiToegankelijk's model: the day it was drawn up, the day of the test, whom to tell."""

import datetime as dt
import json

import pytest
from babel.dates import format_date

from tests.conftest import login
from webapp.core.statement import DRAWN_UP, FIGURES


@pytest.mark.once
def test_the_statement_shows_the_figures_of_the_every_page_test(client):
    figures = json.loads(FIGURES.read_text())
    dutch = client.get("/accessibility")
    assert dutch.status_code == 200
    assert "<h1>Toegankelijkheidsverklaring</h1>" in dutch.text
    for sentence in (
        f"Elke pagina van Tafel: {figures['pages']} pagina's.",
        f"in het Nederlands en in het Engels: {figures['visits']} keer een pagina bekeken.",
        f"axe-core {figures['axe_version']} controleert",
        f"We maten {figures['targets_measured']} knoppen, links en velden.",
        f"De HTML-controle van W3C controleerde {figures['html_pages_checked']} pagina",
    ):
        assert sentence in dutch.text.replace("&#39;", "'"), sentence
    english = client.get("/accessibility", headers={"accept-language": "en"})
    assert "<h1>Accessibility statement</h1>" in english.text
    assert f"{figures['visits']} page visits" in english.text
    # Linked at the foot of every page.
    assert '<a href="/accessibility">Toegankelijkheid</a>' in client.get("/login").text


@pytest.mark.once
def test_the_statement_names_its_days_and_whom_to_tell(client):
    """Both days are set by hand (never today's: the page says the same every day); the names
    of the administrators only to someone signed in."""
    tested_on = dt.date.fromisoformat(json.loads(FIGURES.read_text())["tested_on"])
    anyone = client.get("/accessibility").text
    assert f"We schreven deze verklaring op {format_date(DRAWN_UP, 'd MMMM y', 'nl')}." in anyone
    assert f"uit de test van {format_date(tested_on, 'd MMMM y', 'nl')}." in anyone
    assert "een zorg doorgeven zonder je naam" in anyone  # the keyboard walk of a quiet concern
    assert "een beheerder van" in anyone and "Sam (beheer)" not in anyone
    member = login(client, "anouk").get("/accessibility").text
    assert "De beheerder van " in member and ": Sam (beheer)." in member
    assert "Idee of probleem melden" in member
