"""The board's rows as values (`board.model`): order, countdowns, what is highlighted, the filters."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from casefile.board.model import BoardFilter, board_rows, next_level, span

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 10, 3, 2, 0, tzinfo=SHANGHAI)  # a holiday night


def row(case: str, due: str | None, breached: tuple[str, ...] = (), paused: bool = False,
        clock: str = "restore") -> dict[str, object]:
    sla = {"next_clock": clock if due else None, "next_due_at": due, "breached": list(breached), "paused": paused}
    return {"id": case, "level": "A", "status": "open", "assignee": "ma.qiang", "customer": "sz-metro",
            "title": "Gates offline at Shenzhen North", "sla": sla}


def test_soonest_deadline_first_across_offsets_then_the_cases_without_a_running_clock() -> None:
    rows = [
        row("KMT-00003", None, paused=True),
        row("KMT-00002", "2026-10-03T03:00:00+08:00"),
        row("KMT-00001", "2026-10-02T19:30:00+00:00"),  # 03:30 in Shanghai: after KMT-00002
        row("KMT-00004", "2026-10-03T01:30:00+08:00", breached=("response",)),
        row("KMT-00000", None),
    ]
    shown = board_rows(rows, {}, SHANGHAI)
    assert [r.id for r in shown] == ["KMT-00004", "KMT-00002", "KMT-00001", "KMT-00000", "KMT-00003"]


def test_countdowns_and_what_is_overdue_at_a_moment() -> None:
    due, breached, paused, none = board_rows([  # soonest first, then by number
        row("KMT-00001", "2026-10-03T02:42:10+08:00"),
        row("KMT-00002", None, paused=True),
        row("KMT-00003", None),
        row("KMT-00004", "2026-10-05T05:10:00+08:00", breached=("response",)),
    ], {"KMT-00002": 2}, SHANGHAI)
    assert (due.countdown(NOW), due.overdue(NOW)) == ("42m 10s left", False)
    later = NOW + timedelta(hours=1, minutes=5, seconds=10)  # 03:05:10: due 23 minutes ago
    assert (due.countdown(later), due.overdue(later)) == ("23m 00s over", True)
    assert (paused.countdown(NOW), paused.overdue(NOW), paused.cells(NOW)["pages"]) == ("paused", False, "2 unacked")
    assert (none.countdown(NOW), none.cells(NOW)["pages"]) == ("—", "")
    assert (breached.countdown(NOW), breached.overdue(NOW)) == ("2d 03h left", True)  # response breached already
    assert due.cells(NOW)["due"] == "restore 10-03 02:42"  # the NEXT DUE cell of `list`
    assert breached.cells(NOW)["due"] == "!restore 10-05 05:10"


def test_span_reads_at_a_glance() -> None:
    assert [span(s) for s in (0, 9, 70, 3600, 3 * 3600 + 5 * 60 + 59, 86400 + 7200)] == [
        "0s", "9s", "1m 10s", "1h 00m", "3h 05m", "1d 02h"]


def test_the_level_filter_steps_through_the_policy_levels_and_back_to_all() -> None:
    levels = ("A", "B", "C", "D")
    steps = [None]
    for _ in range(5):
        steps.append(next_level(steps[-1], levels))
    assert steps == [None, "A", "B", "C", "D", None]
    assert next_level("Z", levels) is None  # a level the policy no longer has


def test_the_filter_says_what_is_shown() -> None:
    assert BoardFilter().describe("li.na") == "showing: all open cases"
    assert BoardFilter(True, "A", "sz-metro").describe("li.na") == "showing: mine (li.na), level A, customer sz-metro"
