"""Translations (Babel): Dutch first, English second; the current language per request.

Messages in the code and templates are English; translations/nl holds the Dutch. Each area
keeps its own catalog file (core.po, accounts.po, …) so areas can grow independently; all
catalogs of a language are merged when the app starts.
"""

import contextvars
import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import LazyProxy, NullTranslations, Translations

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
    """Translate a message into the current language, then fill in %(name)s variables."""
    text = catalog().gettext(message)
    return text % variables if variables else text


def ngettext(singular: str, plural: str, n: int, **variables) -> str:
    """Translate a message with a singular and plural form."""
    variables.setdefault("num", n)
    return catalog().ngettext(singular, plural, n) % variables


def lazy_gettext(message: str, **variables) -> LazyProxy:
    """A message translated when shown, for texts defined at import time (form labels)."""
    return LazyProxy(gettext, message, enable_cache=False, **variables)


_ = gettext


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


def main(argv: list[str]) -> int:
    """`python -m webapp.i18n compile`: build the .mo files (make test and make run call it)."""
    if argv[:1] != ["compile"]:
        print("Use: python -m webapp.i18n compile", file=sys.stderr)
        return 2
    print(f"compiled {compile_catalogs()} catalogs")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
