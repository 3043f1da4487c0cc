"""Translations (Babel): Dutch first, English second; the current language per request.

Messages in the code and templates are English. translations/tafel.pot is the template of
every message, for translators (docs/translating.md). Dutch is written by the developers
alongside the code, one catalog per area (translations/nl/LC_MESSAGES/core.po,
accounts.po, …); every other language is one file a translator works in,
translations/<code>/LC_MESSAGES/tafel.po. A language is available once its catalogs are
compiled; all catalogs of a language are merged when the app starts.
"""

import contextvars
import datetime as dt
import re
import sys
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import LazyProxy, NullTranslations, Translations

from models.words import Text
from webapp.po_files import PoFile, po_bytes
from webapp.settings import ROOT

TRANSLATIONS = ROOT / "translations"
TEMPLATE = "tafel.pot"
TRANSLATOR_CATALOG = "tafel.po"
DEFAULT_LANGUAGE = "nl"
SOURCE_LANGUAGE = "en"

current_language: contextvars.ContextVar[str] = contextvars.ContextVar(
    "current_language", default=DEFAULT_LANGUAGE
)
_catalogs: dict[str, NullTranslations] = {}


def find_languages() -> list[str]:
    """Dutch, English (the source, always there), then every language with compiled catalogs."""
    compiled = {mo.parent.parent.name for mo in TRANSLATIONS.glob("*/LC_MESSAGES/*.mo")}
    others = sorted(compiled - {DEFAULT_LANGUAGE, SOURCE_LANGUAGE})
    return [DEFAULT_LANGUAGE, SOURCE_LANGUAGE, *filter(is_language, others)]


def is_language(code: str) -> bool:
    """A code Babel knows (for dates and money) that fits Account.language (five characters)."""
    try:
        Locale.parse(code)
    except (ValueError, UnknownLocaleError):
        return False
    return len(code) <= 5


def load_catalogs() -> None:
    """Find the available languages and merge each one's compiled catalogs (.mo)."""
    global _catalogs
    catalogs = {}
    for language in find_languages():
        merged = Translations()
        for mo in sorted((TRANSLATIONS / language / "LC_MESSAGES").glob("*.mo")):
            with open(mo, "rb") as fh:
                merged.merge(Translations(fh))
        catalogs[language] = merged
    _catalogs = catalogs


def available_languages() -> list[str]:
    """The codes of the languages a viewer can choose, Dutch first."""
    if not _catalogs:
        load_catalogs()
    return list(_catalogs)


def language_choices() -> list[tuple[str, str]]:
    """Each available language with its name in that language: ("nl", "Nederlands"), …"""
    return list(_named(tuple(available_languages())))


@lru_cache(maxsize=16)
def _named(codes: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    # Every page's footer asks (the language switch): Babel's Locale.parse per language per
    # request was a twentieth of the project page's rendering (issue 23).
    names = ((code, Locale.parse(code).get_display_name(code)) for code in codes)
    return tuple((code, name[:1].upper() + name[1:]) for code, name in names)


def catalog() -> NullTranslations:
    """The catalog of the current language."""
    if not _catalogs:
        load_catalogs()
    return _catalogs.get(current_language.get(), _catalogs[DEFAULT_LANGUAGE])


def gettext(message: str, **variables) -> str:
    """Translate a message into the current language, then fill in %(name)s variables (a
    variable that is a domain word, models.words.Text, is translated too)."""
    text = catalog().gettext(message)
    if not variables:
        return text
    return text % {k: translated(v) for k, v in variables.items()}


def translated(value):
    """A domain word (models.words.Text) in the current language; any other value as it is."""
    return catalog().gettext(str(value)) if isinstance(value, Text) else value


Text.translate = lambda text: catalog().gettext(text)


def ngettext(singular: str, plural: str, n: int, **variables) -> str:
    """Translate a message with a singular and plural form."""
    variables.setdefault("num", n)
    return catalog().ngettext(singular, plural, n) % variables


def lazy_gettext(message: str, **variables) -> LazyProxy:
    """A message translated when shown, for texts defined at import time (form labels)."""
    return LazyProxy(gettext, message, enable_cache=False, **variables)


_ = gettext

# The domain words (models/words.py), named here so the catalogs keep their translations.
DOMAIN_WORDS = (lazy_gettext("former member"),)


def labelled(words: tuple, labels: dict) -> dict:
    """The screen's labels of a vocabulary defined once in models (stances, statuses,
    kinds), in its order; a word without a label, or a label for no word, fails here, at
    import (issue 20: one source per vocabulary, labelled once)."""
    if set(words) != set(labels):
        raise ValueError(f"labels {sorted(labels)} do not match the words {sorted(words)}")
    return {word: labels[word] for word in words}


def pick_language(value: str | None, accept_language: str | None = None) -> str:
    """The language to speak: the person's own choice (`value`) when it is available; else,
    on a first visit, the best available language of the browser's Accept-Language header;
    else the default (Dutch)."""
    available = available_languages()
    if value in available:
        return value
    return negotiate(accept_language, available) or DEFAULT_LANGUAGE


def negotiate(accept_language: str | None, available) -> str | None:
    """The available language the browser prefers most (RFC 9110 quality values; `nl-BE`
    matches `nl`), or None. A malformed header is read as far as it makes sense."""
    wanted = []
    for position, part in enumerate(str(accept_language or "")[:500].split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _, number = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(number)
                except ValueError:
                    quality = 0.0
        if tag and quality > 0:
            wanted.append((-quality, position, tag.strip().replace("_", "-").lower()))
    for _quality, _position, tag in sorted(wanted):
        base = tag.split("-")[0]
        for code in available:
            if code.lower().replace("_", "-") == tag or code.split("_")[0].lower() == base:
                return code
    return None


def compile_catalogs() -> int:
    """Compile every translations/*/LC_MESSAGES/*.po to .mo; returns how many."""
    count = 0
    for po_path in sorted(TRANSLATIONS.glob("*/LC_MESSAGES/*.po")):
        with open(po_path, "rb") as fh:
            po = read_po(fh, locale=po_path.parent.parent.name)
        with open(po_path.with_suffix(".mo"), "wb") as fh:
            write_mo(fh, po)
        count += 1
    return count


# --- The template and the catalogs, for translators (docs/translating.md) -----------------

# Where the messages are: babel.cfg, Babel's standard mapping file, so that plain `pybabel
# extract` and Weblate find the same messages as `make pot` (PYBABEL_EXTRACT, tested).
MAPPING = ROOT / "babel.cfg"
# Babel's own keywords (_, gettext, ngettext, …) and two of ours: lazy_gettext, for texts
# made at import time, and Text (models/words.py), how models mark a sentence people read.
EXTRA_KEYWORDS = ("lazy_gettext", "Text")
# A comment starting with this, just above a message, reaches the translator.
COMMENT_TAGS = ["Translators:"]
HEADER = "# The messages of Tafel, for translators: see docs/translating.md."
# The same template written by plain pybabel, run in the project folder.
PYBABEL_EXTRACT = [
    "extract",
    "-F",
    "babel.cfg",
    *(arg for keyword in EXTRA_KEYWORDS for arg in ("-k", keyword)),
    "-c",
    COMMENT_TAGS[0],
    "--project",
    "Tafel",
    "--header-comment",
    HEADER,
    "--no-wrap",
    "--add-location",
    "file",
    "-o",
    f"translations/{TEMPLATE}",
    ".",
]


def read_mapping() -> tuple[list, dict]:
    """babel.cfg as Babel reads it: [(pattern, method)] and {pattern: options}."""
    from babel.messages.frontend import parse_mapping_cfg

    with open(MAPPING, encoding="utf-8") as fh:
        return parse_mapping_cfg(fh, filename=str(MAPPING))


def extract_template() -> Catalog:
    """Every translatable message in the code and templates, with the files it is in: what
    `pybabel extract -F babel.cfg` gives (PYBABEL_EXTRACT)."""
    from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir

    method_map, options_map = read_mapping()
    keywords = {**DEFAULT_KEYWORDS, **dict.fromkeys(EXTRA_KEYWORDS)}
    template = Catalog(project="Tafel", header_comment=HEADER)
    for filename, lineno, message, comments, context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=keywords, comment_tags=COMMENT_TAGS
    ):
        template.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return template


def extract_messages() -> dict[str, str]:
    """Every translatable message (its singular), with where it is first used."""
    return {
        _singular(message.id): "{}:{}".format(*message.locations[0])
        for message in extract_template()
        if message.id
    }


def _singular(msgid: str | tuple) -> str:
    return msgid[0] if isinstance(msgid, tuple) else msgid


def _without_date(po: bytes) -> bytes:
    return re.sub(rb'"POT-Creation-Date: [^"]*"\n', b"", po)


def write_template() -> bool:
    """Write translations/tafel.pot from the code; True when a message changed."""
    path = TRANSLATIONS / TEMPLATE
    fresh = po_bytes(extract_template())
    if path.exists() and _without_date(path.read_bytes()) == _without_date(fresh):
        return False
    path.write_bytes(fresh)
    return True


def read_template() -> Catalog:
    with open(TRANSLATIONS / TEMPLATE, "rb") as fh:
        return read_po(fh)


def update_catalogs() -> list[str]:
    """Merge the template into every language's catalogs: new messages come in empty, gone
    ones are kept as obsolete (#~), changed ones as fuzzy guesses. Returns the files that
    changed.

    A language with one catalog (tafel.po) gets every message. Dutch keeps a catalog per
    area: a message stays where it is; a new one goes to the area named in the path of the
    file it is first used in (templates/meetings/…, webapp/budget/ledger.py), else core.po.
    The catalogs are written by hand too: an entry the merge does not change keeps its text
    and place (PoFile), so on an up-to-date checkout nothing changes.
    """
    template = read_template()
    written = []
    for folder in sorted(p for p in TRANSLATIONS.glob("*/LC_MESSAGES") if p.is_dir()):
        language = folder.parent.name
        files = {
            path.stem: PoFile(path, language, locations=path.name == TRANSLATOR_CATALOG)
            for path in sorted(folder.glob("*.po"))
        }
        if not files:
            continue
        areas = {stem: Catalog(locale=language) for stem in files}
        fallback = "core" if "core" in files else next(iter(files))
        for message in template:
            if not message.id:
                continue
            homes = [s for s, f in files.items() if f.catalog.get(message.id, message.context)]
            for stem in homes or [_area_of(message, files) or fallback]:
                areas[stem][message.id] = message
        for stem, po in files.items():
            if po.update(areas[stem]):
                written.append(str(po.path.relative_to(TRANSLATIONS)))
    return written


def _area_of(message, catalogs: dict) -> str | None:
    """The first catalog named in the path of the file a message is first used in."""
    for word in re.findall(r"[a-z]+", message.locations[0][0] if message.locations else ""):
        if word in catalogs:
            return word
    return None


def add_language(code: str) -> str:
    """Start a language from the template: translations/<code>/LC_MESSAGES/tafel.po, every
    message empty (shown in English until translated)."""
    if not is_language(code) or code in (DEFAULT_LANGUAGE, SOURCE_LANGUAGE):
        raise ValueError(f"{code!r} is not a new language code Babel knows (like de, fy, pt_BR)")
    path = TRANSLATIONS / code / "LC_MESSAGES" / TRANSLATOR_CATALOG
    if path.exists():
        raise FileExistsError(f"{path} exists already: use update")
    catalog = read_template()
    catalog.locale = Locale.parse(code)
    catalog.revision_date = dt.datetime.now(dt.UTC)
    catalog.fuzzy = False
    path.parent.mkdir(parents=True)
    path.write_bytes(po_bytes(catalog))
    return str(path.relative_to(TRANSLATIONS))


def untranslated(language: str = "nl") -> dict[str, str]:
    """Messages with no translation (or only a fuzzy guess) in the language's .po files."""
    known = set()
    for po_path in sorted((TRANSLATIONS / language / "LC_MESSAGES").glob("*.po")):
        with open(po_path, "rb") as fh:
            for message in read_po(fh, locale=language):
                if message.id and message.string and not message.fuzzy:
                    known.add(_singular(message.id))
    return {m: where for m, where in extract_messages().items() if m not in known}


USAGE = """Use: python -m webapp.i18n COMMAND
  extract      write translations/tafel.pot from the code and templates
  update       merge the template into every language's .po files
  add CODE     start a new language from the template (a code like de, fy, pt_BR)
  missing [CODE]  list the messages without a translation (Dutch unless CODE)
  compile      compile every .po to .mo (make run and make test do this)"""


def main(argv: list[str]) -> int:
    """The translators' commands (see USAGE and docs/translating.md)."""
    command, args = (argv[0], argv[1:]) if argv else ("", [])
    if command == "compile":
        print(f"compiled {compile_catalogs()} catalogs")
    elif command == "extract":
        changed = write_template()
        print(f"{TEMPLATE}: {'updated' if changed else 'no message changed'}")
    elif command == "update":
        changed = update_catalogs()
        print("\n".join(f"updated {path}" for path in changed) or "no catalog changed")
    elif command == "add" and len(args) == 1:
        try:
            print(f"created {add_language(args[0])}: translate it, then make translations")
        except (ValueError, FileExistsError) as problem:
            print(problem, file=sys.stderr)
            return 1
    elif command == "missing" and len(args) <= 1:
        missing = untranslated(*args)
        for message, where in sorted(missing.items(), key=lambda kv: kv[1]):
            print(f"{where}\t{message}")
        return 1 if missing else 0
    else:
        print(USAGE, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
