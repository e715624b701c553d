"""The one module that imports ruamel.yaml.

Two readers, one dialect:

* `load_plain` — plain dicts, lists and scalars, for every read: the house-style
  reader (`housestyle`, the block subset casefile writes, ~5× faster) and, for
  anything else it does not read, the C parser (libyaml, through
  `ruamel.yaml.clib`) with the safe constructor, its loader class built once.
* `load_editable` / `dump` — the round-trip parser for the one record a command
  changes: comments, key order, quoting and unknown keys survive, and an
  untouched document dumps byte for byte as it was read.

ruamel is imported on first use (`_ruamel`): a command that reads only what the house reader reads, and
the policy from its kept value (`keptplain`), never loads it — `show` is ~13 % cheaper for it.

Both resolve scalars the same way: YAML 1.2 (so `no` and `12:30` stay text) and
no implicit timestamps (so `2026-11-22T09:14:00+08:00` stays text and is parsed by
`clock.parse_stored`, never by the YAML library).  New text that YAML 1.1 readers
would take for a boolean, a sexagesimal or an octal number is written quoted, so
the files mean the same to other tools too.

Records may not contain tags that build objects or anchors/aliases (the
"billion laughs" bomb): both are refused with the file and line.

Records are bounded, so that one hand edit cannot stop every command that
reads the desk (a 1,000-deep list used to crash `list` and `check` with a
RecursionError, and at ~50,000 levels libyaml itself crashes): front matter at
most `MAX_FRONT_MATTER` bytes, nesting at most `MAX_DEPTH` levels (looked at
before the parser sees the text), a text value at most `MAX_TEXT` characters,
an integer at most 18 digits.  Reading refuses a record over a limit with its
file and line; every writer refuses to commit one (`records.transaction`).
"""

from __future__ import annotations

import io
import re
from enum import Enum
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from casefile.errors import Invalid
from casefile.records import housestyle, housewrite
from casefile.i18n import _

if TYPE_CHECKING:
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.error import YAMLError

MAX_FRONT_MATTER = 1 << 20  # 1 MiB; a case with a year of hourly notes is ~200 KiB
MAX_DEPTH = 16  # a case is 5 deep (events, an event, its fields, a field, from/to)
MAX_TEXT = 65_536  # characters of one value: a long note is 5,000
MAX_INTEGER = 10**18 - 1  # 18 digits: counts, minutes, amounts; a longer number is an identifier, quote it
_SCAN_DEPTH = 4 * MAX_DEPTH  # the look before parsing errs high; the parsed value is measured exactly
TOO_BIG_HINT = "paste the lines that matter; keep the whole log outside the record, on a file share"

_PLAIN_TYPES = (str, int, float, bool, type(None))


class RecordError(Invalid):
    """A record that cannot be read or does not validate, with file and line."""

    def __init__(self, source: str, line: int | None, problem: str, hint: str | None = None) -> None:
        where = f"{source}:{line}" if line else source
        super().__init__(f"{where}: {problem}", hint)
        self.source = source
        self.line = line
        self.problem = problem


_STR, _NULL, _BOOL, _INT, _FLOAT = (
    f"tag:yaml.org,2002:{name}" for name in ("str", "null", "bool", "int", "float")
)

# The types a plain scalar has in YAML 1.2, exactly as ruamel.yaml's resolver gives them
# (`resolver.implicit_resolvers` for version (1, 2), timestamps left out): the first character picks
# the candidates, the first whose pattern matches gives the tag; none matches, text.  Kept here so
# that reading a record the house reader reads imports no ruamel at all (~13 % of `show`); a test
# checks that this is ruamel's own table, pattern for pattern.
_IMPLICIT_12: tuple[tuple[str, str, tuple[str, ...], int], ...] = (  # tag, pattern, first characters, flags
    (_BOOL, r"""^(?:true|True|TRUE|false|False|FALSE)$""", tuple("tTfF"), re.X),
    (_FLOAT, r"""^(?:
         [-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?
        |[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)
        |[-+]?\.[0-9_]+(?:[eE][-+][0-9]+)?
        |[-+]?\.(?:inf|Inf|INF)
        |\.(?:nan|NaN|NAN))$""", tuple("-+0123456789."), re.X),
    (_INT, r"""^(?:[-+]?0b[0-1_]+
        |[-+]?0o?[0-7_]+
        |[-+]?[0-9_]+
        |[-+]?0x[0-9a-fA-F_]+)$""", tuple("-+0123456789"), re.X),
    ("tag:yaml.org,2002:merge", r"^(?:<<)$", ("<",), 0),
    (_NULL, r"""^(?: ~
        |null|Null|NULL
        | )$""", ("~", "n", "N", ""), re.X),  # "": the empty text
    ("tag:yaml.org,2002:value", r"^(?:=)$", ("=",), 0),
    ("tag:yaml.org,2002:yaml", r"^(?:!|&|\*)$", tuple("!&*"), 0),
)


def _by_first() -> dict[str, tuple[tuple[str, re.Pattern[str]], ...]]:
    table: dict[str, list[tuple[str, re.Pattern[str]]]] = {}
    for tag, pattern, firsts, flags in _IMPLICIT_12:
        compiled = re.compile(pattern, flags)
        for first in firsts:
            table.setdefault(first, []).append((tag, compiled))
    return {first: tuple(candidates) for first, candidates in table.items()}


_BY_FIRST = _by_first()


@lru_cache(maxsize=8192)
def implicit_tag(value: str) -> str:
    """The YAML 1.2 tag of a plain scalar `value` (`tag:yaml.org,2002:str` for text), as ruamel gives it."""
    for tag, pattern in _BY_FIRST.get(value[:1], ()):
        if pattern.match(value):
            return tag
    return _STR


@lru_cache(maxsize=1)
def _ruamel() -> Any:
    """ruamel.yaml and casefile's classes over it, made on first use: a command that reads only records
    the house reader reads (`show`, `list`, `check` with nothing new) never imports it."""
    from types import SimpleNamespace

    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.constructor import RoundTripConstructor, SafeConstructor
    from ruamel.yaml.error import MarkedYAMLError, YAMLError
    from ruamel.yaml.main import CParser
    from ruamel.yaml.nodes import ScalarNode
    from ruamel.yaml.representer import RoundTripRepresenter
    from ruamel.yaml.resolver import VersionedResolver
    from ruamel.yaml.scalarstring import PlainScalarString
    from ruamel.yaml.tag import Tag

    @lru_cache(maxsize=8192)
    def tag_of(value: str) -> Any:
        return Tag(suffix=implicit_tag(value))

    class _Resolver(VersionedResolver):  # type: ignore[misc]
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
                return tag_of(value)
            return super().resolve(kind, value, implicit)

    class _Representer(RoundTripRepresenter):  # type: ignore[misc]
        def represent_text(self, data: str) -> Any:
            if "\n" in data and _NOT_PRINTABLE.search(data):
                return self.represent_scalar("tag:yaml.org,2002:str", data, style='"')
            if "\n" in data:
                return self.represent_scalar("tag:yaml.org,2002:str", data, style="|")
            if _YAML11_NOT_TEXT.match(data):
                return self.represent_scalar("tag:yaml.org,2002:str", data, style="'")
            return self.represent_scalar("tag:yaml.org,2002:str", data)

        def represent_enum(self, data: Enum) -> Any:
            return self.represent_data(data.value)

    _Representer.add_representer(str, _Representer.represent_text)
    _Representer.add_multi_representer(Enum, _Representer.represent_enum)

    class _PlainAsRead(PlainScalarString):  # type: ignore[misc]
        """A plain `no` or `12:30` as a person wrote it: saved as written.

        ruamel gives a new value put in its place the same type, so only the
        object the reader made carries `as_read`; a replacement is checked again.
        """

        as_read = False

    def represent_plain_as_read(representer: _Representer, data: _PlainAsRead) -> Any:
        if data.as_read:
            return representer.represent_plain_scalarstring(data)
        return representer.represent_text(str(data))

    _Representer.add_representer(_PlainAsRead, represent_plain_as_read)

    class _Constructor(RoundTripConstructor):  # type: ignore[misc]
        def construct_yaml_str(self, node: Any) -> Any:
            value = super().construct_yaml_str(node)
            if not node.style and type(value) is str and _YAML11_NOT_TEXT.match(value):
                kept = _PlainAsRead(value)
                kept.as_read = True
                return kept
            return value

    _Constructor.add_constructor("tag:yaml.org,2002:str", _Constructor.construct_yaml_str)

    plain_yaml = YAML(typ="safe")
    plain_yaml.Resolver = _Resolver
    plain_yaml.allow_duplicate_keys = False

    loader: type | None = None
    if plain_yaml.Parser is CParser:  # ruamel.yaml.clib is a dependency

        class _Loader(CParser, SafeConstructor, _Resolver):  # type: ignore[misc,valid-type]
            """The C-parser loader class, made once (`YAML.load` makes a new class per call)."""

            def __init__(self, stream: str) -> None:
                CParser.__init__(self, stream)
                self._parser = self._composer = self
                SafeConstructor.__init__(self, loader=self)
                self.allow_duplicate_keys = False
                _Resolver.__init__(self, loadumper=self)

        loader = _Loader

    return SimpleNamespace(
        YAML=YAML, CommentedMap=CommentedMap, CommentedSeq=CommentedSeq, YAMLError=YAMLError,
        MarkedYAMLError=MarkedYAMLError, ScalarNode=ScalarNode, VersionedResolver=VersionedResolver,
        Resolver=_Resolver, Representer=_Representer, Constructor=_Constructor, plain_yaml=plain_yaml,
        loader=loader, tagger=_Resolver(),
    )


# What a YAML 1.1 reader (PyYAML, many tools) would not read back as text.
_YAML11_NOT_TEXT = re.compile(
    r"""^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF
    |[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?
    |[-+]?0[0-7_]+)$""",
    re.X,
)


# What YAML cannot hold in a block scalar (it is not "printable"): such text is written double-quoted,
# where it is escaped (`\e`), so a pasted log with colour codes still makes a record that reads back.
_NOT_PRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")


def _ruamel_plain(text: str) -> Any:
    ruamel = _ruamel()
    if ruamel.loader is None:  # pragma: no cover
        return ruamel.plain_yaml.load(text)
    loader = ruamel.loader(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


_SIMPLE_INT = re.compile(r"-?(?:0|[1-9][0-9]{0,17})")
_SIMPLE_FLOAT = re.compile(r"-?(?:0|[1-9][0-9]{0,14})\.[0-9]{1,15}")
_UNSURE = object()


@lru_cache(maxsize=16384)
def _scalar(text: str) -> Any:
    tag = implicit_tag(text)
    if tag == _STR:
        return text
    if tag == _NULL:
        return None
    if tag == _BOOL:
        return text.lower() == "true"
    if tag == _INT and _SIMPLE_INT.fullmatch(text):
        return int(text)
    if tag == _FLOAT and _SIMPLE_FLOAT.fullmatch(text):
        return float(text)
    return _UNSURE


# casefile's own time stamps (`2026-11-02T09:00:00+08:00`; eight in a record, each one new): text in YAML 1.2
# with timestamps off, as no null, bool, int or float pattern takes a `T` and colons, so the resolver is not asked.
_STAMP = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:[+-][0-9]{2}:[0-9]{2}|Z)")


def _house_scalar(text: str) -> Any:
    if _STAMP.fullmatch(text):
        return text
    value = _scalar(text)
    if value is _UNSURE:
        raise housestyle.NotHouseStyle(_("a plain value {text!r} typed by the full parser").format(text=text))
    return value


def load_house(text: str) -> Any:
    """The house-style reader alone (raises `housestyle.NotHouseStyle`); for tests and benches."""
    return housestyle.read(text, _house_scalar)


def load_ruamel(text: str) -> Any:
    """The full parser alone, as `load_plain` uses it; for tests and benches."""
    return _ruamel_plain(text)


Indent = tuple[int, int, int]  # mapping, sequence, offset of the dash
HOUSE_INDENT: Indent = (2, 4, 2)


@lru_cache(maxsize=8)
def _editable_yaml(indent: Indent = HOUSE_INDENT) -> YAML:
    ruamel = _ruamel()
    yaml = ruamel.YAML(typ="rt")
    yaml.Resolver = ruamel.Resolver
    yaml.Representer = ruamel.Representer
    yaml.Constructor = ruamel.Constructor
    yaml.preserve_quotes = True
    yaml.indent(mapping=indent[0], sequence=indent[1], offset=indent[2])
    yaml.width = 4096
    yaml.allow_unicode = True
    yaml.allow_duplicate_keys = False
    return yaml  # type: ignore[no-any-return]


@lru_cache(maxsize=1)
def reader_stamp() -> str | None:
    """What `load_plain` is, as a short text: the Python, and ruamel's, this module's and the house
    reader's files (size and time of change), so a value kept for a text (`keptplain`) is never
    taken for the value another version of the reader would give.  None where those files cannot be
    looked at (a zip or a frozen build): then nothing is kept.  ruamel is found, not imported."""
    import hashlib
    import os
    import sys
    from importlib.util import find_spec

    try:
        spec = find_spec("ruamel.yaml")
        origin = spec.origin if spec is not None else None
        if origin is None:
            return None
        files = [os.stat(str(path)) for path in (__file__, housestyle.__file__, origin)]
    except (OSError, TypeError, ImportError, ValueError):  # TypeError: a module without a file
        return None
    parts = [sys.implementation.cache_tag, *(f"{f.st_size}.{f.st_mtime_ns}" for f in files)]
    return hashlib.sha1("/".join(parts).encode()).hexdigest()[:16]


def parser_class_name() -> str:
    """Name of the parser the fast reader uses (`CParser` when libyaml is there)."""
    return str(_ruamel().plain_yaml.Parser.__name__)


def _line_of(error: YAMLError, first_line: int) -> int | None:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    if mark is None:
        return None
    return int(mark.line) + first_line


def _problem_of(error: YAMLError) -> str:
    if isinstance(error, _ruamel().MarkedYAMLError):
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
        raise RecordError(source, None, _("front matter is larger than {MAX_FRONT_MATTER} bytes").format(MAX_FRONT_MATTER=MAX_FRONT_MATTER))


def check_size(text: str, source: str) -> None:
    """Refuse front matter over `MAX_FRONT_MATTER` (what `load_plain` checks first)."""
    _check_size(text, source)


class _OverLimit(Exception):
    def __init__(self, where: tuple[Any, ...], problem: str, hint: str | None = None) -> None:
        super().__init__(problem)
        self.where, self.problem, self.hint = where, problem, hint


def _reject_non_plain(value: Any, source: str) -> None:
    """Refuse aliases (shared containers), values that are not plain data, and values over the limits."""
    seen: set[int] = set()
    stack: list[tuple[Any, tuple[Any, ...]]] = [(value, ())]
    while stack:
        item, where = stack.pop()
        if isinstance(item, dict):
            children: list[tuple[Any, tuple[Any, ...]]] = [(v, (*where, k)) for k, v in item.items()]
            bad_keys = [k for k in item if not isinstance(k, (str, int)) or isinstance(k, bool)]
            if bad_keys:
                raise RecordError(source, None, _("key {value!r} is not text").format(value=bad_keys[0]))
        elif isinstance(item, list):
            children = [(v, (*where, n)) for n, v in enumerate(item)]
        elif isinstance(item, str):
            if len(item) > MAX_TEXT:
                raise _OverLimit(where, _("{dotted} is {count:,} characters long, more than {MAX_TEXT:,}").format(dotted=_dotted(where), count=len(item), MAX_TEXT=MAX_TEXT), TOO_BIG_HINT)
            continue
        elif isinstance(item, bool):
            continue
        elif isinstance(item, int):
            if abs(item) > MAX_INTEGER:
                raise _OverLimit(where, _("{dotted} is a number of more than 18 digits").format(dotted=_dotted(where)),
                                 _("quote it if it is an identifier: 'NNN...'"))
            continue
        elif isinstance(item, _PLAIN_TYPES):
            continue
        else:
            raise RecordError(
                source, None, _("a value of type {name__} is not allowed (plain values only)").format(name__=type(item).__name__)
            )
        if len(where) >= MAX_DEPTH:
            raise _OverLimit(where, _("{dotted} is nested more than {MAX_DEPTH} levels deep").format(dotted=_dotted(where), MAX_DEPTH=MAX_DEPTH),
                             _("records are flat lists and mappings; write the value out flatter"))
        if id(item) in seen:
            raise RecordError(source, None, _("YAML anchors and aliases are not allowed in records"))
        seen.add(id(item))
        stack.extend(children)


def _dotted(where: tuple[Any, ...]) -> str:
    text = ""
    for part in where:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "the front matter"


_BLOCK_SCALAR = re.compile(r"(?:^|[:\s-])[|>][-+0-9]*\s*(?:#.*)?$")
_FLOW_OPEN, _FLOW_CLOSE = "[{", "]}"


def deep_nesting_line(text: str, limit: int = _SCAN_DEPTH) -> int | None:
    """The first line (0-based) at which the YAML in `text` nests more than `limit` levels, looked at
    without parsing (libyaml crashes on tens of thousands): block levels by indentation and `- `
    markers, flow levels by brackets outside quotes; block scalars' text is skipped."""
    columns: list[int] = []
    block_parent: int | None = None
    flow = 0
    quote = ""
    for number, line in enumerate(text.split("\n")):
        stripped = line.lstrip(" ")
        lead = len(line) - len(stripped)
        if block_parent is not None:
            if not stripped or lead > block_parent:
                continue
            block_parent = None
        if flow == 0:
            if not stripped or stripped.startswith("#"):
                continue
            while columns and columns[-1] >= lead:
                columns.pop()
            columns.append(lead)
            rest = stripped
            while rest.startswith("- ") or rest == "-":
                lead += 2
                columns.append(lead)
                rest = rest[2:].lstrip(" ")
            if len(columns) > limit:
                return number
            key_end = _value_start(rest)
            value = rest[key_end:].lstrip(" ")
            if _BLOCK_SCALAR.search(rest.split(" #", 1)[0]) and value[:1] in "|>":
                block_parent = columns[-1] if rest.startswith(value) else lead
                continue
            if not value or value[0] not in _FLOW_OPEN:
                continue
            line = value
        for index, char in enumerate(line):
            if quote:
                if char == quote and (quote == "'" or line[index - 1] != "\\"):
                    quote = ""
            elif char in "'\"" and (index == 0 or line[index - 1] in " [{,:"):
                quote = char
            elif char == "#" and (index == 0 or line[index - 1] == " "):
                break
            elif char in _FLOW_OPEN:
                flow += 1
                if len(columns) + flow > limit:
                    return number
            elif char in _FLOW_CLOSE:
                flow = max(0, flow - 1)
    return None


def _value_start(rest: str) -> int:
    """Where the value of `key: value` starts in `rest` (0 when `rest` is a value by itself)."""
    if rest[:1] in ("'", '"', "[", "{"):
        return 0
    match = re.search(r":(?:\s|$)", rest)
    return match.end() if match else 0


def _check_depth(text: str, source: str, first_line: int) -> None:
    deep = deep_nesting_line(text)
    if deep is not None:
        raise RecordError(source, deep + first_line, _("the front matter is nested more than {MAX_DEPTH} levels deep").format(MAX_DEPTH=MAX_DEPTH),
                          _("records are flat lists and mappings; write the value out flatter"))


def load_plain(text: str, source: str, first_line: int = 1) -> Any:
    """Read YAML fast (C parser) into plain dicts, lists and scalars."""
    return load_plain_read(text, source, first_line)[0]


def load_plain_read(text: str, source: str, first_line: int = 1) -> tuple[Any, bool]:
    """`load_plain`, and whether the house reader read it: then every mapping key is text (it reads no
    other key), which the record index would otherwise check by walking the whole value, and every
    float is finite and every integer 18 digits at most (`_SIMPLE_FLOAT`, `_SIMPLE_INT`), so the
    index may write its JSON with msgspec (`values.to_json`)."""
    _check_size(text, source)
    try:
        # No nesting scan first: the house reader reads only block nesting and gives up past
        # `housestyle.MAX_NESTING`; what it leaves is scanned before libyaml sees it.
        value, deepest = housestyle.read_measured(text, _house_scalar)
    except housestyle.NotHouseStyle:
        pass
    else:
        if deepest < MAX_DEPTH and len(text) <= MAX_TEXT:
            # Within every limit as read, so not walked again (a walk is a sixth of reading a record):
            # the house reader makes each list and mapping anew (no alias), with text keys and plain
            # scalars only; its integers have at most 18 digits (`_SIMPLE_INT`: none past
            # MAX_INTEGER); no text it gives is longer than the document (none past MAX_TEXT); and
            # a container at nesting depth d sits at most d keys and items down (none MAX_DEPTH down).
            return value, True
        try:
            _reject_non_plain(value, source)  # the limits hold whichever reader read it
        except _OverLimit as over:
            raise RecordError(source, _line_at(text, over.where, first_line), over.problem, over.hint) from None
        return value, True
    _check_depth(text, source, first_line)
    ruamel = _ruamel()
    try:
        value = _ruamel_plain(text)
    except ruamel.YAMLError as error:
        raise RecordError(source, _line_of(error, first_line), _problem_of(error)) from None
    except (ValueError, RecursionError, OverflowError) as error:  # a number past Python's 4,300 digits
        raise RecordError(source, None, _("a value cannot be read ({name__}): a number of thousands of digits?").format(name__=type(error).__name__), _("numbers have at most 18 digits; quote an identifier")) from None
    try:
        _reject_non_plain(value, source)
    except _OverLimit as over:
        raise RecordError(source, _line_at(text, over.where, first_line), over.problem, over.hint) from None
    except RecordError as error:
        if "alias" in error.problem:
            raise RecordError(source, _first_alias_line(text, first_line), error.problem,
                              _("write the value out in full")) from None
        raise
    return value, False


def _line_at(text: str, where: tuple[Any, ...], first_line: int) -> int | None:
    """The line of the value at `where` (only asked for a record that is being refused)."""
    try:
        data: Any = _editable_yaml().load(text)
    except Exception:  # noqa: BLE001 - only a line number is at stake
        return None
    line = None
    for part in where:
        try:
            line = data.lc.item(part)[0] if isinstance(part, int) else data.lc.key(part)[0]
            data = data[part]
        except (AttributeError, KeyError, IndexError, TypeError):
            break
    return None if line is None else line + first_line


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
    ruamel = _ruamel()
    try:
        value = _editable_yaml().load(text)
    except ruamel.YAMLError as error:  # pragma: no cover - load_plain raised first
        raise RecordError(source, _line_of(error, first_line), _problem_of(error)) from None
    if not isinstance(value, ruamel.CommentedMap):
        raise RecordError(source, first_line, _("front matter is not a mapping of keys to values"))
    return value


def dump(data: Any, indent: Indent = HOUSE_INDENT) -> str:
    """Write YAML: the house style is 2-space maps and `  - ` lists; no folding."""
    out = io.StringIO()
    _editable_yaml(indent).dump(data, out)
    return out.getvalue()


def dump_list(key: str, items: list[dict[str, Any]], indent: Indent = HOUSE_INDENT) -> str:
    """`key:` and its block list of mappings, exactly as `dump` writes them; the house writer when it can."""
    if indent == HOUSE_INDENT:
        try:
            return f"{key}:\n" + housewrite.write_items(items, HOUSE_INDENT[2], _dump_alone, _reads_as_text)
        except housestyle.NotHouseStyle:
            pass
    return dump(new_map({key: new_seq([new_map(dict(item)) for item in items])}), indent)


def _dump_alone(text: str) -> str:
    return dump(new_map({"k": text}))


def _reads_as_text(text: str) -> bool:
    """Whether `text`, written plain, reads back as the same text (YAML 1.2, and for 1.1 readers)."""
    return implicit_tag(text) == _STR and not _YAML11_NOT_TEXT.match(text)


_KEY_ONLY = re.compile(r"""^[^#'"\[{\s-][^:]*:\s*(?:#.*)?$""")


def guess_indent(text: str) -> Indent:
    """The indentation a person used, so saving their file keeps it.

    Looks at the first nested mapping and the first block list under a key:
    `events:\n- at:` is (2, 2, 0); the house style `events:\n  - at:` is (2, 4, 2).
    """
    mapping = sequence = offset = None
    parent: int | None = None
    for line in text.splitlines():
        stripped = line.lstrip(" ")
        if not stripped or stripped.startswith("#"):
            continue
        lead = len(line) - len(stripped)
        if parent is not None and lead >= parent:
            if stripped.startswith("- ") and offset is None:
                offset = lead - parent
                sequence = offset + 1 + len(stripped[1:]) - len(stripped[1:].lstrip(" "))
            elif not stripped.startswith("- ") and lead > parent and mapping is None:
                mapping = lead - parent
        parent = lead if _KEY_ONLY.match(stripped) else None
        if mapping is not None and offset is not None:
            break
    return (mapping or HOUSE_INDENT[0], sequence or HOUSE_INDENT[1], HOUSE_INDENT[2] if offset is None else offset)


def new_map(pairs: dict[str, Any] | None = None) -> CommentedMap:
    """An ordered, comment-carrying mapping to append to a record."""
    result = _ruamel().CommentedMap()
    for key, value in (pairs or {}).items():
        result[key] = value
    return result


def append_block(seq: Any, item: Any) -> None:
    """Append to a list written `[]` so that it is written as a block list."""
    if isinstance(seq, _ruamel().CommentedSeq) and seq.fa.flow_style() and not seq:
        seq.fa.set_block_style()
    seq.append(item)


def is_editable_map(value: Any) -> bool:
    return type(value) is not dict and isinstance(value, _ruamel().CommentedMap)


def plain(value: Any) -> Any:
    """The value as plain dicts, lists and scalars: what it means, whatever its quoting or comments."""
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, str):
        return str(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    return value


def new_seq(items: list[Any] | None = None) -> CommentedSeq:
    """A block-style list to put into a record."""
    result = _ruamel().CommentedSeq(items or [])
    result.fa.set_block_style()
    return result


def key_spans(data: Any, text: str) -> dict[str, str]:
    """The lines each top-level key of a parsed mapping was written on (comments after it included)."""
    if not isinstance(data, _ruamel().CommentedMap):
        return {}
    lines = text.splitlines(keepends=True)
    starts = sorted((data.lc.key(key)[0], str(key)) for key in data)
    spans = {}
    for index, (line, key) in enumerate(starts):
        end = starts[index + 1][0] if index + 1 < len(starts) else len(lines)
        spans[key] = "".join(lines[line:end])
    return spans


def put_entry(target: Any, source: Any, key: str) -> None:
    """Give `target[key]` the value of `source[key]` with its end-of-line comment,
    placed after the key that precedes it in `source` (at the top if none does)."""
    if key in target:
        target[key] = source[key]
    else:
        position = 0
        for previous in source:
            if previous == key:
                break
            if previous in target:
                position = list(target).index(previous) + 1
        target.insert(position, key, source[key])
    commented = _ruamel().CommentedMap
    if isinstance(target, commented) and isinstance(source, commented):
        comment = source.ca.items.get(key)
        if comment is None:
            target.ca.items.pop(key, None)
        else:
            target.ca.items[key] = comment


def to_block(value: Any) -> Any:
    """Plain data as round-trip nodes written in block style (for values casefile adds)."""
    if isinstance(value, dict):
        return new_map({str(k): to_block(v) for k, v in value.items()})
    if isinstance(value, list):
        return new_seq([to_block(v) for v in value])
    return value


def replace_items(seq: Any, items: list[Any]) -> None:
    """Replace the items of a list in place, so the list keeps its own comments and style."""
    del seq[:]
    seq.extend(items)
    if isinstance(seq, _ruamel().CommentedSeq) and seq and seq.fa.flow_style():
        seq.fa.set_block_style()
