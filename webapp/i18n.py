"""Translations (Babel): Dutch first, English second; the current language per request.

Messages in the code and templates are English; translations/nl holds the Dutch. Each area
keeps its own catalog file (core.po, accounts.po, …) so areas can grow independently; all
catalogs of a language are merged when the app starts.
"""

import contextvars
import sys

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import LazyProxy, NullTranslations, Translations

from models.words import Text
from webapp.settings import ROOT

TRANSLATIONS = ROOT / "translations"
LANGUAGES = ("nl", "en")
DEFAULT_LANGUAGE = "nl"

current_language: contextvars.ContextVar[str] = contextvars.ContextVar(
    "current_language", default=DEFAULT_LANGUAGE
)
_catalogs: dict[str, NullTranslations] = {}


def load_catalogs() -> None:
    """Read every compiled catalog (.mo) of every language and merge them per language."""
    for language in LANGUAGES:
        merged = Translations()
        for mo in sorted((TRANSLATIONS / language / "LC_MESSAGES").glob("*.mo")):
            with open(mo, "rb") as fh:
                merged.merge(Translations(fh))
        _catalogs[language] = merged


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


def pick_language(value: str | None) -> str:
    """A supported language code, or the default."""
    return value if value in LANGUAGES else DEFAULT_LANGUAGE


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


KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None}
METHOD_MAP = [("webapp/**.py", "python"), ("templates/**.html", "jinja2.ext:babel_extract")]
OPTIONS = {"templates/**.html": {"extensions": "jinja2.ext.i18n", "trim_blocks": "true"}}


def extract_messages() -> dict[str, str]:
    """Every translatable message in the code and templates, with where it is first used."""
    from babel.messages.extract import extract_from_dir

    found = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), METHOD_MAP, OPTIONS, keywords=KEYWORDS
    ):
        msgid = message[0] if isinstance(message, tuple) else message
        found.setdefault(msgid, f"{filename}:{lineno}")
    return found


def untranslated(language: str = "nl") -> dict[str, str]:
    """Messages with no translation in the language's .po files (the source of truth)."""
    known = {}
    for po_path in sorted((TRANSLATIONS / language / "LC_MESSAGES").glob("*.po")):
        with open(po_path, "rb") as fh:
            for message in read_po(fh, locale=language):
                if message.id and message.string:
                    key = message.id[0] if isinstance(message.id, tuple) else message.id
                    known[key] = message.string
    return {m: where for m, where in extract_messages().items() if m not in known}


def main(argv: list[str]) -> int:
    """`python -m webapp.i18n compile` builds the .mo files (make test and make run call it);
    `python -m webapp.i18n missing` lists messages that have no Dutch translation yet."""
    if argv[:1] == ["compile"]:
        print(f"compiled {compile_catalogs()} catalogs")
        return 0
    if argv[:1] == ["missing"]:
        missing = untranslated()
        for message, where in sorted(missing.items(), key=lambda kv: kv[1]):
            print(f"{where}\t{message}")
        return 1 if missing else 0
    print("Use: python -m webapp.i18n compile | missing", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
