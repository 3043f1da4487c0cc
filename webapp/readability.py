"""How hard Tafel's Dutch is to read, per screen: sentence length, long words and the
Flesch-Douma reading ease, measured over the Dutch catalogs (translations/nl/LC_MESSAGES).

A screen is the file a message is first used in, as the template translations/tafel.pot
lists it (templates/meetings/proposal.html, webapp/budget/claims.py …); a text used on several
screens counts for the first. `python -m webapp.readability` prints the table;
tests/core/test_readability.py holds today's texts to the limits below, so a new text that is
much harder to read than what we have is noticed (docs/accessibility.md).

Flesch-Douma (Douma 1960, Flesch's formula for Dutch): 206.835 − 0.93 × words per sentence −
77 × syllables per word. 60-70 reads as plain language for most adults, 80 and more as easy.
Syllables are counted as groups of vowels (Dutch spelling writes one vowel sound as one
group: "aa", "ie", "oe", "eu", "ij", "ui"; a diaeresis starts a new one: "ruïne"), which is
close enough for a measure over many texts.
"""

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.pofile import read_po

from webapp.settings import ROOT

# The limits today's texts meet (with a little room), checked by tests/core/test_readability.py.
# Today (December 2026): all screens 80.2; the hardest screen 41.4 (webapp/core/words.py, the
# names of steering types and ladder levels); at most 13.7 words per sentence on a screen and
# 14.9% long words (vacancies); the longest sentence 27 words.
MIN_EASE = 75.0  # Flesch-Douma of every Dutch text together
MIN_SCREEN_EASE = 38.0  # Flesch-Douma of each screen's texts together
MAX_SCREEN_SENTENCE = 15.0  # average words per sentence on a screen
MAX_SCREEN_LONG_WORDS = 0.16  # share of words of four or more syllables on a screen
MAX_SENTENCE_WORDS = 30  # one sentence anywhere
MIN_WORDS = 40  # a screen with fewer words is measured but not held to the screen limits

LONG_WORD_SYLLABLES = 4

PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|%[sd]|\{\w+\}")
WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
SENTENCE_END = re.compile(r"[.!?:;]+(?:\s|$)|\n")
VOWELS = re.compile(r"[aeiouyáàâéèêíìîóòôúùû]+|[ëïöü][aeiouy]*", re.IGNORECASE)


def syllables(word: str) -> int:
    """The syllables of a Dutch word, counted as its groups of vowels (at least one)."""
    return max(1, len(VOWELS.findall(word)))


def sentences(text: str) -> list[list[str]]:
    """The sentences of a text, each as its words; a placeholder (a name, a date, a number)
    counts as one short word."""
    text = PLACEHOLDER.sub("X", text.replace("%%", "%"))
    parts = [WORD.findall(part) for part in SENTENCE_END.split(text)]
    return [words for words in parts if words]


@dataclass
class Measure:
    """The texts of one screen (or of everything) added up."""

    name: str
    words: int = 0
    sentences: int = 0
    syllables: int = 0
    long_words: int = 0
    longest: tuple[int, str] = (0, "")
    texts: list[str] = field(default_factory=list, repr=False)

    def add(self, text: str) -> None:
        self.texts.append(text)
        for sentence in sentences(text):
            self.sentences += 1
            self.words += len(sentence)
            counts = [syllables(word) for word in sentence]
            self.syllables += sum(counts)
            self.long_words += sum(1 for count in counts if count >= LONG_WORD_SYLLABLES)
            if len(sentence) > self.longest[0]:
                self.longest = (len(sentence), " ".join(sentence))

    @property
    def words_per_sentence(self) -> float:
        return self.words / self.sentences if self.sentences else 0.0

    @property
    def long_share(self) -> float:
        return self.long_words / self.words if self.words else 0.0

    @property
    def ease(self) -> float:
        """Flesch-Douma reading ease (higher is easier)."""
        if not self.words:
            return 100.0
        return 206.835 - 0.93 * self.words_per_sentence - 77 * self.syllables / self.words


def screens_of_messages(pot: Path) -> dict[str, str]:
    """Each English message id and the file it is first used in."""
    with pot.open("rb") as handle:
        catalog = read_po(handle)
    return {
        _key(message.id): message.locations[0][0]
        for message in catalog
        if message.id and message.locations
    }


def dutch_texts(folder: Path) -> dict[str, list[str]]:
    """Each message id and its Dutch text (both forms of a plural)."""
    texts: dict[str, list[str]] = {}
    for path in sorted(folder.glob("*.po")):
        with path.open("rb") as handle:
            catalog = read_po(handle)
        for message in catalog:
            if not message.id or message.fuzzy:
                continue
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            texts[_key(message.id)] = [text for text in strings if text]
    return texts


def _key(message_id) -> str:
    return message_id[0] if isinstance(message_id, tuple) else message_id


def measure(root: Path = ROOT) -> tuple[Measure, dict[str, Measure]]:
    """Everything together, and each screen."""
    where = screens_of_messages(root / "translations" / "tafel.pot")
    total = Measure("all screens")
    screens: dict[str, Measure] = {}
    for key, texts in dutch_texts(root / "translations" / "nl" / "LC_MESSAGES").items():
        screen = where.get(key, "(not in the template)")
        for text in texts:
            screens.setdefault(screen, Measure(screen)).add(text)
            total.add(text)
    return total, dict(sorted(screens.items()))


def report(total: Measure, screens: dict[str, Measure]) -> str:
    """A table: per screen the words, words per sentence, long words and the ease."""
    lines = [
        f"{'screen':<48} {'words':>6} {'w/sent':>6} {'long':>6} {'ease':>6}",
    ]
    for m in [*screens.values(), total]:
        lines.append(
            f"{m.name:<48} {m.words:>6} {m.words_per_sentence:>6.1f} "
            f"{m.long_share:>6.1%} {m.ease:>6.1f}"
        )
    lines.append(f"longest sentence: {total.longest[0]} words: {total.longest[1]}")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.stdout.write(report(*measure()) + "\n")
