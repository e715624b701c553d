"""A fast, exact reader for the YAML that casefile itself writes.

casefile writes every record in one block style (`yamlio.dump`): mappings
indented by two, lists as `  - ` items, quoted or `|` block text, `[]` and
`{}` for empty containers, no comments, anchors, tags or flow collections.
Reading 100,000 such records through a general YAML parser costs ~195 Python
calls per record; this reader walks the lines once.

It is exact by refusal: anything outside that subset — a comment, a flow
collection, a tab, an anchor, a tag, a double-quoted escape, a multi-line
plain or quoted scalar, a duplicate key, an indentation it does not expect, a
scalar whose type it cannot be sure of — raises `NotHouseStyle`, and the caller
reads the text with ruamel instead, which then gives the same value or the
error with its line.  `tests/records/test_housestyle.py` checks both readers
give the same value for every record of the bench corpus, for every value
`yamlio.dump` can write, and for hand-written oddities.

Plain scalars are typed by the caller (`scalar`), so both readers resolve
them with the same YAML 1.2 rules.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any
from casefile.i18n import _


class NotHouseStyle(Exception):
    """The text uses YAML this reader does not read; read it with the full parser."""


ScalarReader = Callable[[str], Any]  # plain text → value; raises NotHouseStyle when unsure

# A plain scalar may not start with these (YAML indicators), nor contain ": " or " #".
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
_EMPTY = {"[]": list, "{}": dict}
MAX_NESTING = 64  # deeper block nesting is left to the full parser's guard (`yamlio.deep_nesting_line`)


# Characters YAML treats as line breaks or refuses, and tabs: the full parser decides.
_NOT_OURS = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]")


def read(text: str, scalar: ScalarReader) -> Any:
    """The value of one YAML document in casefile's house style, or raise `NotHouseStyle`."""
    return read_measured(text, scalar)[0]


def read_measured(text: str, scalar: ScalarReader) -> tuple[Any, int]:
    """`read`, and how deep the block nesting went (the top mapping is 1; `[]` and `{}` written inline
    are not counted, so every container of the value sits at most that many keys and items down)."""
    if _NOT_OURS.search(text):
        raise NotHouseStyle(_("a tab, a control character or a line break other than LF"))
    lines = text.split("\n")
    reader = _Reader(lines, scalar)
    reader.skip_blank()
    if reader.at_end():
        return None, 0
    indent, content = reader.peek()
    if indent != 0 or content.startswith("- ") or content == "-":
        raise NotHouseStyle(_("the document is not a block mapping at column 0"))
    value = reader.mapping(0)
    reader.skip_blank()
    if not reader.at_end():
        raise NotHouseStyle(_("text after the document"))
    return value, reader.deepest


@lru_cache(maxsize=4096)
def _key(raw: str, scalar: ScalarReader) -> str:
    """The key a `key:` line's text reads as, or raise `NotHouseStyle`.  Kept: a record has a hundred
    key lines and some forty distinct keys, the same in every record (a refusal is not kept)."""
    if raw[0] in _INDICATORS or raw != raw.strip(" ") or " #" in raw or len(raw) > 1000:
        raise NotHouseStyle(_("a key that is not plain text"))
    key = scalar(raw)
    if type(key) is not str:
        raise NotHouseStyle(_("a key that is not text"))
    return key


_MEMOS: dict[tuple[str, ScalarReader], dict[str, Any]] = {}
MEMO_SIZE = 16384


def _memo(kind: str, scalar: ScalarReader) -> dict[str, Any]:
    """What each plain text met lately read as with `scalar`, as a value or (`kind` "keys") a key line's
    key: records repeat names, kinds, statuses and the same forty keys, so a dict lookup replaces a call.
    Only answers are kept — a refusal raises, and is asked again."""
    memo = _MEMOS.setdefault((kind, scalar), {})
    if len(memo) > MEMO_SIZE:
        memo.clear()
    return memo


class _Reader:
    __slots__ = ("lines", "indents", "contents", "position", "scalar", "memo", "keys", "depth", "deepest")

    def __init__(self, lines: list[str], scalar: ScalarReader) -> None:
        self.lines = lines
        self.contents = [line.lstrip(" ") for line in lines]
        self.indents = [len(line) - len(content) for line, content in zip(lines, self.contents)]
        self.position = 0
        self.scalar = scalar
        self.memo = _memo("values", scalar)
        self.keys: dict[str, str] = _memo("keys", scalar)
        self.depth = 0
        self.deepest = 0

    def at_end(self) -> bool:
        return self.position >= len(self.lines)

    def skip_blank(self) -> None:
        contents = self.contents
        position = self.position
        while position < len(contents) and not contents[position]:
            position += 1
        self.position = position

    def peek(self) -> tuple[int, str]:
        content = self.contents[self.position]
        if content[0] in "#.%" and (
            content[0] == "#" or content[0] == "%" or content.startswith("...")
        ) or content.startswith("---"):
            raise NotHouseStyle(_("comment, document marker or directive"))
        return self.indents[self.position], content

    def _descend(self) -> None:
        """One container deeper (`depth`; `deepest` so far), refused past `MAX_NESTING`."""
        self.depth += 1
        if self.depth > self.deepest:
            self.deepest = self.depth
            if self.depth > MAX_NESTING:
                raise NotHouseStyle(_("nested deeper than a record"))

    def mapping(self, indent: int, first: str | None = None) -> dict[str, Any]:
        """A block mapping whose keys sit at `indent`; `first` is a key line already taken (after `- `)."""
        self.depth += 1  # `_descend`, written out: twenty mappings in a record
        if self.depth > self.deepest:
            self.deepest = self.depth
            if self.depth > MAX_NESTING:
                raise NotHouseStyle(_("nested deeper than a record"))
        try:
            return self._mapping(indent, first)
        finally:
            self.depth -= 1

    def _mapping(self, indent: int, first: str | None) -> dict[str, Any]:
        # The hot loop of a record (a hundred keys each): `skip_blank`, `at_end` and `peek` written out.
        result: dict[str, Any] = {}
        contents, indents, count, scalar = self.contents, self.indents, len(self.contents), self.scalar
        memo, keys = self.memo, self.keys
        content = first
        while True:
            if content is None:
                position = self.position
                while position < count and not contents[position]:
                    position += 1
                self.position = position
                if position >= count:
                    return result
                content = contents[position]
                lead = content[0]
                if lead in "#%" or (lead in "-." and content.startswith(("---", "..."))):
                    raise NotHouseStyle(_("comment, document marker or directive"))
                at = indents[position]
                if at < indent:
                    return result
                if at > indent or (lead == "-" and (content.startswith("- ") or content == "-")):
                    # deeper: a continuation line; a list item at a key's column: not ours
                    raise NotHouseStyle(_("unexpected indentation at line {value}").format(value=position + 1))
                self.position = position + 1
            # the key (up to the first `: `, or a last `:`) and, for a value on the key's line, `_value` and
            # `_inline`, written out
            end = content.find(": ")
            if end < 0:
                end = len(content) - 1 if content[-1] == ":" else -1
            if end <= 0:
                raise NotHouseStyle(_("not a `key: value` line"))
            raw = content[:end]
            key = keys.get(raw)
            if key is None:
                key = keys[raw] = _key(raw, scalar)
            if key in result:
                raise NotHouseStyle(_("duplicate key"))
            if len(content) - end > 2 and content[end + 2] not in " |'\"":
                # a plain value, `[]` or `{}` after `key: ` (rest[0] is the space: `find` saw ": ")
                text = content[end + 2 :].rstrip(" ")
                if text == "[]":
                    result[key] = []
                elif text == "{}":
                    result[key] = {}
                elif text[0] in _INDICATORS or ": " in text or text[-1] == ":" or " #" in text:
                    raise NotHouseStyle(_("a plain value that needs the full parser"))
                else:
                    value = memo.get(text, memo)
                    if value is memo:
                        value = memo[text] = scalar(text)
                    result[key] = value
            else:
                rest = content[end + 1 :]
                if rest.strip(" "):
                    result[key] = self._value(rest, indent)
                else:  # nothing on the line: a nested block, or null (`_value`'s first case, written out)
                    position = self.position
                    while position < count and not contents[position]:
                        position += 1
                    self.position = position
                    value = None
                    if position < count:
                        nested = contents[position]
                        lead = nested[0]
                        if lead in "#%" or (lead in "-." and nested.startswith(("---", "..."))):
                            raise NotHouseStyle(_("comment, document marker or directive"))
                        at = indents[position]
                        if lead == "-" and (nested.startswith("- ") or nested == "-"):
                            if at >= indent:
                                value = self.sequence(at)
                        elif at > indent:
                            value = self.mapping(at)
                    result[key] = value
            content = None

    def sequence(self, indent: int) -> list[Any]:
        """A block sequence whose dashes sit at `indent`."""
        self._descend()
        try:
            return self._sequence(indent)
        finally:
            self.depth -= 1

    def _sequence(self, indent: int) -> list[Any]:
        result: list[Any] = []
        contents, indents, count = self.contents, self.indents, len(self.contents)
        while True:
            position = self.position  # `skip_blank`, `at_end` and `peek` written out
            while position < count and not contents[position]:
                position += 1
            self.position = position
            if position >= count:
                return result
            content = contents[position]
            lead = content[0]
            if lead in "#%" or (lead in "-." and content.startswith(("---", "..."))):
                raise NotHouseStyle(_("comment, document marker or directive"))
            at = indents[position]
            if at < indent or (at == indent and not content.startswith("- ")):
                if at == indent and content == "-":
                    raise NotHouseStyle(_("an empty list item"))
                return result
            if at > indent:
                raise NotHouseStyle(_("unexpected indentation at line {value}").format(value=self.position + 1))
            self.position += 1
            item = content[2:]
            if not item or item[0] == " ":
                raise NotHouseStyle(_("a list item that is not `- value`"))
            if item[0] not in "'\"[{|>" and _key_end(item) >= 0:
                result.append(self.mapping(indent + 2, item))
            else:
                result.append(self._inline(item))

    def _value(self, rest: str, indent: int) -> Any:
        """The value after `key:` (`rest` keeps its leading space) of a key at `indent`."""
        if not rest.strip(" "):
            # nothing on the line: a nested block, or null
            self.skip_blank()
            if self.at_end():
                return None
            at, content = self.peek()
            if content.startswith("- ") or content == "-":
                if at < indent:
                    return None
                return self.sequence(at)
            if at > indent:
                return self.mapping(at)
            return None
        if rest[0] != " ":
            raise NotHouseStyle(_("no space after a key's colon"))
        text = rest[1:]
        if text[0] == " ":
            raise NotHouseStyle(_("more than one space after a key's colon"))
        if text[0] == "|":
            return self._block(text, indent)
        return self._inline(text)

    def _inline(self, text: str) -> Any:
        """A value written on one line: quoted, `[]`/`{}`, or plain."""
        first = text[0]
        if first == "'":
            end = len(text.rstrip(" "))
            if end < 2 or text[end - 1] != "'":
                raise NotHouseStyle(_("a single-quoted text over more than one line"))
            inner = text[1 : end - 1]
            if "'" in inner.replace("''", ""):
                raise NotHouseStyle(_("text after a single-quoted value"))
            return inner.replace("''", "'")
        if first == '"':
            end = len(text.rstrip(" "))
            inner = text[1 : end - 1]
            if end < 2 or text[end - 1] != '"' or "\\" in inner or '"' in inner:
                raise NotHouseStyle(_("a double-quoted value with escapes or over more than one line"))
            return inner
        stripped = text.rstrip(" ")
        empty = _EMPTY.get(stripped)
        if empty is not None:
            return empty()
        if first in _INDICATORS or ": " in stripped or stripped.endswith(":") or " #" in stripped:
            raise NotHouseStyle(_("a plain value that needs the full parser"))
        # A plain value that goes on over more-indented lines (YAML folds them)
        # is refused where that deeper line is met.
        return self.scalar(stripped)

    def _block(self, header: str, indent: int) -> str:
        """A `|` literal block of a key at `indent`: `|`, `|-`, `|+`, with an optional indentation digit."""
        spec = header[1:].rstrip(" ")
        chomp = ""
        digit = 0
        for char in spec:
            if char in "-+" and not chomp:
                chomp = char
            elif char.isdigit() and char != "0" and not digit:
                digit = int(char)
            else:
                raise NotHouseStyle(_("a block scalar header with a comment or other text"))
        lines = self.lines
        start = self.position
        content_indent = indent + digit if digit else 0
        if not content_indent:
            probe = start
            longest_blank = 0
            while probe < len(lines) and not lines[probe].strip(" "):
                longest_blank = max(longest_blank, len(lines[probe]))
                probe += 1
            if probe >= len(lines):
                raise NotHouseStyle(_("a block scalar with no text"))
            line = lines[probe]
            content_indent = len(line) - len(line.lstrip(" "))
            if content_indent <= indent or longest_blank > content_indent:
                raise NotHouseStyle(_("a block scalar whose indentation needs the full parser"))
        taken: list[str] = []
        position = start
        while position < len(lines):
            line = lines[position]
            if line.strip(" "):
                if len(line) - len(line.lstrip(" ")) < content_indent:
                    break
                taken.append(line[content_indent:])
            else:
                if len(line) > content_indent:
                    taken.append(line[content_indent:])
                else:
                    taken.append("")
            position += 1
        if position >= len(lines):
            # the document's last line break ends the text: the final "" after it is no line
            if taken and taken[-1] == "" and lines[-1] == "":
                taken.pop()
                position -= 1
        self.position = position
        # taken: the lines of the text; trailing empty lines are subject to chomping
        body = list(taken)
        trailing = 0
        while body and body[-1] == "":
            body.pop()
            trailing += 1
        if not body:
            raise NotHouseStyle(_("a block scalar with only empty lines"))
        text = "\n".join(body)
        if chomp == "-":
            return text
        if chomp == "+":
            return text + "\n" * (trailing + 1)
        return text + "\n"


def _key_end(content: str) -> int:
    """Where the `:` of `key: value` or `key:` is in a line, or -1."""
    colon = content.find(":")
    while colon >= 0:
        after = colon + 1
        if after == len(content) or content[after] == " ":
            return colon
        colon = content.find(":", after)
    return -1
