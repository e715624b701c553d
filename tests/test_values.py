"""casefile's value classes (`casefile.values`, msgspec Structs): what the code relies on from a frozen
dataclass holds for them too — immutable, equal and hashed by their fields only (a cache is never a field),
`replace` checks the new value again, and JSON gets plain builtins; `from_json` reads what `json.loads` reads,
and `to_json` writes what they read back."""

from __future__ import annotations

import json
from datetime import date

import pytest
from hypothesis import given, strategies as st

from casefile.said import Said
from casefile.mail.outbox import FlushResult, Message
from casefile.values import Struct, from_json, is_value, plain, replace, to_json
from casefile.worktime.config import calendar_from_policy
from casefile.worktime.duration import WorkingDays

FIVE_BY_EIGHT = {"timezone": "Asia/Shanghai", "holidays": "CN", "hours": ["09:00-12:00", "13:00-18:00"]}


def test_a_frozen_value_refuses_a_change() -> None:
    days = WorkingDays(2)
    with pytest.raises(AttributeError):
        days.days = 3  # type: ignore[misc]
    assert days == WorkingDays(2) and hash(days) == hash(WorkingDays(2)) and str(days) == "2d"


def test_a_calendar_is_equal_and_hashed_by_its_definition_not_by_what_it_has_worked_out() -> None:
    used, fresh = calendar_from_policy("5x8", FIVE_BY_EIGHT), calendar_from_policy("5x8", FIVE_BY_EIGHT)
    assert not used.is_working_day(date(2026, 10, 1))  # National Day: works out and keeps the day's plan
    assert used.is_working_day(date(2026, 10, 10))  # a make-up working day (Saturday)
    assert used == fresh and hash(used) == hash(fresh)
    assert "_plans" not in repr(used)
    assert used.zone.key == "Asia/Shanghai"


def test_replace_checks_the_new_value_as_the_constructor_does() -> None:
    assert replace(WorkingDays(2), days=5) == WorkingDays(5)
    with pytest.raises(ValueError, match="at least one day"):
        replace(WorkingDays(2), days=0)


def test_plain_gives_json_builtins_nested_values_included() -> None:
    said = Said.of("{clock} is due", clock="response")
    assert is_value(said) and not is_value(Said) and isinstance(said, Struct)
    assert plain(said) == {"key": "{clock} is due", "values": (("clock", "response"),)}
    message = Message(id="m1", to=("zhang.wei@acme.example",), subject="XDC-00004: 已受理", body="您好",
                      alerts=(("cases/2026/11/XDC-00004.md", "opened"),), created_at="2026-11-19T10:15:00+08:00")
    assert plain(FlushResult(sent=[message]))["sent"][0]["to"] == ("zhang.wei@acme.example",)
    assert Message.from_json(message.to_json()) == message


_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.integers(min_value=2**63 - 2, max_value=2**64 + 2)
    | st.floats() | st.text(),  # floats: NaN and the infinities too, which json.dumps writes
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@given(_JSON_VALUES)
def test_from_json_reads_every_text_json_dumps_writes_as_json_loads_does(value: object) -> None:
    for text in (json.dumps(value, ensure_ascii=False, separators=(",", ":")), json.dumps(value)):
        # compared as JSON again: NaN is not equal to itself
        assert json.dumps(from_json(text)) == json.dumps(json.loads(text))


@pytest.mark.parametrize("text", ['{"a":', "[1,]", "NaNa", '"\ud800', ""])
def test_from_json_refuses_what_json_loads_refuses(text: str) -> None:
    with pytest.raises(ValueError):
        json.loads(text)
    with pytest.raises(ValueError):
        from_json(text)


@given(st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
))
def test_to_json_writes_what_both_readers_read_back_as_the_value(value: object) -> None:
    text = to_json(value)
    assert json.dumps(json.loads(text)) == json.dumps(from_json(text)) == json.dumps(value)
