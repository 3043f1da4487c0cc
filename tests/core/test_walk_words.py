"""Words the walk stumbled on (issue 22, section 3): each place on its page, and the Dutch
catalogues checked for the words docs/words.md replaces."""

import glob
import re

from models.budget.summary import Totals
from models.people import Membership, RoleStep
from tests.people.conftest import person_id
from webapp.budget.words import line_sentence
from webapp.i18n import current_language, load_catalogs
from webapp.templating import show_money

CATALOGUES = sorted(glob.glob("translations/nl/LC_MESSAGES/*.po"))


def dutch_texts() -> str:
    """Every Dutch msgstr of the catalogues, as one text."""
    texts = []
    for path in CATALOGUES:
        with open(path, encoding="utf-8") as po:
            texts += re.findall(r'^msgstr(?:\[\d\])? "(.*)"$', po.read(), flags=re.M)
    return "\n".join(texts)


def test_the_dutch_catalogues_use_the_words_of_docs_words_md():
    # A Dutch members.csv names its column "cliëntachtergrond" (docs/data-exchange.md): the
    # column's name may be written, the word may not be used in a sentence.
    text = dutch_texts().casefold().replace("kolom cliëntachtergrond", "kolom …")
    for word in ("runnen", "cliëntachtergrond", "signaal", "signalen", "€ -"):
        assert word not in text, word


def in_dutch(make):
    load_catalogs()
    token = current_language.set("nl")
    try:
        return make()
    finally:
        current_language.reset(token)


def test_a_minus_amount_reads_as_dutch_writes_it_and_more_in_is_said_plainly():
    assert in_dutch(lambda: show_money(-1249)) == "-€\xa012,49"
    assert in_dutch(lambda: show_money(1249)) == "€\xa012,49"
    more_in = Totals(planned=120_000, spent=0, received=2_000)
    sentence = in_dutch(lambda: line_sentence("Koffie", more_in))
    assert sentence == (
        "Voor Koffie kwam meer binnen dan er werd uitgegeven: er is €\xa01.220,00 over, "
        "€\xa020,00 meer dan de €\xa01.200,00 die gepland was."
    )
    assert "over van" not in sentence


def test_the_new_project_form_explains_each_steering_choice_in_one_line(as_viewer, db):
    page = as_viewer("coordinator").get("/projects/new")
    assert page.status_code == 200
    for line in (
        "Cliëntinitiatief: Het idee kwam van cliënten. Medewerkers leiden het project.",
        "Cliëntgestuurd: Het idee kwam van cliënten. Ze leiden het project ook zelf.",
        "Samengestuurd: Cliënten en professionals leiden het project samen.",
    ):
        assert line in page.text, line


def test_a_step_s_you_words_show_only_on_the_person_s_own_page(as_viewer, db):
    """ "Je helpt mee en hebt vaste taken." speaks to the person: a coordinator looking at
    someone else's page does not read it as if it were about themselves."""
    anouk = person_id("Anouk B.")
    steps = {
        m.step.description
        for m in Membership.select(Membership, RoleStep)
        .join(RoleStep)
        .where(Membership.person == anouk)
    }
    own = as_viewer("member").get("/my-path").text
    other = as_viewer("coordinator").get(f"/people/{anouk}").text
    shown = [d for d in steps if d]  # the demo's steps: the default Dutch descriptions
    assert shown and any(d.startswith("Je ") for d in shown)
    assert any(d in own for d in shown)
    assert not any(d in other for d in shown)
