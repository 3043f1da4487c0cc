"""Words the domain hands to the screens: English here, translated where they are shown.

The models never translate (they do not know who is looking). A `Text` is an English text
that screens show in the viewer's language: webapp.i18n sets `Text.translate`, and an
autoescaping template calls `__html__` when it shows one. CSV exports keep the English.
"""

from collections.abc import Callable

from markupsafe import escape


class Text(str):
    """An English text that screens show in the viewer's language."""

    translate: Callable[[str], str] = str

    def __html__(self) -> str:
        return str(escape(Text.translate(str(self))))


# A person whose identity was erased (PRODUCT.md "can be removed"): history keeps them so.
FORMER_MEMBER = Text("former member")
