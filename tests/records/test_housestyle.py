"""The house-style reader gives exactly what ruamel gives, or hands the text to ruamel.

Three corpora: the bench's generated cases (the shape `open`/`note`/... write),
every record and file of the demo desk after its day, and values drawn by
hypothesis and written with `yamlio.dump`; plus hand-written oddities, each of
which must be read the same or refused by the fast reader.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casefile.records import housestyle, yamlio
from casefile.records.file import split
from casefile.records.yamlio import RecordError

ROOT = Path(__file__).resolve().parents[2]


def fast_or_none(text: str) -> tuple[bool, Any]:
    try:
        return True, yamlio.load_house(text)
    except housestyle.NotHouseStyle:
        return False, None


def same_as_ruamel(text: str) -> bool:
    """True when the fast reader read `text`; fails the test if it read it differently."""
    taken, fast = fast_or_none(text)
    if not taken:
        return False
    slow = yamlio.load_ruamel(text)
    assert fast == slow, text
    assert _types(fast) == _types(slow), text
    return True


def _types(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _types(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_types(v) for v in value]
    return type(value).__name__


def test_the_bench_corpus_is_read_by_the_fast_reader_exactly() -> None:
    sys.path.insert(0, str(ROOT))
    try:
        from bench.casegen import CaseFactory
    finally:
        sys.path.remove(str(ROOT))
    factory = CaseFactory(600, 40, "f5c1c8ac4b9118bc3939a1730c52085ed609c255")
    taken = sum(same_as_ruamel(split(factory.build(i).text, "case").header) for i in range(600))
    assert taken == 600  # every record casefile writes is house style


def test_every_file_of_the_demo_desk_reads_the_same(demo_day: tuple[Path, list[str]]) -> None:
    desk, _ = demo_day
    read = records = 0
    for path in sorted(desk.rglob("*")):
        if ".git" in path.parts or path.suffix not in (".md", ".yaml"):
            continue
        text = path.read_text(encoding="utf-8")
        header = split(text, str(path)).header if path.suffix == ".md" and text.startswith("---\n") else text
        if path.suffix == ".md" and not text.startswith("---\n"):
            continue
        records += path.suffix == ".md"
        read += same_as_ruamel(header)
    assert records >= 10
    assert read >= records  # every record (and the YAML files without comments)


# Control characters are left out: ruamel writes them in block text it then refuses to read
# (the commands refuse them at input).
_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"), include_characters="\n"), max_size=40)
_keys = st.from_regex(r"[a-z_][a-z0-9_]{0,11}", fullmatch=True)
_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-yamlio.MAX_INTEGER, yamlio.MAX_INTEGER),  # larger ones are refused by both
    st.floats(allow_nan=False, allow_infinity=True),
    _text,
    st.sampled_from(["no", "yes", "12:30", "0755-86001234", "007", "1e3", "~", "null", "True", "- x",
                     "a: b", "a #b", "#x", "'q'", '"q"', "|", "x\n", "\n\n", "  lead", "trail  ",
                     "2026-11-22T09:14:00+08:00", "[1]", "{a: 1}", "多行\n文字\n", "E-04 since 08:30"]),
)
_values = st.recursive(
    _scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(_keys, inner, max_size=4)),
    max_leaves=25,
)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(_keys, _values, min_size=1, max_size=6))
def test_whatever_dump_writes_is_read_the_same(data: dict[str, Any]) -> None:
    text = yamlio.dump(yamlio.to_block(data))
    same_as_ruamel(text)
    if _depth(data) > yamlio.MAX_DEPTH:  # refused whichever reader reads it
        with pytest.raises(RecordError):
            yamlio.load_plain(text, "x")
    else:
        assert yamlio.load_plain(text, "x") == yamlio.load_ruamel(text)


def _depth(value: Any) -> int:
    if isinstance(value, dict):
        return 1 + max((_depth(v) for v in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((_depth(v) for v in value), default=0)
    return 0


ODDITIES = [
    "a: 1\n# a comment\nb: 2\n",
    "a: 1 # trailing comment\n",
    "a: [1, 2]\n",
    "a: {b: 1}\n",
    "a: &x 1\nb: *x\n",
    "a: !!python/object:os.system x\n",
    "a:\n\tb: 1\n",
    "a: \"tab\\there\"\n",
    "a: 'two\n  lines'\n",
    "a: plain\n  continued\n",
    "a: 1\na: 2\n",
    "a:\n    b: 1\n   c: 2\n",
    "a:\n- x\n- y\nb: z\n",
    "a:\n  - x\n  -\n  - z\n",
    "a: |2-\n    indented first\n  then less\n",
    "a: |+\n  kept\n\n\nb: 1\n",
    "a: |-\n  x\n\n  y\n",
    "a: |\n\n  after a blank\n",
    "a: |\n   \n  x\n",
    "a: >\n  folded\n  text\n",
    "a: 0o17\nb: 0x1F\nc: 1_000\nd: .inf\ne: -.5\nf: +1\ng: 010\n",
    "%YAML 1.1\n---\na: no\n",
    "a: b: c\n",
    "? a\n: b\n",
    "- a\n- b\n",
    "just text\n",
    "",
    "\n\n",
    "a:   spaced\n",
    "a: x\u2028y\n",
    "a: x\x85y\n",
    "null: 1\n",
    "1: one\n",
    "a:\nb:\n",
    "a:\n  - b: 1\n    c:\n      - d\n  - e\n",
    "a: 'it''s'\nb: ''\nc: \"\"\n",
    "a: C# and a:b and 50%\n",
    "a:  \n  b: 1\n",
    "events:\n  - at: 1\n    text: |\n      line\n  - at: 2\n",
]


@pytest.mark.parametrize("text", ODDITIES)
def test_an_odd_text_is_read_the_same_or_left_to_ruamel(text: str) -> None:
    try:
        slow = yamlio.load_ruamel(text)
    except Exception:
        taken, _ = fast_or_none(text)
        assert not taken, f"the fast reader read what ruamel refuses: {text!r}"
        with pytest.raises(RecordError):
            yamlio.load_plain(text, "x")
        return
    taken, fast = fast_or_none(text)
    if taken:
        assert fast == slow and _types(fast) == _types(slow)
    try:
        assert yamlio.load_plain(text, "x") == slow
    except RecordError:
        assert not taken  # an anchor or a key that is not text: refused by load_plain after ruamel


def test_the_house_style_is_what_most_oddities_are_not() -> None:
    # the reader is not vacuous: it takes the plain subset and leaves the rest
    taken = [text for text in ODDITIES if fast_or_none(text)[0]]
    assert "a: 'it''s'\nb: ''\nc: \"\"\n" in taken
    assert "a: 1\n# a comment\nb: 2\n" not in taken
    assert "a: [1, 2]\n" not in taken


def _nested(depth: int, leaf: str = "x") -> str:
    """A block mapping `depth` mappings deep (the top one counts), `leaf` as the deepest value."""
    lines = [f"{'  ' * level}k{level}:" for level in range(depth - 1)]
    return "\n".join([*lines, f"{'  ' * (depth - 1)}v: {leaf}"]) + "\n"


LIMITS = [
    _nested(yamlio.MAX_DEPTH - 1), _nested(yamlio.MAX_DEPTH), _nested(yamlio.MAX_DEPTH + 1),
    _nested(yamlio.MAX_DEPTH - 1, "[]"), _nested(yamlio.MAX_DEPTH, "[]"), _nested(yamlio.MAX_DEPTH, "{}"),
    "k0:\n" + "".join(f"{'  ' * n}- k{n + 1}:\n" for n in range(yamlio.MAX_DEPTH)) + "  " * 17 + "v: 1\n",
    "n: 999999999999999999\n", "n: -999999999999999999\n", "n: 1000000000000000000\n",
    "t: " + "x" * yamlio.MAX_TEXT + "\n", "t: " + "x" * (yamlio.MAX_TEXT + 1) + "\n",
    "t: |\n" + "  y\n" * (yamlio.MAX_TEXT // 2) + "u: 1\n", "t: |\n" + "  y\n" * (yamlio.MAX_TEXT // 2 + 1),
]


def test_the_limit_texts_are_mostly_house_style() -> None:
    # not vacuous: the texts just inside a limit are the ones the house reader takes and does not walk
    taken = [index for index, text in enumerate(LIMITS) if fast_or_none(text)[0]]
    assert taken == [0, 1, 2, 3, 4, 5, 6, 7, 10, 11, 12, 13]


@pytest.mark.parametrize("text", LIMITS, ids=range(len(LIMITS)))
def test_at_each_limit_the_house_reader_and_ruamel_give_the_same_verdict(text: str) -> None:
    # What the house reader reads inside every limit is not walked again (`load_plain`): a text at or
    # past a limit must still be refused with the same problem, at the same line, as through ruamel.
    commented = "# through ruamel\n" + text

    def verdict(source: str, first_line: int) -> Any:
        try:
            return "read", yamlio.load_plain(source, "x", first_line)
        except RecordError as error:
            return "refused", error.problem, error.hint, error.line

    assert verdict(text, 1) == verdict(commented, 0)


def test_the_key_memo_keeps_each_verdict_and_each_reader_apart() -> None:
    """Keys are checked and typed once per scalar reader (`housestyle._key`): a refused key is refused
    every time, an accepted one read the same, and another reader's typing is never borrowed."""
    for _ in range(2):
        assert yamlio.load_house("title: Printer offline\nlevel: C\n") == {"title": "Printer offline", "level": "C"}
        with pytest.raises(housestyle.NotHouseStyle, match="not text"):
            yamlio.load_house("1: one\n")  # an integer key: ruamel reads it
        with pytest.raises(housestyle.NotHouseStyle, match="not plain text"):
            yamlio.load_house("'quoted': one\n")
    assert housestyle.read("1: one\n", str) == {"1": "one"}  # a reader that types every scalar as text
    with pytest.raises(housestyle.NotHouseStyle, match="not text"):
        yamlio.load_house("1: one\n")


@given(st.datetimes(timezones=st.timezones()), st.sampled_from(["seconds", "minutes"]))
def test_a_time_stamp_the_house_reader_takes_as_text_is_text_to_ruamel(moment: Any, spec: str) -> None:
    """The house reader reads a stamp as text without asking ruamel's resolver; ruamel reads it so too."""
    text = moment.replace(microsecond=0).isoformat(timespec=spec)
    assert yamlio.load_ruamel(f"at: {text}\n") == {"at": text}
    assert yamlio.load_house(f"at: {text}\n") == {"at": text}


def test_a_utc_stamp_with_z_is_text_to_both_readers() -> None:
    for text in ("2026-11-02T01:00:00Z", "2026-12-31T23:59:59Z"):
        assert yamlio.load_ruamel(f"at: {text}\n") == yamlio.load_house(f"at: {text}\n") == {"at": text}
