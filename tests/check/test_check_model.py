"""Whom `check` tells and what it writes of a fired alert (check/model.py, check/run.py)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from casefile.check.model import Broken, CheckResult, Due, Fired, alert_fields, recorded_keys
from casefile.check.run import recipients
from casefile.errors import ExitCode
from casefile.policy.people import People, Person
from casefile.sla.engine import Alert, AlertKind

SHANGHAI = ZoneInfo("Asia/Shanghai")
DUE = datetime(2026, 10, 3, 2, 30, tzinfo=SHANGHAI)
PEOPLE = People({
    "wang.fang": Person("wang.fang", "Wang Fang", "w@x", roles=("service-desk",)),
    "li.na": Person("li.na", "Li Na", "l@x"),
})


def test_the_assignee_is_told_else_the_desk_and_a_role_nobody_holds_is_named() -> None:
    assert recipients(PEOPLE, ("assignee",), "li.na") == (("li.na",), ())
    assert recipients(PEOPLE, ("assignee",), None) == (("wang.fang",), ())
    assert recipients(PEOPLE, ("assignee", "service-desk", "general-manager"), "li.na") == (
        ("li.na", "wang.fang"), ("general-manager",))


def test_a_fired_alert_records_its_key_whom_it_told_and_when() -> None:
    alert = Alert("ladder/general-manager", AlertKind.LADDER, "ladder-1", "2h since report", DUE, DUE,
                  ("general-manager",), "2h")
    due = Due("cases", "cases/2026/10/KMT-00001.md", "KMT-00001", "Core switch down", "A", None, (alert,))
    fields = alert_fields(Fired(due, alert, (), ("general-manager",), DUE), lambda at: at.isoformat())
    assert fields["key"] == "ladder/general-manager" and fields["ladder"] == "ladder-1"
    assert fields["nobody_holds"] == ["general-manager"] and fields["fired_at"] == DUE.isoformat()
    assert recorded_keys({"events": [{"kind": "ladder", "fields": fields}, {"kind": "note"}]}) == {
        "ladder/general-manager"}


def test_the_exit_status_says_the_worst_thing_first() -> None:
    result = CheckResult(DUE, dry_run=False)
    assert result.exit_code(fail_on_breach=True) is ExitCode.OK and result.quiet
    result.breached.append((None, "restore"))  # type: ignore[arg-type]
    assert result.exit_code(fail_on_breach=False) is ExitCode.OK
    assert result.exit_code(fail_on_breach=True) is ExitCode.BREACH
    result.broken.append(Broken("cases/2026/10/KMT-00002.md", "malformed YAML"))
    assert result.exit_code(fail_on_breach=True) is ExitCode.INVALID and not result.quiet
