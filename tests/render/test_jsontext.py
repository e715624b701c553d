"""`--json` output is exactly `json.dumps(value, ensure_ascii=False, indent=2, default=str)`,
however it is produced (the fast path for long lists of flat objects included)."""

from __future__ import annotations

import json
import random
from datetime import datetime
from typing import Any

import pytest

from casefile.render.jsontext import dumps, pieces


def reference(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, default=str)


SHAPES: list[Any] = [
    [], {}, [{}], [[]], "text", 3, None, 1.5,
    [1, "a", None],
    [{"a": 1, "b": [1, {"c": None}], "d": {}}],
    [{"x": "line\nbreak}", "y": 1.5, "z": True, "w": None, "u": '汉字 "q" \\ },\n    {'}],
    [{"k": float("nan"), "inf": float("inf")}],
    [{1: "a number as key"}],
    [{"a": [1, 2]}, {"b": 2}],
    {"a": [{"b": 1}]},
    [{"a": 1}, {}],
    [{"at": datetime(2026, 11, 2, 9, 0)}],
    [{"pair": (1, 2)}],
    [{"id": f"KMT-{n:05d}", "title": "打印机 offline", "n": n} for n in range(4500)],
]


@pytest.mark.parametrize("value", SHAPES, ids=range(len(SHAPES)))
def test_same_text_as_json_dumps_with_indent(value: Any) -> None:
    assert dumps(value) == reference(value)


def test_random_rows_of_plain_values() -> None:
    rng = random.Random(7)
    plain = [None, True, False, 0, -7, 2.25, "", "a,b", "},\n    {", "\u00e9\u6c49", "\\", '"']
    rows = [{f"k{i}": rng.choice(plain) for i in range(rng.randint(1, 6))} for _ in range(3000)]
    assert dumps(rows) == reference(rows)


def test_a_long_list_comes_in_pieces() -> None:
    rows = [{"n": n} for n in range(10_000)]
    assert len(list(pieces(rows))) > 3


def test_rows_with_an_object_inside_some_of_them() -> None:
    # `list --all --json`: closed cases are flat, open ones carry their `sla`.
    rows: list[Any] = [
        {"id": f"KMT-{n:05d}", "status": "closed", "sla": None} if n % 7 else
        {"id": f"KMT-{n:05d}", "status": "open", "sla": {"next": "response", "breached": ["restore"], "x": {}}}
        for n in range(4500)
    ]
    rows[10] = {}
    rows[11] = {2: "a number as key"}
    assert dumps(rows) == reference(rows)
    assert len(list(pieces(rows))) > 3


# An object holding long lists (`check --json` after an archive's first run: 136,785 fired alerts) is
# written member by member, its lists in pieces like a list alone, the same text as json.dumps gives.
OBJECTS: list[Any] = [
    {"now": "2026-11-20 10:00", "fired": [{"record": f"KMT-{n:05d}", "paged": [], "n": n} for n in range(4500)],
     "deferred": [], "mail": None, "pages": {"sent": [{"to": "li.na"}], "x": {}}, "汉字": [1, [2]]},
    {"a": {"b": {"c": [{"d": "line\nbreak", "e": {}}]}}},
    {"1": 1, "": ""},
    {1: "a number as key", "b": [{"c": 1}]},
    {"t": (1, 2), "at": datetime(2026, 11, 2, 9, 0), "nan": float("nan")},
]


@pytest.mark.parametrize("value", OBJECTS, ids=range(len(OBJECTS)))
def test_an_object_is_the_same_text_as_json_dumps_with_indent(value: Any) -> None:
    assert dumps(value) == reference(value)


def test_an_object_with_a_long_list_comes_in_pieces() -> None:
    value = {"now": "2026-11-20 10:00", "fired": [{"n": n} for n in range(10_000)], "broken": []}
    assert len(list(pieces(value))) > 5 and max(len(p) for p in pieces(value)) < 100_000


def test_random_nested_values() -> None:
    rng = random.Random(17)
    scalars = [None, True, 0, -3, 1.25, "", "a\nb", "},\n    {", "汉字", '"', float("inf")]

    def value(depth: int) -> Any:
        kind = rng.randrange(5 if depth < 4 else 1)
        if kind == 0:
            return rng.choice(scalars)
        if kind in (1, 2):
            return {rng.choice(["a", "b", "汉", "", "x y"]) + str(n): value(depth + 1) for n in range(rng.randrange(4))}
        if kind == 3:
            return [value(depth + 1) for _ in range(rng.randrange(4))]
        return [{f"k{n}": rng.choice(scalars) for n in range(rng.randrange(1, 4))} for _ in range(rng.randrange(1, 5))]

    for _ in range(2000):
        sample = value(0)
        assert dumps(sample) == reference(sample)
