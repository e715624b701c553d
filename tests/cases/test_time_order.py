"""Time order (issue 14): a step cannot come before the case's opening or its last activity, a visit must
lie between the opening and now, and `validate` flags records whose times run backwards.  Every refusal:
one line naming the times, exit 1, nothing written."""

from __future__ import annotations

import pytest

from clihelp import CLI
from recordhelp import refused

OPENED = "2026-10-01T02:10:00+08:00"


@pytest.fixture
def case(cli: CLI) -> str:
    number = cli.open("Core switch down at Futian", "A", "--customer", "sz-metro", "--assign", "ma.qiang", now=OPENED)
    cli("respond", number, "-m", "On it.", now="2026-10-01T02:18:00+08:00", actor="ma.qiang")
    return number


@pytest.mark.parametrize("args", [
    ("respond", "-m", "Answered before the call."),
    ("note", "-m", "A note from the past."),
    ("resolve", "-m", "Fixed before it broke."),
    ("pend", "--reason", "Waiting"),
    ("escalate", "--to", "L3", "--reason", "Expert needed"),
    ("change", "--level", "B"),
])
def test_a_step_before_the_opening_is_refused(cli: CLI, args: tuple[str, ...]) -> None:
    fresh = cli.open("Printer offline", "C", now="2026-10-01T09:00:00+08:00")
    refused(cli, args[0], fresh, *args[1:], now="2026-10-01T08:59:00+08:00", actor="ma.qiang",
            says=f"2026-10-01 08:59 is before {fresh} was opened (2026-10-01 09:00) (check --now")


def test_close_before_the_opening_is_refused(cli: CLI, case: str) -> None:
    cli("resolve", case, "-m", "Restored.", now="2026-10-01T05:40:00+08:00", actor="ma.qiang")
    refused(cli, "close", case, "--confirmed-by", "Huang Tao", now="2026-10-01T01:00:00+08:00",
            says=f"2026-10-01 01:00 is before {case} was opened (2026-10-01 02:10)")


def test_a_step_before_the_last_activity_is_refused(cli: CLI, case: str) -> None:
    says = f"2026-10-01 02:15 is before {case}'s last activity (responded by ma.qiang at 2026-10-01 02:18)"
    refused(cli, "note", case, "-k", "progress", "-m", "Late entry", now="2026-10-01T02:15:00+08:00", says=says)
    refused(cli, "resolve", case, "-m", "Restored", now="2026-10-01T02:15:00+08:00", says=says)


def test_a_clock_a_few_seconds_behind_is_not_refused(cli: CLI, case: str) -> None:
    # Clones' clocks differ by seconds: 30 s "before" the last event is within the skew.
    cli("note", case, "-m", "Called the vendor.", now="2026-10-01T02:17:30+08:00", actor="ma.qiang")
    assert cli("validate", expect=None).code == 0


def test_dispatch_before_the_opening_and_arrival_in_the_future_are_refused(cli: CLI, case: str) -> None:
    refused(cli, "note", case, "-k", "onsite", "--dispatched-at", "2026-10-01T02:00", "-m", "Left.",
            now="2026-10-01T02:35:00+08:00",
            says=f"--dispatched-at 2026-10-01 02:00 is before {case} was opened (2026-10-01 02:10)")
    refused(cli, "note", case, "-k", "onsite", "--arrived-at", "2026-10-01T03:20", "-m", "Arrived.",
            now="2026-10-01T02:35:00+08:00",
            says="--arrived-at 2026-10-01 03:20 is later than now (2026-10-01 02:35)")
    # Recorded afterwards with the times it happened: between the opening and now, accepted.
    cli("note", case, "-k", "onsite", "--dispatched-at", "2026-10-01T02:35", "--arrived-at", "2026-10-01T03:20",
        "-m", "On site.", now="2026-10-01T03:25:00+08:00", actor="ma.qiang")
    shown = cli("show", case, "--json").json
    assert shown["onsite_at"] == "2026-10-01T03:20:00+08:00"


def test_a_step_refused_for_what_it_is_says_that_first(cli: CLI, case: str) -> None:
    # Responding twice is wrong at any time; the earlier --now is not the news.
    refused(cli, "respond", case, "-m", "Again", now="2026-10-01T01:00:00+08:00", says="already had its first response")


def test_validate_flags_times_that_run_backwards(cli: CLI, case: str) -> None:
    path = cli.repo / cli("show", case, "--json").json["path"]
    text = path.read_text(encoding="utf-8")
    text = text.replace("responded_at: '2026-10-01T02:18:00+08:00'", "responded_at: '2026-10-01T02:00:00+08:00'")
    text = text.replace("responded_at: 2026-10-01T02:18:00+08:00", "responded_at: 2026-10-01T02:00:00+08:00")
    text = text.replace("  - at: 2026-10-01T02:18:00+08:00\n    by: ma.qiang\n    kind: responded",
                        "  - at: 2026-10-01T01:58:00+08:00\n    by: ma.qiang\n    kind: responded")
    path.write_text(text, encoding="utf-8")
    found = cli("validate", "--json", expect=5).json
    messages = [f["message"] for f in found]
    assert "responded_at is before opened_at: times run backwards" in messages
    assert any(m.startswith("events[2] is before the case was opened") for m in messages), messages
    assert all(f["line"] for f in found)
