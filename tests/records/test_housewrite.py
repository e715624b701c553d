"""The house-style writer writes exactly what ruamel writes, or leaves the value to ruamel.

Corpora: the events of the bench's generated cases and of the demo desk after its day (what
`open`/`note`/`check` write), values drawn by hypothesis, and hand-picked texts that sit on
the edge of plain and quoted.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from casefile.records import housestyle, housewrite, yamlio
from casefile.records.file import split

ROOT = Path(__file__).resolve().parents[2]


def ruamel_list(items: list[dict[str, Any]]) -> str:
    return yamlio.dump(yamlio.new_map({"events": yamlio.new_seq([yamlio.new_map(dict(i)) for i in items])}))


def fast_list(items: list[dict[str, Any]]) -> str | None:
    try:
        return "events:\n" + housewrite.write_items(items, 2, yamlio._dump_alone, yamlio._reads_as_text)
    except housestyle.NotHouseStyle:
        return None


def same_as_ruamel(items: list[dict[str, Any]]) -> bool:
    """True when the fast writer wrote `items`; fails the test if it wrote other bytes than ruamel."""
    fast = fast_list(items)
    if fast is None:
        return False
    assert fast == ruamel_list(items), items
    assert yamlio.dump_list("events", items) == fast
    return True


def test_the_events_of_the_bench_corpus_are_written_by_the_fast_writer_exactly() -> None:
    sys.path.insert(0, str(ROOT))
    try:
        from bench.casegen import CaseFactory
    finally:
        sys.path.remove(str(ROOT))
    factory = CaseFactory(400, 30, "f5c1c8ac4b9118bc3939a1730c52085ed609c255")
    written = 0
    for number in range(400):
        data = yamlio.load_plain(split(factory.build(number).text, "case").header, "case")
        written += same_as_ruamel(data["events"])
    assert written == 400


def test_the_events_of_the_demo_desk_are_written_the_same(demo_day: tuple[Path, list[str]]) -> None:
    desk, _ = demo_day
    lists = written = 0
    for path in sorted(desk.rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        if ".git" in path.parts or not text.startswith("---\n"):
            continue
        data = yamlio.load_plain(split(text, str(path)).header, str(path))
        if isinstance(data, dict) and data.get("events"):
            lists += 1
            written += same_as_ruamel(data["events"])
    assert lists >= 9
    assert written == lists  # check's alerts, notes in Chinese, fields of every kind


EDGES = [
    "", " ", "a", "-", "-a", "- a", "a:", "a: b", "a:b", "a #b", "a#b", "#a", "---", "...x", "?", "? a",
    "no", "yes", "on", "12:30", "007", "0o7", "1e3", "1.5", ".5", "~", "null", "Null", "true", "True",
    "2026-11-20T10:00:00+08:00", "2026-11-20", "breach/progress@2023-11-22T05:21:13+08:00",
    "{clock}: target {target} breached", "[x]", "x]", "a, b", "'q'", "it's", '"q"', "a  b", "lead ",
    " trail", "E-04 since 08:30", "0755-86001234", "+86 755 8600 1234", "本地人员到场", "客户：很长的说明，",
    "张伟 (IT)", "a=b", "x@y.z", "@x", "%x", "&x", "*x", "!x", "|", ">", "`x`", "a\tb", "\u00a0x",
    "x\u2028y", "\ufeffx", "\x85", "é", "ＡＢＣ", "a" * 600,
]


def test_edge_texts_are_written_as_ruamel_writes_them_or_refused() -> None:
    written = sum(same_as_ruamel([{"text": text, "key": text or "k"}]) for text in EDGES)
    assert written >= len(EDGES) - 6  # only the long text and the odd line breaks go to ruamel


_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30)
_keys = st.from_regex(r"[a-z_][a-z0-9_]{0,11}", fullmatch=True)
_scalars = st.one_of(st.none(), st.booleans(), st.integers(-(10**12), 10**12), st.floats(allow_nan=False),
                     _text, st.sampled_from(EDGES))
_values = st.recursive(
    _scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(_keys, inner, max_size=3)),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.dictionaries(_keys, _values, max_size=5), min_size=1, max_size=3))
def test_whatever_the_fast_writer_writes_is_what_ruamel_writes(items: list[dict[str, Any]]) -> None:
    same_as_ruamel(items)
