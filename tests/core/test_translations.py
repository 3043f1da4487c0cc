"""Every text on the screen has a Dutch translation (Dutch is the default language), the
template for translators is up to date, and a new language can be added from it."""

import shutil

import pytest
from babel.messages.pofile import read_po, write_po
from starlette.testclient import TestClient

from tests.conftest import post
from webapp import i18n
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
    seen, clashes = {}, []
    for path in sorted((i18n.TRANSLATIONS / "nl" / "LC_MESSAGES").glob("*.po")):
        with open(path, "rb") as fh:
            for message in read_po(fh, locale="nl"):
                if not message.id:
                    continue
                if message.id in seen and seen[message.id][1] != message.string:
                    clashes.append(f"{message.id!r}: {seen[message.id]} vs {path.stem}")
                seen.setdefault(message.id, (path.stem, message.string))
    assert not clashes, "\n".join(clashes)


def test_the_template_for_translators_holds_every_message_of_the_code():
    def ids(catalog):
        return {(message.id, message.context) for message in catalog if message.id}

    committed, fresh = ids(i18n.read_template()), ids(i18n.extract_template())
    # key=str: a message with a plural has a tuple for its id.
    new, gone = sorted(fresh - committed, key=str), sorted(committed - fresh, key=str)
    assert committed == fresh, (
        "translations/tafel.pot is out of date: run `make pot` and commit it "
        f"(new: {new[:5]}, gone: {gone[:5]})"
    )


@pytest.fixture
def translations(tmp_path, monkeypatch):
    """A copy of the translations folder (Dutch and the template) the test may add to; the
    app's catalogs are read again from the real folder afterwards."""
    folder = tmp_path / "translations"
    shutil.copytree(i18n.TRANSLATIONS, folder, ignore=shutil.ignore_patterns("*.mo"))
    monkeypatch.setattr(i18n, "TRANSLATIONS", folder)
    yield folder
    monkeypatch.undo()
    load_catalogs()


def test_a_language_added_from_the_template_can_be_chosen_and_falls_back_to_english(
    translations, db_url, data_dir
):
    from webapp.app import create_app

    path = translations / i18n.add_language("fy")
    with open(path, "rb") as fh:
        catalog = read_po(fh, locale="fy")
    strings = [m.string if isinstance(m.string, tuple) else (m.string,) for m in catalog if m.id]
    assert len(strings) > 500 and not any(s for plural in strings for s in plural)
    catalog["Log in"].string = "Oanmelde"
    with open(path, "wb") as fh:
        write_po(fh, catalog)
    i18n.compile_catalogs()

    with TestClient(create_app(db_url)) as client:
        page = client.get("/login").text
        assert "Inloggen" in page  # Dutch stays the default
        assert '<button type="submit" name="language" value="fy" lang="fy">Frysk</button>' in page
        post(client, "/language", {"language": "fy", "next": "/login"})
        page = client.get("/login").text
        assert '<html lang="fy">' in page
        assert "Oanmelde" in page
        assert "Username" in page and "Gebruikersnaam" not in page  # untranslated: English
        assert 'value="nl" lang="nl">Nederlands</button>' in page
        assert 'value="en" lang="en">English</button>' in page


def test_a_language_code_babel_does_not_know_is_refused(translations):
    with pytest.raises(ValueError):
        i18n.add_language("xx")
    with pytest.raises(ValueError):
        i18n.add_language("nl")


def test_update_puts_a_new_message_in_its_areas_dutch_catalog_and_in_each_language(
    translations,
):
    i18n.add_language("de")
    meetings_po = translations / "nl" / "LC_MESSAGES" / "meetings.po"
    with open(meetings_po, "rb") as fh:
        meetings = read_po(fh, locale="nl")
    first_used = i18n.extract_messages()
    new = next(
        m.id
        for m in meetings
        if isinstance(m.id, str) and first_used.get(m.id, "").startswith("templates/meetings/")
    )
    meetings.delete(new)  # as if a developer had just written it
    with open(meetings_po, "wb") as fh:
        write_po(fh, meetings)

    i18n.update_catalogs()

    with open(meetings_po, "rb") as fh:
        message = read_po(fh, locale="nl")[new]
    assert message.string == "" or message.fuzzy  # empty, or Babel's guess to check
    assert new in untranslated("nl")
    with open(translations / "de" / "LC_MESSAGES" / "tafel.po", "rb") as fh:
        assert new in read_po(fh, locale="de")


def test_the_first_visit_speaks_the_browsers_language_and_a_choice_wins_after(client):
    """Accept-Language picks Dutch or English on a first visit; the person's own choice (the
    language switch) wins after that, whatever the browser says."""
    english = {"Accept-Language": "en-GB,en;q=0.9,nl;q=0.3"}
    assert '<html lang="en">' in client.get("/login", headers=english).text
    assert '<html lang="nl">' in client.get("/login").text  # no header: Dutch
    flemish = {"Accept-Language": "fr-BE, nl-BE;q=0.8"}
    assert '<html lang="nl">' in client.get("/login", headers=flemish).text
    assert '<html lang="nl">' in client.get("/login", headers={"Accept-Language": "x;q=z"}).text
    post(client, "/language", {"language": "nl", "next": "/login"})
    assert '<html lang="nl">' in client.get("/login", headers=english).text
