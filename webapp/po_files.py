"""Writing .po files (Babel) so that a merge changes only what it must.

The Dutch catalogs are kept by hand, each in its own order and wrapping; PoFile merges a
template into such a file and writes back every entry it does not change as it was.
"""

import io
import re

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po


def po_bytes(catalog: Catalog, locations: bool = True, omit_header: bool = False) -> bytes:
    # Long lines unwrapped and files without line numbers: a change in the code moves no
    # line of the template, so branches that add messages merge cleanly.
    out = io.BytesIO()
    write_po(
        out,
        catalog,
        width=0,
        no_location=not locations,
        include_lineno=False,
        omit_header=omit_header,
    )
    return out.getvalue()


class PoFile:
    """A .po file as it is written (by hand or by us), so that a merge rewrites only the
    entries whose content changes.

    The text is cut into chunks, one per entry: its comments, its msgctxt/msgid/msgstr
    lines and the blank lines after it; the first chunk is the header. Babel's
    Catalog.update merges the template; then an entry whose content is unchanged is written
    back as its own chunk (its wrapping, flags, comments and place as they were), a changed
    one in our format (po_bytes) in its place, new entries after the last active one and
    newly obsolete ones at the end. The header is left as it is."""

    def __init__(self, path, language: str, locations: bool = False):
        self.path, self.language = path, language
        self.text = path.read_bytes().decode("utf-8")
        self.catalog = read_po(io.BytesIO(self.text.encode("utf-8")), locale=language)
        self.locations = locations

    @staticmethod
    def chunks(text: str) -> list[str]:
        """The text cut where an entry starts: at a comment, msgctxt or msgid line that
        follows the last msgstr (or string) line of the entry before."""
        chunks, current, ended = [], [], False
        for line in text.splitlines(keepends=True):
            obsolete = line.startswith("#~ ")
            bare = line[3:] if obsolete else line
            if ended and re.match(r"#|msgctxt |msgid ", line):
                chunks.append("".join(current))
                current, ended = [], False
            if obsolete or line.strip() and not line.startswith("#"):
                ended = bool(re.match(r'msgstr|"', bare))
            current.append(line)
        if current:
            chunks.append("".join(current))
        return chunks

    def _entries(self, chunk: str) -> list[tuple[tuple, object, bool]]:
        """The entries in one chunk: (key, message, obsolete)."""
        one = read_po(io.BytesIO(chunk.encode("utf-8")), locale=self.language)
        found = [(_key(m), m, False) for m in one if m.id]
        return found + [(_key(m), m, True) for m in one.obsolete.values()]

    def render(self, message, obsolete: bool = False) -> str:
        """One entry in our format, with a blank line after it."""
        single = Catalog(locale=self.language)
        if obsolete:
            single.obsolete[_key(message)] = message
        else:
            single[message.id] = message
        return po_bytes(single, self.locations, omit_header=True).decode("utf-8")

    def update(self, template: Catalog) -> bool:
        """Merge the template's messages into the file; True when the file changed."""
        self.catalog.update(template, update_header_comment=False, update_creation_date=False)
        active = {_key(m): m for m in self.catalog if m.id}
        obsolete = {_key(m): m for m in self.catalog.obsolete.values()}
        pieces, placed, after_active = [], set(), 0
        for chunk in self.chunks(self.text):
            entries = self._entries(chunk)
            if not entries:  # the header, or comments on their own
                pieces.append((chunk, True))
                after_active = len(pieces)
                continue
            kept, written = True, []
            for key, old, was_obsolete in entries:
                is_obsolete = key in obsolete
                new = obsolete.get(key) if is_obsolete else active.get(key)
                if new is None or is_obsolete and not was_obsolete:
                    kept = False  # gone (a fuzzy guess under its new id), or obsolete now
                    continue
                placed.add(key)
                fresh = self.render(new, is_obsolete)
                written.append(fresh)
                kept = kept and fresh == self.render(old, was_obsolete)
            pieces.append((chunk, True) if kept else ("".join(written), False))
            if not all(was_obsolete for _key_, _old, was_obsolete in entries):
                after_active = len(pieces)
        added = [(self.render(m), False) for key, m in active.items() if key not in placed]
        gone = [(self.render(m, True), False) for key, m in obsolete.items() if key not in placed]
        pieces[after_active:after_active] = added
        pieces += gone
        text = "".join(_separated(pieces))
        ending = self.text[len(self.text.rstrip("\n")) :]  # a blank line at the end, or not
        text = text.rstrip("\n") + (ending or "\n")
        if text == self.text:
            return False
        self.path.write_bytes(text.encode("utf-8"))
        return True


def _key(message) -> tuple:
    return (_singular(message.id), message.context)


def _separated(pieces: list[tuple[str, bool]]) -> list[str]:
    """The texts of the pieces, with a blank line before each one we wrote (the chunks as
    they were are left alone, even where a hand left no blank line)."""
    out = []
    for text, as_it_was in pieces:
        if not text:
            continue
        if out and not as_it_was and not out[-1].endswith("\n\n"):
            out[-1] = out[-1].rstrip("\n") + "\n\n"
        out.append(text)
    return out


def _singular(msgid: str | tuple) -> str:
    return msgid[0] if isinstance(msgid, tuple) else msgid
