"""How values are spelled where people read them (render/cells.py)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from casefile.render.cells import cell, day, dur, minute, num, pct

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize("value, shown", [
    ("2026-11-19T02:10:59+08:00", "2026-11-19 02:10"),  # seconds kept in the record, shown to the minute
    ("2026-11-18T18:10:00+00:00", "2026-11-19 02:10"),  # in the desk's zone
    (datetime(2026, 11, 19, 2, 10, tzinfo=SHANGHAI), "2026-11-19 02:10"),
    (None, "—"), ("", "—"),
    ("tomorrow", "tomorrow"),  # a hand edit is still listed as written
    ("2026-11-19T02:10", "2026-11-19T02:10"),  # no offset: not a stored time
])
def test_minute(value: object, shown: str) -> None:
    assert minute(value, SHANGHAI) == shown


def test_numbers_shares_durations_days_and_cells() -> None:
    assert (num(None), num(3), num(2.5), num(8.0), num(7.125)) == ("—", "3", "2.5", "8.0", "7.12")
    assert (pct(None), pct(0.5), pct({"share": 0.875})) == ("—", "50.0%", "87.5%")
    assert (dur({"text": "4h30m"}), dur(None)) == ("4h30m", "—")
    assert (day("2026-11-19T02:10:00+08:00"), day(None)) == ("2026-11-19", "—")
    assert cell("a | b\nc") == "a \\| b c" and cell("") == "—"
