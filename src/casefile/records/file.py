"""One record on disk: YAML front matter between `---` lines, then Markdown.

    ---
    id: KMT-00417
    title: Printer offline at the Shenzhen branch
    ...
    ---
    The printer on the 3rd floor shows E-04 since this morning.

The front matter is the structured record; the body is the description and
any notes people write by hand.  `split` and `join` are exact inverses, so a
record that is read and written again without a change is byte-identical.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from casefile.records import yamlio
from casefile.records.yamlio import RecordError
from casefile.i18n import _
from casefile.values import Struct

FENCE = "---\n"
FIRST_YAML_LINE = 2  # line 1 is the opening fence


class RecordText(Struct, frozen=True):
    header: str
    body: str

    def join(self) -> str:
        return FENCE + self.header + FENCE + self.body


def split(text: str, source: str) -> RecordText:
    """Split a record into its front matter and body, or say what is wrong."""
    if text.startswith("\ufeff"):
        raise RecordError(source, 1, _("the file starts with a byte-order mark"), _("save it as UTF-8 without BOM"))
    if not text.startswith(FENCE):
        raise RecordError(source, 1, _("no front matter"), _("a record starts with a line '---'"))
    end = text.find("\n---\n", len(FENCE) - 1)
    if end < 0:
        if text.endswith("\n---"):
            end = len(text) - 4
        else:
            raise RecordError(source, None, _("the front matter is not closed"), _("add a line '---' after it"))
    header = text[len(FENCE) : end + 1]
    body = text[end + 5 :]
    return RecordText(header, body)


class BoundedText(str):
    """A record's text that its writer has already read back within `yamlio`'s limits (`records.append`).

    `Transaction.write` reads every other text once more before committing it; a new string made from
    this one (any str operation) is a plain `str` again, so only the text as proven carries the mark.
    """

    __slots__ = ()


class ParsedText(BoundedText):
    """A `BoundedText` whose parse its writer knows exactly (`records.append` proves it): `front` and `body`
    are what `read_plain` gives for it, so the record index can keep them without parsing it again (the
    first `check` over an archive writes 20,000 records and would read each one back)."""

    front: dict[str, Any]
    body: str
    screened: bool  # its writer judged `front` by the screen's checks or more, and it passed (`check`)

    def __new__(cls, text: str, front: dict[str, Any], body: str, screened: bool = False) -> ParsedText:
        made = super().__new__(cls, text)
        made.front, made.body, made.screened = front, body, screened
        return made


def read_plain(text: str, source: str) -> tuple[dict[str, Any], str]:
    """Parse a record fast: plain front matter and the body."""
    data, body, _house = read_plain_keyed(text, source)
    return data, body


def read_plain_keyed(text: str, source: str) -> tuple[dict[str, Any], str, bool]:
    """`read_plain`, and whether the house reader read it (`yamlio.load_plain_read`): then every key of the
    front matter is text, every float finite and every integer 18 digits at most, for certain."""
    parts = split(text, source)
    data, house = yamlio.load_plain_read(parts.header, source, FIRST_YAML_LINE)
    if not isinstance(data, dict):
        raise RecordError(source, FIRST_YAML_LINE, _("front matter is not a mapping of keys to values"))
    return data, parts.body, house


class EditableRecord(Struct):
    """A record opened for a change: the round-trip mapping and the body."""

    source: str
    data: Any  # ruamel CommentedMap
    body: str
    indent: yamlio.Indent = yamlio.HOUSE_INDENT

    @classmethod
    def parse(cls, text: str, source: str) -> EditableRecord:
        parts = split(text, source)
        data = yamlio.load_editable(parts.header, source, FIRST_YAML_LINE)
        return cls(source, data, parts.body, yamlio.guess_indent(parts.header))

    @classmethod
    def new(cls, source: str, data: dict[str, Any], body: str) -> EditableRecord:
        return cls(source, yamlio.new_map(data), body)

    def render(self) -> str:
        return RecordText(yamlio.dump(self.data, self.indent), self.body).join()


class RecordEntry(Struct, frozen=True):
    """A parsed record file: its path, plain front matter and Markdown body."""

    path: str  # relative to the repository, with /
    data: dict[str, Any]
    body: str


Screen = Callable[[str, dict[str, Any], Callable[[], str]], RecordError | None]  # text asked for on refusal
_screen: list[Screen] = []


def set_screen(screen: Screen) -> None:
    """What a record must be to be read at all, beyond parsing: its kind's shape (`Session` sets it;
    it depends on the content only, so the index keeps its verdict with the blob).  A hand edit that
    makes `events: just a string` or `id: 42` would otherwise reach every listing and crash it; screened,
    the record is read as broken, with its file and line, and the others as usual."""
    _screen[:] = [screen]


def screened(source: str, data: dict[str, Any], text: Callable[[], str]) -> RecordError | None:
    """The screen's verdict on a parsed record (`text` is read only to find the line of a refusal)."""
    for screen in _screen:
        return screen(source, data, text)
    return None


def read_record_file(root: Path, path: Path) -> RecordEntry:
    """A record read to be shown or used (not changed): refused if it does not parse or is not screened."""
    rel = path.relative_to(root).as_posix()
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise RecordError(rel, None, _("the file is not UTF-8 text")) from None
    data, body = read_plain(text, rel)
    refused = screened(rel, data, lambda: text)
    if refused is not None:
        raise refused
    return RecordEntry(rel, data, body)
