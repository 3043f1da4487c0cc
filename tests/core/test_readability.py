"""Plain words, measured: the Dutch catalogs stay as easy to read as they are today (issue 26,
point 4; webapp/readability.py). A new text that is much harder (long sentences, long words)
fails here with the table of every screen, so it is noticed and rewritten."""

import pytest

from webapp import readability
from webapp.readability import Measure, sentences, syllables


@pytest.mark.once
def test_the_dutch_texts_stay_plain():
    total, screens = readability.measure()
    table = readability.report(total, screens)
    assert total.words > 5000, table
    problems = []
    if total.ease < readability.MIN_EASE:
        problems.append(f"all screens: reading ease {total.ease:.1f}")
    if total.longest[0] > readability.MAX_SENTENCE_WORDS:
        problems.append(f"a sentence of {total.longest[0]} words: {total.longest[1]}")
    for m in screens.values():
        if m.words < readability.MIN_WORDS:
            continue
        if m.ease < readability.MIN_SCREEN_EASE:
            problems.append(f"{m.name}: reading ease {m.ease:.1f}")
        if m.words_per_sentence > readability.MAX_SCREEN_SENTENCE:
            problems.append(f"{m.name}: {m.words_per_sentence:.1f} words per sentence")
        if m.long_share > readability.MAX_SCREEN_LONG_WORDS:
            problems.append(f"{m.name}: {m.long_share:.1%} long words")
    assert not problems, "\n".join(problems) + "\n\n" + table


@pytest.mark.once
def test_the_measure_counts_dutch_syllables_and_sentences():
    assert [syllables(w) for w in ("vergadering", "ijs", "ruïne", "voorstel", "a")] == [
        4,
        1,
        3,
        2,
        1,
    ]
    assert sentences("Hallo %(name)s. Wil je voorzitter zijn? Ja!") == [
        ["Hallo", "X"],
        ["Wil", "je", "voorzitter", "zijn"],
        ["Ja"],
    ]
    easy, hard = Measure("easy"), Measure("hard")
    easy.add("Wij gaan naar huis. Het is laat.")
    hard.add(
        "De representativiteitsberekening van de organisatiebrede participatiestructuur wordt "
        "na goedkeuring door de coördinatoren geactualiseerd en gepubliceerd."
    )
    assert easy.ease > 90 > 10 > hard.ease
    assert hard.long_share > 0.3 and easy.long_share == 0
