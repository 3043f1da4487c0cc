"""The pictograms (issue 26, point 2; templates/_pictos.html): every one used is drawn, every
claim kind has one, and on the named screens they stand beside their words, hidden from
screen readers (the word is the label)."""

import re

import pytest

from models.budget.tables import CLAIM_KINDS
from tests.meetings.conftest import next_planned
from webapp.settings import ROOT

TEMPLATES = ROOT / "templates"
PICTOS = (TEMPLATES / "_pictos.html").read_text()
DRAWN = set(re.findall(r'^\s+"(\w+)": \'<', PICTOS, re.M))
HIDDEN_PICTO = re.compile(
    r'<svg class="icon picto picto-(\w+)"[^>]*aria-hidden="true" focusable="false"'
)


@pytest.mark.once
def test_every_pictogram_used_is_drawn_and_every_claim_kind_has_one():
    used = set()
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text()
        used |= set(re.findall(r'picto\("(\w+)"\)', text))
        used |= set(re.findall(r'item\(.*, "(\w+)"\) }}', text))  # the main menu's items
    kinds = dict(re.findall(r'"(\w+)": "(\w+)"', PICTOS.split("CLAIM_KIND_PICTOS")[1]))
    assert set(kinds) == set(CLAIM_KINDS)
    used |= set(kinds.values())
    assert used and not used - DRAWN, f"not drawn: {used - DRAWN}"
    assert not DRAWN - used, f"drawn but used nowhere: {DRAWN - used}"


@pytest.mark.once
def test_the_named_screens_show_pictograms_beside_their_words(as_viewer, db):
    member = as_viewer("member")
    meeting = next_planned().id
    expected = {
        "/": {"home", "projects", "actions", "path", "budget", "representation", "account"},
        "/budget": {"planned", "spent", "received", "left"},
        "/budget/claims": {"train", "car", "printer", "phone", "child", "other"},
        f"/meetings/{meeting}": {"agenda"},
    }
    for url, names in expected.items():
        html = member.get(url).text
        shown = set(HIDDEN_PICTO.findall(html))
        assert names <= shown, (url, names - shown)
        # Never instead of the words: each is followed by text in the same element.
        assert not re.search(r'<svg class="icon picto[^>]*>.*?</svg>\s*</', html), url
