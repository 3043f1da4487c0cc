"""Names people give things (posts, sub-budgets, projects, ladder steps, people, places): one
rule for every form and import.

A name is trimmed: spaces and invisible characters at either end go. What is left must show
something, so a post named " " is not a name. And a name may not hold the hidden characters
that turn the writing direction (the right-to-left override and its kin): with them
"exe.txt" can show as "txt.exe", and two names that look the same can differ.
"""

from __future__ import annotations

import unicodedata

from models.rules.errors import RuleError
from models.words import Text

# Unicode's explicit direction controls: LRE RLE PDF LRO RLO (U+202A-U+202E), the isolates
# LRI RLI FSI PDI (U+2066-U+2069), the marks LRM RLM (U+200E, U+200F) and the Arabic letter
# mark (U+061C).
BIDI_CONTROLS = frozenset(
    [chr(c) for c in range(0x202A, 0x202F)]
    + [chr(c) for c in range(0x2066, 0x206A)]
    + ["\u200e", "\u200f", "\u061c"]
)
BIDI_IN_NAME = Text(
    "Remove the hidden characters that turn the writing direction; a name cannot hold them."
)


def _invisible(char: str) -> bool:
    return char.isspace() or unicodedata.category(char) in ("Cf", "Cc")


def clean_name(text: str | None) -> str:
    """The name trimmed of spaces and invisible characters at either end; "" when nothing
    visible is left (the caller says whether a name is required). Raises RuleError when the
    name holds a direction control."""
    value = text or ""
    if any(char in BIDI_CONTROLS for char in value):
        raise RuleError(BIDI_IN_NAME)
    start, end = 0, len(value)
    while start < end and _invisible(value[start]):
        start += 1
    while end > start and _invisible(value[end - 1]):
        end -= 1
    return value[start:end]
