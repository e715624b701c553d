"""`Said`: an engine text before it is words, as the SLA engine, `check` and the work modules make them.

Apart from `i18n` so that what imports only the words (`--version`, `--help`, every error) does not load the
value class machinery (`casefile.values`, msgspec) with them.
"""

from __future__ import annotations

from typing import Any

from casefile.i18n import stored, stored_text
from casefile.values import Struct


class Said(Struct, frozen=True):
    """An engine text before it is words: a message id and its values (`Said.of(N_("... {clock}"), clock=...)`).

    A value `x` with a `x_zh` beside it (a clock's label and label_zh from the policy) is shown as `x_zh` to a
    Chinese reader.  `text()` gives the words in the reader's language; `stored()` what a record keeps.
    """

    key: str
    values: tuple[tuple[str, Any], ...] = ()

    @classmethod
    def of(cls, key: str, **values: Any) -> Said:
        return cls(key, tuple(values.items()))

    def stored(self) -> dict[str, Any]:
        return stored(self.key, **dict(self.values))

    def text(self, lang: str | None = None) -> str:
        return stored_text(self.stored(), lang)

    def __str__(self) -> str:
        return self.text()
