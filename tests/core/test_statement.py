"""The accessibility statement (/accessibility) shows the figures the every-page browser test
wrote (webapp/accessibility_figures.json), to everyone, in Dutch and in English."""

import json

import pytest

from webapp.core.statement import FIGURES


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
