"""The one module that imports ruamel.yaml.

Two readers, one dialect:

* `load_plain` — the C parser (libyaml, through `ruamel.yaml.clib`) with the safe
  constructor: plain dicts, lists and scalars, fast; used for every read.
* `load_editable` / `dump` — the round-trip parser for the one record a command
  changes: comments, key order, quoting and unknown keys survive, and an
  untouched document dumps byte for byte as it was read.

Both resolve scalars the same way: YAML 1.2 (so `no` and `12:30` stay text) and
no implicit timestamps (so `2026-11-22T09:14:00+08:00` stays text and is parsed by
`clock.parse_stored`, never by the YAML library).  New text that YAML 1.1 readers
would take for a boolean, a sexagesimal or an octal number is written quoted, so
the files mean the same to other tools too.

Records may not contain tags that build objects or anchors/aliases (the
"billion laughs" bomb): both are refused with the file and line.
"""

from __future__ import annotations

import io
import re
from enum import Enum
from functools import lru_cache
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import ScalarNode
from ruamel.yaml.representer import RoundTripRepresenter
from ruamel.yaml.resolver import VersionedResolver

from .errors import Invalid

MAX_FRONT_MATTER = 1 << 20  # 1 MiB; a case with a year of hourly notes is ~200 KiB

_PLAIN_TYPES = (str, int, float, bool, type(None))


class RecordError(Invalid):
    """A record that cannot be read or does not validate, with file and line."""

    def __init__(self, source: str, line: int | None, problem: str, hint: str | None = None) -> None:
        where = f"{source}:{line}" if line else source
        super().__init__(f"{where}: {problem}", hint)
        self.source = source
        self.line = line
        self.problem = problem


class _Resolver(VersionedResolver):
    """YAML 1.2 always (a `%YAML 1.1` directive cannot change it); no timestamps."""

    def add_version_implicit_resolver(self, version: Any, tag: Any, regexp: Any, first: Any) -> None:
        if str(tag).endswith(":timestamp"):
            return
        super().add_version_implicit_resolver(version, tag, regexp, first)

    @property
    def processing_version(self) -> Any:
        return (1, 2)

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        # A plain scalar's tag depends on its text alone here (YAML 1.2 always,
        # no path resolvers), and records repeat the same texts over and over
        # (names, kinds, statuses, empty values): remembering them makes the
        # first indexing of 100,000 records ~20% faster.
        if kind is ScalarNode and implicit[0] and not self.yaml_path_resolvers:
            return _plain_scalar_tag(value)
        return super().resolve(kind, value, implicit)


@lru_cache(maxsize=8192)
def _plain_scalar_tag(value: str) -> Any:
    return VersionedResolver.resolve(_TAGGER, ScalarNode, value, (True, False))


_TAGGER = _Resolver()


# What a YAML 1.1 reader (PyYAML, many tools) would not read back as text.
_YAML11_NOT_TEXT = re.compile(
    r"""^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF
    |[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?
    |[-+]?0[0-7_]+)$""",
    re.X,
)


class _Representer(RoundTripRepresenter):
    def represent_text(self, data: str) -> Any:
        if "\n" in data:
            return self.represent_scalar("tag:yaml.org,2002:str", data, style="|")
        if _YAML11_NOT_TEXT.match(data):
            return self.represent_scalar("tag:yaml.org,2002:str", data, style="'")
        return self.represent_scalar("tag:yaml.org,2002:str", data)


    def represent_enum(self, data: Enum) -> Any:
        return self.represent_data(data.value)


_Representer.add_representer(str, _Representer.represent_text)
_Representer.add_multi_representer(Enum, _Representer.represent_enum)


@lru_cache(maxsize=1)
def _plain_yaml() -> YAML:
    yaml = YAML(typ="safe")
    yaml.Resolver = _Resolver
    yaml.allow_duplicate_keys = False
    return yaml


@lru_cache(maxsize=1)
def _editable_yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.Resolver = _Resolver
    yaml.Representer = _Representer
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096
    yaml.allow_unicode = True
    yaml.allow_duplicate_keys = False
    return yaml


def parser_class_name() -> str:
    """Name of the parser the fast reader uses (`CParser` when libyaml is there)."""
    return str(_plain_yaml().Parser.__name__)


def _line_of(error: YAMLError, first_line: int) -> int | None:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    if mark is None:
        return None
    return int(mark.line) + first_line


def _problem_of(error: YAMLError) -> str:
    if isinstance(error, MarkedYAMLError):
        problem = error.problem or error.context or "malformed YAML"
    else:
        problem = str(error).splitlines()[0]
    problem = str(problem).strip()
    if "could not determine a constructor for the tag" in problem:
        tag = problem.split("tag", 2)[-1].strip(" '")
        return f"YAML tag {tag} is not allowed in records (plain values only)"
    return f"malformed YAML: {problem}"


def _check_size(text: str, source: str) -> None:
    if len(text) > MAX_FRONT_MATTER:
        raise RecordError(source, None, f"front matter is larger than {MAX_FRONT_MATTER} bytes")


def _reject_non_plain(value: Any, source: str) -> None:
    """Refuse aliases (shared containers) and values that are not plain data."""
    seen: set[int] = set()
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            children: list[Any] = list(item.values())
            bad_keys = [k for k in item if not isinstance(k, (str, int))]
            if bad_keys:
                raise RecordError(source, None, f"key {bad_keys[0]!r} is not text")
        elif isinstance(item, list):
            children = item
        elif isinstance(item, _PLAIN_TYPES):
            continue
        else:
            raise RecordError(
                source, None, f"a value of type {type(item).__name__} is not allowed (plain values only)"
            )
        if id(item) in seen:
            raise RecordError(source, None, "YAML anchors and aliases are not allowed in records")
        seen.add(id(item))
        stack.extend(children)


def load_plain(text: str, source: str, first_line: int = 1) -> Any:
    """Read YAML fast (C parser) into plain dicts, lists and scalars."""
    _check_size(text, source)
    try:
        value = _plain_yaml().load(text)
    except YAMLError as error:
        raise RecordError(source, _line_of(error, first_line), _problem_of(error)) from None
    try:
        _reject_non_plain(value, source)
    except RecordError as error:
        if "alias" in error.problem:
            raise RecordError(source, _first_alias_line(text, first_line), error.problem,
                              "write the value out in full") from None
        raise
    return value


def _first_alias_line(text: str, first_line: int) -> int | None:
    # Only called once an alias was found, to point at it; the safe loader
    # shares aliased nodes instead of copying them, so nothing expanded.
    for number, line in enumerate(text.splitlines()):
        if re.search(r"(?:^|[:\[,]|-)\s*\*[^\s*]", line.split(" #", 1)[0]):
            return number + first_line
    return None


def load_editable(text: str, source: str, first_line: int = 1) -> CommentedMap:
    """Read YAML for changing it: comments, order and quoting are kept."""
    load_plain(text, source, first_line)  # same checks, same errors
    try:
        value = _editable_yaml().load(text)
    except YAMLError as error:  # pragma: no cover - load_plain raised first
        raise RecordError(source, _line_of(error, first_line), _problem_of(error)) from None
    if not isinstance(value, CommentedMap):
        raise RecordError(source, first_line, "front matter is not a mapping of keys to values")
    return value


def dump(data: Any) -> str:
    """Write YAML in the house style (2-space maps, `  - ` lists, no folding)."""
    out = io.StringIO()
    _editable_yaml().dump(data, out)
    return out.getvalue()


def new_map(pairs: dict[str, Any] | None = None) -> CommentedMap:
    """An ordered, comment-carrying mapping to append to a record."""
    result = CommentedMap()
    for key, value in (pairs or {}).items():
        result[key] = value
    return result


def append_block(seq: Any, item: Any) -> None:
    """Append to a list written `[]` so that it is written as a block list."""
    if isinstance(seq, CommentedSeq) and seq.fa.flow_style() and not seq:
        seq.fa.set_block_style()
    seq.append(item)


def is_editable_map(value: Any) -> bool:
    return isinstance(value, CommentedMap)
