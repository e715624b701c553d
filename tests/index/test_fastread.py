"""The fast reader remembers the tag of each plain text it has resolved
(yamlio._plain_scalar_tag); what it reads must be exactly what the YAML 1.2
resolver reads, for every kind of plain value, the first time and the next."""

from __future__ import annotations

import pytest
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
    yamlio._plain_scalar_tag.cache_clear()
    first = yamlio.load_plain(DOCUMENT, "doc.yaml")
    again = yamlio.load_plain(DOCUMENT, "doc.yaml")
    monkeypatch.setattr(yamlio._Resolver, "resolve", VersionedResolver.resolve)
    plain = yamlio.load_plain(DOCUMENT, "doc.yaml")
    assert first == again == plain
    assert [type(v).__name__ for v in plain.values()] == [type(v).__name__ for v in first.values()]
    assert first["no_word"] == "no" and first["sexagesimal"] == "12:30" and first["octal_11"] == 17, first
    assert first["stamp"] == "2026-11-19T09:30:00+08:00" and first["phone"] == "0755-86001234"
    assert yamlio._plain_scalar_tag.cache_info().hits > 0


def test_the_fast_reader_is_the_c_parser() -> None:
    assert yamlio.parser_class_name() == "CParser"
