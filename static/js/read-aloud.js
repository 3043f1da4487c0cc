// "Lees voor": reads a part of the page aloud with the browser's own speech (speechSynthesis).
// Each button's line is in the page with the `hidden` attribute, so without JavaScript there is no
// button at all; this file shows them. The language is always set (the page's lang); a voice
// of that language is chosen where the browser has one. Without any voice the button says so
// in the line beside it, in words, instead of doing nothing; so does a reading that breaks off.
(function () {
  "use strict";
  var speech = window.speechSynthesis;

  // A voice on the device comes before one of the same language that works through an online
  // service (Chrome's "Google" voices send the text read to Google): the page's text stays on
  // the phone wherever the phone itself can speak the language (docs/accessibility.md).
  function voiceFor(lang) {
    var voices = speech ? speech.getVoices() : [];
    var base = lang.split("-")[0].toLowerCase();
    var best = null;
    var bestRank = 0;
    for (var i = 0; i < voices.length; i++) {
      var code = (voices[i].lang || "").replace("_", "-").toLowerCase();
      var rank = code === lang.toLowerCase() ? 2 : code.split("-")[0] === base ? 1 : 0;
      if (!rank) continue;
      if (voices[i].localService !== false) rank += 2;
      if (rank > bestRank) {
        best = voices[i];
        bestRank = rank;
      }
    }
    return { voice: best, any: voices.length > 0 };
  }

  function say(status, text) {
    status.textContent = text;
  }

  function readAloud(button, waited) {
    var status = document.getElementById(button.getAttribute("aria-describedby"));
    var target = document.getElementById(button.getAttribute("data-read"));
    if (!target) return;
    if (!speech || typeof window.SpeechSynthesisUtterance !== "function") {
      say(status, button.getAttribute("data-no-speech"));
      return;
    }
    if (speech.speaking) {
      speech.cancel();
      say(status, "");
      return;
    }
    var lang = document.documentElement.lang === "nl" ? "nl-NL" : (document.documentElement.lang || "nl");
    var found = voiceFor(lang);
    if (!found.any && !waited) {
      // Chromium lists its voices a moment after it is first asked: wait for them (once).
      var again = function () {
        speech.onvoiceschanged = null;
        clearTimeout(timer);
        readAloud(button, true);
      };
      var timer = setTimeout(again, 1000);
      speech.onvoiceschanged = again;
      return;
    }
    if (!found.any) {
      say(status, button.getAttribute("data-no-speech"));
      return;
    }
    var text = target.innerText;
    // The read-aloud buttons' own lines are not part of the text.
    var lines = target.querySelectorAll(".read-aloud-line");
    for (var i = 0; i < lines.length; i++) text = text.replace(lines[i].innerText, " ");
    var utterance = new window.SpeechSynthesisUtterance(text);
    utterance.lang = lang;
    if (found.voice) utterance.voice = found.voice;
    say(status, found.voice ? "" : button.getAttribute("data-no-voice"));
    utterance.rate = 0.9;
    utterance.onend = function () { button.removeAttribute("aria-pressed"); };
    utterance.onerror = function (event) {
      button.removeAttribute("aria-pressed");
      // Stopped on purpose (the button pressed again, or another reading started): no problem.
      if (event && (event.error === "interrupted" || event.error === "canceled")) return;
      say(status, button.getAttribute("data-speech-error"));
    };
    button.setAttribute("aria-pressed", "true");
    speech.speak(utterance);
  }

  function start() {
    var buttons = document.querySelectorAll("button.read-aloud[data-read]");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].parentNode.hidden = false;
      buttons[i].addEventListener("click", function (event) {
        readAloud(event.currentTarget, false);
      });
    }
    // Chromium fills its list of voices a moment after the page loads: asking starts it.
    if (speech) speech.getVoices();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
