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


def test_no_text_is_translated_two_ways_in_two_catalogs():
    from babel.messages.pofile import read_po

    from webapp.i18n import TRANSLATIONS

    seen, clashes = {}, []
    for path in sorted((TRANSLATIONS / "nl" / "LC_MESSAGES").glob("*.po")):
        with open(path, "rb") as fh:
            for message in read_po(fh, locale="nl"):
                if not message.id:
                    continue
                if message.id in seen and seen[message.id][1] != message.string:
                    clashes.append(f"{message.id!r}: {seen[message.id]} vs {path.stem}")
                seen.setdefault(message.id, (path.stem, message.string))
    assert not clashes, "\n".join(clashes)
