"""`RunningClock`: the one clock of a command that stays open starts at --now and runs on from there."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from casefile.worktime.clock import RunningClock

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_it_starts_where_it_is_told_and_runs_by_its_counter() -> None:
    seconds = [1000.0]
    clock = RunningClock(datetime(2026, 10, 3, 2, 0, tzinfo=SHANGHAI), lambda: seconds[0])
    assert clock.now() == datetime(2026, 10, 3, 2, 0, tzinfo=SHANGHAI)
    seconds[0] += 5 * 60 + 0.7  # five minutes and a bit: stored times are to the second
    assert clock.now() == datetime(2026, 10, 3, 2, 5, tzinfo=SHANGHAI)


def test_by_default_it_runs_with_real_time() -> None:
    start = datetime(2026, 10, 3, 2, 0, tzinfo=SHANGHAI)
    clock = RunningClock(start)
    assert 0 <= (clock.now() - start).total_seconds() < 5
