"""Lees voor: the browser's own speech reads the proposal, the stance answers, the home page and
my path aloud, in the page's language with a voice of that language where there is one; a
browser without voices says so in words; without JavaScript there is no button at all.

The browser's speech is replaced by a recording stand-in (the test machine's chromium has no
voices), so the test sees what would be said, in which language, with which voice."""

from tests.browser.conftest import check_axe, sign_in
from tests.browser.test_stance_icons import arrange

# A stand-in for the browser's speech (speechSynthesis and its utterances): its voices are
# window.__voices; what it is asked to say is kept in window.__spoken.
FAKE_SPEECH = """
window.SpeechSynthesisUtterance = function (text) { this.text = text; };
window.__voices = [
  {name: "English", lang: "en-GB", default: true},
  {name: "Nederlands", lang: "nl-NL", default: false},
];
window.__spoken = [];
Object.defineProperty(window, "speechSynthesis", {value: {
  speaking: false,
  getVoices: () => window.__voices,
  speak: (u) => window.__spoken.push({text: u.text, lang: u.lang, voice: u.voice && u.voice.name}),
  cancel: () => {},
}});
"""


def test_read_aloud_speaks_dutch_and_says_so_without_a_voice(live_server, browser_page):
    proposal_id = arrange()
    base = live_server

    plain = browser_page(320, javascript=False)
    sign_in(plain, base, "anouk")
    plain.goto(f"{base}/proposals/{proposal_id}")
    assert plain.locator("button.read-aloud").count() == 2
    assert plain.locator("button.read-aloud:visible").count() == 0

    page = browser_page(320)
    page.context.add_init_script(FAKE_SPEECH)
    sign_in(page, base, "anouk")
    read = page.get_by_role("button", name="Lees voor", exact=True)
    assert read.count() == 1 and read.is_visible()
    page.goto(f"{base}/proposals/{proposal_id}")
    page.get_by_role("button", name="Lees voor", exact=True).click()
    page.get_by_role("button", name="Lees de antwoorden voor").click()
    proposal, answers = page.evaluate("window.__spoken")
    assert proposal == {"text": "Bank", "lang": "nl-NL", "voice": "Nederlands"}
    assert "Ik ben voor" in answers["text"] and "Ik sta opzij" in answers["text"]
    assert "Lees" not in answers["text"]
    check_axe(page)

    # A browser without any voice says so beside the button.
    page.evaluate("window.__voices = []")
    page.get_by_role("button", name="Lees voor", exact=True).click()
    # (after waiting a second for the browser's list of voices)
    page.locator("#proposal-text-read-status", has_text="geen stem").wait_for()
    assert len(page.evaluate("window.__spoken")) == 2

    page.goto(f"{base}/my-path")
    page.get_by_role("button", name="Lees voor", exact=True).click()
    spoken = page.evaluate("window.__spoken")[-1]
    assert spoken["lang"] == "nl-NL" and "Mijn pad" in spoken["text"]
