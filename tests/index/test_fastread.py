"""The fast reader remembers the tag of each plain text it has resolved
(yamlio.implicit_tag, casefile's copy of ruamel's YAML 1.2 table); what it reads must be exactly what
ruamel's own resolver reads, for every kind of plain value, the first time and the next."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml.nodes import ScalarNode
from ruamel.yaml.resolver import VersionedResolver

from casefile.records import yamlio

DOCUMENT = """\
text: wang.fang
empty:
tilde: ~
null_word: null
yes_word: yes
no_word: no
on_word: on
true_word: true
False_word: False
int: 42
negative: -7
octal_12: 0o17
octal_11: 017
hex: 0x1F
float: 2.5
exp: 1e3
inf: .inf
nan: .NaN
sexagesimal: 12:30
phone: 0755-86001234
stamp: 2026-11-19T09:30:00+08:00
date: 2026-11-19
version: 1.2.3
quoted: '42'
list: [1, two, 3.0, null, true, '']
nested: {a: 1, b: no}
"""


def test_remembered_tags_read_what_the_resolver_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    yamlio.implicit_tag.cache_clear()
    first = yamlio.load_plain(DOCUMENT, "doc.yaml")
    again = yamlio.load_plain(DOCUMENT, "doc.yaml")
    monkeypatch.setattr(yamlio._ruamel().Resolver, "resolve", VersionedResolver.resolve)
    plain = yamlio.load_plain(DOCUMENT, "doc.yaml")
    assert first == again == plain
    assert [type(v).__name__ for v in plain.values()] == [type(v).__name__ for v in first.values()]
    assert first["no_word"] == "no" and first["sexagesimal"] == "12:30" and first["octal_11"] == 17, first
    assert first["stamp"] == "2026-11-19T09:30:00+08:00" and first["phone"] == "0755-86001234"
    assert yamlio.implicit_tag.cache_info().hits > 0


def test_the_plain_scalar_table_is_ruamels_own() -> None:
    """`implicit_tag` reads plain scalars without importing ruamel: its table must be ruamel's YAML 1.2 table
    (timestamps off) candidate for candidate, so an upgrade of ruamel that changes it fails here."""
    theirs = yamlio._ruamel().tagger.versioned_resolver
    assert None not in theirs  # no resolver that applies whatever the first character
    ours = yamlio._BY_FIRST
    assert sorted(ours) == sorted(theirs)
    for first, candidates in theirs.items():
        assert [(str(tag), regexp.pattern, regexp.flags) for tag, regexp in candidates] == \
               [(tag, regexp.pattern, regexp.flags) for tag, regexp in ours[first]], first


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="-+._~<=!&*0123456789abefinoxABEFINOTXlrsuLRSU :\t", max_size=12)
       | st.sampled_from(["true", "False", "NULL", "Null", "~", "", ".inf", "-.INF", ".NaN", "0o17", "0x1F", "1_000",
                          "1e3", "+.5", "12:30", "<<", "=", "0b101", "-", "+", "."]))
def test_implicit_tag_is_what_ruamels_resolver_says(text: str) -> None:
    tagger = yamlio._ruamel().tagger
    assert yamlio.implicit_tag(text) == str(VersionedResolver.resolve(tagger, ScalarNode, text, (True, False)))


def test_the_fast_reader_is_the_c_parser() -> None:
    assert yamlio.parser_class_name() == "CParser"


def test_a_key_that_is_not_text_keeps_the_record_as_its_text_whichever_reader_read_it() -> None:
    """The house reader reads only text keys (it leaves `1: x` to ruamel), so the index does not walk its
    values for one; a value ruamel read is walked, and a key that is not text keeps the whole text, which
    JSON would have turned `1` into `"1"` in."""
    from casefile.index.parse import parse_record, restore
    from casefile.records.yamlio import load_plain_read

    house = "---\nid: KMT-00001\ntitle: Printer offline\nlevel: C\nfields:\n  spent: 45m\n---\nBody\n"
    by_hand = "---\nid: KMT-00001\ntitle: Printer offline\nlevel: C\nscale:\n  1: poor\n  5: good\n---\nBody\n"
    commented = "---\nid: KMT-00001  # by hand\ntitle: Printer offline\nlevel: C\n---\nBody\n"
    assert load_plain_read(house.split("---\n")[1], "x.md")[1] is True
    assert load_plain_read(by_hand.split("---\n")[1], "x.md")[1] is False
    assert load_plain_read(commented.split("---\n")[1], "x.md")[1] is False
    for text, as_json in ((house, True), (by_hand, False), (commented, True)):
        record = parse_record(text.encode(), "notes/printer.md")  # no kind's screen: the reading alone
        assert (record.data is not None) is as_json
        data, body = restore("notes/printer.md", record)
        assert body == "Body\n"
        if text is by_hand:
            assert data["scale"] == {1: "poor", 5: "good"}
