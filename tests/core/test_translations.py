"""Every text on the screen has a Dutch translation (Dutch is the default language), the
template for translators is up to date, and a new language can be added from it."""

import ast
import functools
import importlib
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import PYTHON_FORMAT
from babel.messages.pofile import read_po, write_po
from starlette.testclient import TestClient

from models.rules import csvfile, money
from models.rules.errors import RuleError
from models.words import Text
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


def test_a_template_text_is_the_same_kept_as_from_jinjas_own_gettext():
    """webapp/templating.py keeps `_()` without values: the same Markup as Jinja's newstyle
    gettext gives ("%%" as "%", escaped as text), in each language, and a value still works."""
    from webapp.templating import _jinja_gettext, env

    load_catalogs()
    source = (
        '{{ _("51%% or more") }}|{{ _("Log in") }}|{{ gettext("Log in") }}|'
        '{{ _("Hello %(name)s", name="<b>") }}'
    )
    template = env.from_string(source)
    for language in ("nl", "en", "nl"):
        token = current_language.set(language)
        try:
            kept = template.render()
            env.globals.update(gettext=_jinja_gettext, _=_jinja_gettext)
            try:
                assert env.from_string(source).render() == kept
            finally:
                from webapp.templating import template_gettext

                env.globals.update(gettext=template_gettext, _=template_gettext)
        finally:
            current_language.reset(token)
    token = current_language.set("en")
    try:
        assert template.render() == "51% or more|Log in|Log in|Hello &lt;b&gt;"
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


@functools.cache
def extracted():
    """The template as the code's messages make it now, extracted once for the tests that only
    read it (an extraction reads every source file and template: seconds each)."""
    return i18n.extract_template()


def test_the_template_for_translators_holds_every_message_of_the_code():
    def ids(catalog):
        return {(message.id, message.context) for message in catalog if message.id}

    committed, fresh = ids(i18n.read_template()), ids(extracted())
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


# --- make pot and make update-po (issue 22, section 4) --------------------------------------


def _files(folder) -> dict[str, bytes]:
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.suffix in (".po", ".pot")
    }


def test_make_pot_and_make_update_po_on_a_clean_checkout_change_nothing(translations):
    """What `make pot` and `make update-po` run, on a copy of the translations folder; a
    translator's catalog (tafel.po) of a new language is left alone as well."""
    i18n.add_language("de")
    before = _files(translations)
    assert i18n.main(["extract"]) == 0
    assert i18n.main(["update"]) == 0
    after = _files(translations)
    changed = [name for name in before if after[name] != before[name]]
    assert not changed and after.keys() == before.keys(), f"changed: {changed}"
    assert i18n.update_catalogs() == []


def test_update_po_keeps_every_entry_it_does_not_change_as_it_was_written(translations):
    """The Dutch catalogs are written by hand: update-po leaves the text of an unchanged
    entry as it is (wrapping, a missing flag, no blank line between two entries, comments)
    and in its place; a new message goes after the last entry, one gone from the code to
    the end as obsolete (#~)."""
    budget_po = translations / "nl" / "LC_MESSAGES" / "budget.po"
    text = budget_po.read_text(encoding="utf-8")
    hand = (
        "# Written by hand, wrapped and with no python-format flag.\n"
        'msgid ""\n"Left in %(name)s, "\n"by hand"\n'
        'msgstr "Over in %(name)s, met de hand"\n'
        'msgid "No blank line before me"\n'
        'msgstr "Geen lege regel voor mij"\n\n'
    )
    first = text.index('msgid "Planned"')
    text = text[:first] + hand + text[first:]
    gone = 'msgid "Left"\nmsgstr "Nog over"\n\n'
    assert gone in text
    text = text.replace('msgid "Spent"\nmsgstr "Uitgegeven"\n\n', "")  # "new" in the code
    budget_po.write_text(text, encoding="utf-8")
    template = i18n.read_template()
    for message_id in ("Left in %(name)s, by hand", "No blank line before me"):
        template.add(message_id, locations=[("webapp/budget/words.py", None)])
    template.delete("Left")
    with open(translations / i18n.TEMPLATE, "wb") as fh:
        write_po(fh, template)

    assert "nl/LC_MESSAGES/budget.po" in i18n.update_catalogs()

    updated = budget_po.read_text(encoding="utf-8")
    assert hand in updated  # as it was, in its place
    assert updated.index(hand) < updated.index('msgid "Planned"')
    assert gone not in updated and updated.endswith('#~ msgid "Left"\n#~ msgstr "Nog over"\n')
    assert updated.count('msgid "Spent"\nmsgstr ""\n') == 1
    old, new = _chunks_of_text(text), _chunks_of_text(updated)
    untouched = [c for c in old if 'msgid "Left"' not in c]
    last = len(untouched) - 1  # it gets the blank line the new entry needs after it
    assert new[:last] == untouched[:last]  # every other entry byte for byte
    assert new[last] == untouched[last].rstrip("\n") + "\n\n"
    assert 'msgid "Spent"' in new[last + 1]
    assert i18n.update_catalogs() == []  # and a second run changes nothing


def _chunks_of_text(text):
    return i18n.PoFile.chunks(text)


def _msgfmt():
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        message = "GNU gettext's msgfmt is missing (apt-get install gettext)"
        if os.environ.get("CI") == "true":
            pytest.fail(message + " (CI=true requires it)")
        pytest.skip(message)
    return msgfmt


def test_msgfmt_check_passes_on_every_catalog_and_the_template(translations):
    """GNU msgfmt -c (format strings of every kind, plural forms, the header) on every
    catalog, the template and a new language's catalog with a translation in it; Babel's
    own checks too (they also run where gettext is not installed)."""
    path = translations / i18n.add_language("de")
    with open(path, "rb") as fh:
        german = read_po(fh, locale="de")
    german[
        "Confirmed that a group falls, or might fall, below 51%."
    ].string = "Bestätigt, dass eine Gruppe unter 51% fällt oder fallen kann."
    with open(path, "wb") as fh:
        write_po(fh, german)
    catalogs = sorted(translations.rglob("*.po")) + [translations / i18n.TEMPLATE]
    assert len(catalogs) >= 7
    for catalog_path in catalogs:
        with open(catalog_path, "rb") as fh:
            language = catalog_path.parent.parent.name if catalog_path.suffix == ".po" else None
            catalog = read_po(fh, locale=language)
        problems = [(m.id, errors) for m, errors in catalog.check()]
        assert not problems, f"{catalog_path.name}: {problems}"
    msgfmt = _msgfmt()
    for catalog_path in catalogs:
        result = subprocess.run(
            [msgfmt, "-c", "-o", os.devnull, str(catalog_path)], capture_output=True, text=True
        )
        assert result.returncode == 0, f"{catalog_path.name}: {result.stderr}"


def test_no_message_looks_like_a_python_format_it_is_not():
    """The code fills in named variables only (%(name)s): a bare % that Python (and so
    Babel and msgfmt) reads as a conversion, like the "% o" of "51% or", makes every
    translation of the message fail msgfmt -c. Write such a sentence another way."""
    bare = []
    for message in extracted():
        for text in message.id if isinstance(message.id, tuple) else (message.id,):
            for found in PYTHON_FORMAT.finditer(text or ""):
                if not found.group(1) and found.group(3) != "%":
                    bare.append(f"{message.locations[0][0]}: {text!r} ({found.group(0)!r})")
    assert not bare, "\n".join(bare)


def test_the_template_holds_the_messages_of_the_models():
    """Models mark a sentence a person reads as models.words.Text: every Text a models
    module defines is in the template, used there (a RuleError's template, a problem in a
    file), and none is a bare string literal handed to a RuleError."""
    template = {message.id: message for message in i18n.read_template() if message.id}
    texts = {}
    for path in sorted((i18n.ROOT / "models").rglob("*.py")):
        module = importlib.import_module(
            ".".join(path.relative_to(i18n.ROOT).with_suffix("").parts).removesuffix(".__init__")
        )
        for name, value in vars(module).items():
            if isinstance(value, Text) and getattr(module, name) is value:
                texts.setdefault(str(value), f"{module.__name__}.{name}")
    assert len(texts) > 50
    assert csvfile.NOT_TEXT in texts and money.AMBIGUOUS in texts
    missing = {where: text for text, where in texts.items() if text not in template}
    assert not missing, missing
    from_models = [
        m for m in template.values() if any(f.startswith("models/") for f, _ in m.locations)
    ]
    assert len(from_models) > 60
    assert "models/budget/ledger.py" in template["An amount of zero cannot be booked."].locations[0]

    def rule_errors(cls):
        return {cls.__name__} | {n for sub in cls.__subclasses__() for n in rule_errors(sub)}

    errors, bare = rule_errors(RuleError), []
    for path in sorted((i18n.ROOT / "models").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", getattr(node.func, "attr", None)) in errors
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                bare.append(f"{path.relative_to(i18n.ROOT)}:{node.lineno}")
    assert not bare, f"write the sentence as Text('…') so it is translated: {bare}"


def test_plain_pybabel_with_babel_cfg_writes_the_same_template(tmp_path):
    """docs/translating.md gives the pybabel command (webapp.i18n.PYBABEL_EXTRACT) for
    translators and Weblate: it writes tafel.pot as make pot does, but for the date."""
    out = tmp_path / "tafel.pot"
    command = [
        arg if arg != f"translations/{i18n.TEMPLATE}" else str(out) for arg in i18n.PYBABEL_EXTRACT
    ]
    pybabel = Path(sys.executable).with_name("pybabel")
    result = subprocess.run(
        [str(pybabel), *command], cwd=i18n.ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert i18n._without_date(out.read_bytes()) == i18n._without_date(i18n.po_bytes(extracted()))

    def messages(catalog):
        return {(m.id, m.context): ({f for f, _ in m.locations}, m.flags) for m in catalog if m.id}

    with open(out, "rb") as fh:
        plain = messages(read_po(fh))
    ours = messages(extracted())
    assert plain == ours and len(ours) > 1000
    docs = (i18n.ROOT / "docs" / "translating.md").read_text(encoding="utf-8")
    assert shlex.join(["pybabel", *i18n.PYBABEL_EXTRACT]) in docs
