"""A fast, exact writer for the YAML that casefile itself writes — the twin of `housestyle`.

`casefile check` appends events to thousands of records on its first run over
an adopted archive; writing each batch of events through ruamel's emitter
(~250 nodes per record, each through representer, serializer and emitter) was
85 % of that run.  This writer walks plain dicts, lists and scalars once and
writes the block style `yamlio.dump` writes with the house indentation
(mappings by two, `  - ` list items): the same text, byte for byte.

It is exact by refusal, like the reader: a multi-line or very long text, a
float, None, a non-text key, a list inside a list, anything it is not sure of
raises `NotHouseStyle` and the caller dumps with ruamel.  A text is written
plain when a strict pattern shows ruamel would write it plain; every other
one-line text is written the way ruamel writes it alone (asked once per
distinct text and remembered).  `tests/records/test_housewrite.py` holds both
writers to the same bytes for the bench corpus's events, for hand-written
oddities and for generated values.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from enum import Enum
from functools import cache, lru_cache
from typing import Any

from casefile.records.housestyle import NotHouseStyle

_TOKEN = "0-9A-Za-z\u4e00-\u9fff_./@+()=-"


@cache
def _sure_plain() -> re.Pattern[str]:
    """Texts ruamel writes plain for sure (checked against it by the tests): no leading indicator, no ": ",
    no " #", no leading, trailing or double space, nothing but letters, digits, CJK and a few marks.

    Compiled on first write, not at import: a CJK range takes re ~5 ms to compile, and a command that only
    reads never needs it."""
    return re.compile(f"[0-9A-Za-z\u4e00-\u9fff](?:[{_TOKEN}]|[: ](?=[{_TOKEN}]))*")


_BREAKS = re.compile("[\r\n\x85\u2028\u2029]")  # what YAML reads as a line break: its indentation matters
MAX_TEXT = 512
MEMO_SIZE = 100_000  # longer texts are left to ruamel (its line width and folding decide)

Dumper = Callable[[Any], str]  # ruamel's dump of a one-key mapping, in the house style
PlainTag = Callable[[str], bool]  # whether a plain scalar of this text reads back as text


def write_items(items: Sequence[Mapping[str, Any]], indent: int, dumper: Dumper, is_text: PlainTag) -> str:
    """The block-list lines of `items` (mappings) at `indent` spaces, as `yamlio.dump` writes them under a key.

    Raises `NotHouseStyle` for anything it is not sure of.
    """
    writer = _Writer(dumper, is_text)
    out: list[str] = []
    for item in items:
        writer.item(item, indent, out)
    return "".join(out)


class _Writer:
    def __init__(self, dumper: Dumper, is_text: PlainTag) -> None:
        self.dumper, self.is_text = dumper, is_text
        self.memo: dict[str, str] = {}  # text -> as written: keys, kinds, names and stamps repeat in every event

    def item(self, value: Any, indent: int, out: list[str]) -> None:
        """One `- ` list item at `indent` (the dash's column)."""
        pad = " " * indent
        if isinstance(value, Mapping):
            if not value:
                out.append(f"{pad}- {{}}\n")
                return
            first = True
            for key, child in value.items():
                self.entry(key, child, indent + 2, out, "- " if first else "  ", pad)
                first = False
            return
        if isinstance(value, (list, tuple)):
            raise NotHouseStyle("a list inside a list")
        out.append(f"{pad}- {self.scalar(value)}\n")

    def entry(self, key: Any, value: Any, indent: int, out: list[str], lead: str = "", pad: str | None = None) -> None:
        """`key: value` with the key at column `indent` (`lead` replaces the last two columns of its padding)."""
        if type(key) is not str or not key:
            raise NotHouseStyle("a key that is not text")
        prefix = (pad + lead) if pad is not None else " " * indent
        name = self.scalar(key)
        if isinstance(value, Mapping):
            if not value:
                out.append(f"{prefix}{name}: {{}}\n")
                return
            out.append(f"{prefix}{name}:\n")
            for child_key, child in value.items():
                self.entry(child_key, child, indent + 2, out)
            return
        if isinstance(value, (list, tuple)):
            if not value:
                out.append(f"{prefix}{name}: []\n")
                return
            out.append(f"{prefix}{name}:\n")
            for child in value:
                self.item(child, indent + 2, out)
            return
        if value is None:  # ruamel writes an empty value: nothing after the colon
            out.append(f"{prefix}{name}:\n")
            return
        out.append(f"{prefix}{name}: {self.scalar(value)}\n")

    def scalar(self, value: Any) -> str:
        if isinstance(value, Enum):
            value = value.value
        if value is True:
            return "true"
        if value is False:
            return "false"
        if type(value) is int:
            return str(value)
        if isinstance(value, str):
            text = str(value)
            known = self.memo.get(text)
            if known is not None:
                return known
            if len(text) > MAX_TEXT or _BREAKS.search(text):
                raise NotHouseStyle("a long or multi-line text")
            written = text if _sure_plain().fullmatch(text) and self.is_text(text) else _cached(text, self.dumper)
            if len(self.memo) < MEMO_SIZE:
                self.memo[text] = written
            return written
        raise NotHouseStyle(f"a {type(value).__name__} value")


@lru_cache(maxsize=65536)
def _cached(text: str, dumper: Dumper) -> str:
    written = dumper(text)
    if not written.startswith("k: ") or not written.endswith("\n") or written.count("\n") != 1:
        raise NotHouseStyle("ruamel writes this text on more than one line")
    return written[3:-1]
