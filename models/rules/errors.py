"""A ValueError whose message is one plain sentence for a user, ready for translation."""

from __future__ import annotations

from typing import Any


class RuleError(ValueError):
    """A refused value, explained in one plain English sentence.

    ``template`` is the untranslated sentence with ``{name}`` placeholders and ``params``
    fills them, so a caller can translate with ``_(err.template).format(**err.params)``;
    ``str(err)`` is the English sentence.
    """

    def __init__(self, template: str, **params: Any) -> None:
        self.template = template
        self.params = params
        super().__init__(template.format(**params))

    @property
    def message(self) -> str:
        """The English sentence."""
        return self.template.format(**self.params)
