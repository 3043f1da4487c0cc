"""Every text on the screen has a Dutch translation (Dutch is the default language)."""

from webapp.i18n import current_language, gettext, load_catalogs, untranslated


def test_every_message_has_a_dutch_translation():
    missing = untranslated("nl")
    assert not missing, "\n".join(f"{where}: {msg}" for msg, where in sorted(missing.items()))


def test_dutch_is_the_default_and_english_is_the_source():
    load_catalogs()
    assert gettext("Log in") == "Inloggen"
    token = current_language.set("en")
    try:
        assert gettext("Log in") == "Log in"
    finally:
        current_language.reset(token)
