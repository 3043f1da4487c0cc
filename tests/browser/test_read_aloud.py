"""Lees voor: the browser's own speech reads the proposal, the stance answers, the home page and
my path aloud, in the page's language with a voice of that language where there is one; a
browser without voices says so in words; without JavaScript there is no button at all.

The first test replaces the browser's speech by a recording stand-in, so it sees what would be
said, in which language, with which voice, and what happens without any voice. The second uses
chromium's real speech: Debian's chromium speaks through speech-dispatcher (with
--enable-speech-dispatcher), here with espeak-ng's Dutch voice into ALSA's null device (no sound
card needed); it skips when speech-dispatcher with espeak-ng is not installed, except under
CI=true (.ci/run installs it). docs/accessibility.md says why it is set up this way."""

import glob
import os
import shutil
import subprocess
import tempfile
import time

import pytest

from models.db import database
from models.meetings import Proposal
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, check_axe, sign_in
from tests.browser.test_stance_icons import arrange

# A stand-in for the browser's speech (speechSynthesis and its utterances): its voices are
# window.__voices; what it is asked to say is kept in window.__spoken; with window.__fails set,
# the utterance fails with that error (as a browser's speech may, after it started).
FAKE_SPEECH = """
window.SpeechSynthesisUtterance = function (text) { this.text = text; };
window.__voices = [
  {name: "English", lang: "en-GB", default: true, localService: true},
  // Listed first, of the right language, but online (Chrome's "Google Nederlands" sends the
  // text to Google): the voice on the device is chosen over it.
  {name: "Google Nederlands", lang: "nl-NL", default: false, localService: false},
  {name: "Nederlands", lang: "nl-NL", default: false, localService: true},
];
window.__spoken = [];
Object.defineProperty(window, "speechSynthesis", {value: {
  speaking: false,
  getVoices: () => window.__voices,
  speak: (u) => {
    window.__spoken.push({text: u.text, lang: u.lang, voice: u.voice && u.voice.name});
    if (window.__fails) setTimeout(() => u.onerror({error: window.__fails}), 0);
  },
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

    # A reading that breaks off says so too; one stopped on purpose does not.
    page.evaluate("window.__voices = [{name: 'Nederlands', lang: 'nl-NL', localService: true}]")
    read = page.get_by_role("button", name="Lees voor", exact=True)
    page.evaluate("window.__fails = 'interrupted'")
    read.click()
    page.evaluate("() => new Promise((done) => setTimeout(done, 0))")  # after the failure
    assert read.get_attribute("aria-pressed") is None
    assert page.locator("#proposal-text-read-status").inner_text() == ""
    page.evaluate("window.__fails = 'synthesis-failed'")
    read.click()
    page.locator("#proposal-text-read-status", has_text="gestopt").wait_for()
    assert read.get_attribute("aria-pressed") is None

    page.goto(f"{base}/my-path")
    page.get_by_role("button", name="Lees voor", exact=True).click()
    spoken = page.evaluate("window.__spoken")[-1]
    assert spoken["lang"] == "nl-NL" and "Mijn pad" in spoken["text"]

    # A proposal between meetings (the demo's, seeds/between.py) reads aloud the same way.
    with database.connection_context():
        between = Proposal.get(Proposal.text.startswith("We kopen een nieuwe printer")).id
    page.goto(f"{base}/proposals/{between}")
    page.get_by_role("button", name="Lees voor", exact=True).click()
    page.get_by_role("button", name="Lees de antwoorden voor").click()
    text, answers = page.evaluate("window.__spoken")
    assert text["text"].startswith("We kopen een nieuwe printer")
    assert "Ik ben voor" in answers["text"] and "Lees" not in answers["text"]

    # In English the page is read in English, with an English voice.
    page.goto(f"{base}/proposals/{proposal_id}")
    with page.expect_navigation():
        page.click("footer button[value=en]")
    page.get_by_role("button", name="Read aloud", exact=True).click()
    page.get_by_role("button", name="Read the answers aloud").click()
    proposal, answers = page.evaluate("window.__spoken")[-2:]
    assert proposal == {"text": "Bank", "lang": "en", "voice": "English"}
    assert "I agree" in answers["text"] and answers["lang"] == "en"


SPEECHD_MODULE = "/usr/lib/speech-dispatcher-modules/sd_espeak-ng"

# speech-dispatcher's own configuration for the test: only espeak-ng, sound to ALSA's "null"
# device. Debian's default sends it to PulseAudio, which a test machine does not run: then the
# utterance starts and never ends.
SPEECHD_CONF = """AudioOutputMethod "alsa"
AudioALSADevice "null"
AddModule "espeak-ng" "sd_espeak-ng" "espeak-ng.conf"
DefaultModule espeak-ng
"""

# Keeps what the page asks the real speech to say (language, the voice's language) and the
# events the real utterance fires; the speaking itself is the browser's.
HEARD = """
window.__heard = [];
window.__ended = new Promise((resolve) => { window.__end = resolve; });
const realSpeak = SpeechSynthesis.prototype.speak;
SpeechSynthesis.prototype.speak = function (utterance) {
  const heard = {lang: utterance.lang, voice: utterance.voice && utterance.voice.lang, events: []};
  window.__heard.push(heard);
  for (const name of ["start", "end", "error"]) {
    utterance.addEventListener(name, (event) => {
      heard.events.push(event.error || name);
      if (name !== "start") window.__end();
    });
  }
  return realSpeak.call(this, utterance);
};
"""

# Waits (at most 10 s) for a Dutch voice in chromium's list. (page.wait_for_function would
# evaluate a string in the page, which the page's Content-Security-Policy forbids.)
DUTCH_VOICE = """() => new Promise((resolve) => {
  const dutch = () => speechSynthesis.getVoices().some((v) => v.lang.startsWith("nl"));
  if (dutch()) resolve(true);
  speechSynthesis.addEventListener("voiceschanged", () => dutch() && resolve(true));
  setTimeout(() => resolve(dutch()), 10000);
})"""

# Waits (at most 10 s) for the utterance's end (or error).
ENDED = "() => Promise.race([window.__ended, new Promise((r) => setTimeout(r, 10000))])"


def no_voice(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true requires it: .ci/run installs it)")
    pytest.skip(f"{reason} (apt-get install speech-dispatcher speech-dispatcher-espeak-ng)")


@pytest.fixture
def voiced_browser(browser):
    """A chromium that speaks: its own speech-dispatcher (espeak-ng, sound to nowhere) on a
    socket of its own, so a desktop's running speech-dispatcher is neither used nor disturbed."""
    speechd = shutil.which("speech-dispatcher")
    if not speechd or not os.path.exists(SPEECHD_MODULE):
        no_voice("no speech-dispatcher with espeak-ng on this machine: chromium has no voice")
    # A short directory: a unix socket's path is at most 107 bytes.
    home = tempfile.mkdtemp(prefix="tafel-speechd-")
    os.mkdir(os.path.join(home, "modules"))
    with open(os.path.join(home, "speechd.conf"), "w") as conf:
        conf.write(SPEECHD_CONF)
    open(os.path.join(home, "modules", "espeak-ng.conf"), "w").close()
    socket_path = os.path.join(home, "speechd.sock")
    env = dict(os.environ)
    # espeak-ng offers every language in ~100 variants (13,000 voices, 1.5-2 s for chromium to
    # list): its data without the variants (ESPEAK_DATA_PATH) leaves one voice a language.
    data = next(iter(glob.glob("/usr/lib/*/espeak-ng-data")), None)
    if data:
        os.mkdir(os.path.join(home, "espeak-ng-data"))
        for name in os.listdir(data):
            if name != "voices":
                os.symlink(os.path.join(data, name), os.path.join(home, "espeak-ng-data", name))
        env["ESPEAK_DATA_PATH"] = home
    # Flags, not a user's ~/.config: --run-single stays in front (ended below), --timeout 0
    # never quits by itself, its own pid file and log directory.
    server = subprocess.Popen(
        [speechd, "--run-single", "--timeout", "0", "--config-dir", home,
         "--communication-method", "unix_socket", "--socket-path", socket_path,
         "--pid-file", os.path.join(home, "pid"), "--log-dir", home, "--log-level", "1"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
    )  # fmt: skip
    chromium = None
    try:
        deadline = time.time() + 10
        while not os.path.exists(socket_path):
            if server.poll() is not None or time.time() > deadline:
                no_voice(f"speech-dispatcher did not start (exit code {server.poll()})")
            time.sleep(0.02)
        chromium = browser.browser_type.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[*CHROMIUM_ARGS, "--enable-speech-dispatcher"],
            env={**os.environ, "SPEECHD_ADDRESS": f"unix_socket:{socket_path}"},
        )
        yield chromium
    finally:
        if chromium is not None:
            chromium.close()
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(home, ignore_errors=True)


def test_read_aloud_with_the_real_dutch_voice(live_server, voiced_browser):
    context = voiced_browser.new_context(viewport={"width": 320, "height": 800}, locale="nl-NL")
    context.add_init_script(HEARD)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{live_server}/accessibility")
    # The page's script asks for the voices on load; chromium gets them from speech-dispatcher.
    if not page.evaluate(DUTCH_VOICE):
        no_voice("chromium lists no Dutch voice from speech-dispatcher")
    # Only the heading and the first sentence stay: espeak-ng then speaks in a fraction of a
    # second instead of seconds for the whole statement.
    page.evaluate("""() => document.querySelectorAll('#main > :not(h1, .read-aloud-line, .lead)')
        .forEach((part) => part.remove())""")
    button = page.get_by_role("button", name="Lees voor", exact=True)
    button.click()
    page.evaluate(ENDED)
    # The page asked in Dutch with a Dutch voice, and the browser really spoke: start, then end.
    assert page.evaluate("window.__heard") == [
        {"lang": "nl-NL", "voice": "nl", "events": ["start", "end"]}
    ]
    assert button.get_attribute("aria-pressed") is None
    assert page.locator("#main-read-status").inner_text() == ""
