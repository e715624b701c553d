"""The YAML dialect: fast C reads, one resolution for both readers, refusals."""

from __future__ import annotations

import pytest

from casefile.records import yamlio
from casefile.records.yamlio import RecordError


def test_reads_use_the_c_parser() -> None:
    # ruamel.yaml >= 0.19 needs the [oldlibyaml] extra for it; without it reads silently run 5x slower.
    assert yamlio.parser_class_name() == "CParser"


def test_both_readers_agree_on_types() -> None:
    text = "a: no\nb: 12:30\nc: '0755'\nd: 2026-11-02T09:00:00+08:00\ne: 2026-11-02\nf: 0755\ng: true\n"
    plain = yamlio.load_plain(text, "x")
    editable = yamlio.load_editable(text, "x")
    assert plain == {k: editable[k] for k in editable}
    assert plain["a"] == "no" and plain["b"] == "12:30" and plain["d"] == "2026-11-02T09:00:00+08:00"
    assert plain["f"] == 755  # the leading zero is lost: why casefile writes such values quoted
    assert yamlio.dump(yamlio.new_map({"phone": "0755", "t": "12:30", "b": "on"})) == "phone: '0755'\nt: '12:30'\nb: 'on'\n"


def test_a_yaml_11_directive_does_not_change_the_dialect() -> None:
    assert yamlio.load_plain("%YAML 1.1\n---\na: no\n", "x") == {"a": "no"}


@pytest.mark.parametrize("text, problem", [
    ("a: [1\n", "malformed YAML"),
    ("a: 1\na: 2\n", "malformed YAML"),
    ("a: !!python/name:os.system ''\n", "YAML tag"),
    ("a: !!binary aGVsbG8=\n", "not allowed"),
    ("a: &x [1]\nb: *x\n", "anchors and aliases"),
])
def test_refusals_name_the_problem(text: str, problem: str) -> None:
    with pytest.raises(RecordError, match=problem):
        yamlio.load_plain(text, "cases/x.md", 2)


def test_a_syntax_error_carries_the_line_of_the_file() -> None:
    with pytest.raises(RecordError) as caught:
        yamlio.load_plain("a: 1\nb: 2\nc: [3\n", "cases/x.md", 2)
    assert caught.value.line in (4, 5)
    assert str(caught.value).startswith(f"cases/x.md:{caught.value.line}: malformed YAML")
