"""Issue 12, acceptance 3: from 1 December `check` says once per run-day that next year's official days are
missing, with the fix; cron mails what a run prints, so it is not said every five minutes."""

from __future__ import annotations

from pathlib import Path

import pytest

from clihelp import CLI, TESTS, commit_count, git

NOTICE_2027 = TESTS / "worktime" / "notices" / "2027-made-up.txt"
AS = ["-c", "user.name=Wang Fang 王芳", "-c", "user.email=wang.fang@jinqiao-it.example"]
SAID = ("casefile check at 2026-12-01 09:00 (Asia/Shanghai): the official days of 2027 (next year) for CN are "
        "missing (calendars 5x24, 5x8): clocks that reach into 2027 cannot be computed until they are in\n"
        "  the State Council publishes them around November; when the notice is out: "
        "casefile calendar import-notice NOTICE.txt --commit")


@pytest.fixture
def desk_path(cases_only_desk: Path) -> Path:
    return cases_only_desk


def test_check_says_the_missing_year_once_a_day(cli: CLI) -> None:
    before = commit_count(cli.repo)
    assert cli("check", now="2026-11-30T23:55:00+08:00").out == ""  # before the reminder day
    dry = cli("check", "--dry-run", now="2026-12-01T09:00:00+08:00").out
    assert dry.startswith(SAID)  # a dry run says it, and remembers nothing
    first = cli("check", now="2026-12-01T09:00:00+08:00")
    assert first.code == 0 and first.out.strip() == SAID
    for minute in ("09:05", "09:10", "23:59"):  # every later run that day: nothing to mail
        again = cli("check", "--json", now=f"2026-12-01T{minute}:00+08:00")
        assert again.json["notices"] == [] and again.code == 0
        assert cli("check", now=f"2026-12-01T{minute}:00+08:00").out == ""
    assert commit_count(cli.repo) == before  # it records nothing in the repository
    tomorrow = cli("check", "--json", now="2026-12-02T00:05:00+08:00").json["notices"]
    assert [n["key"] for n in tomorrow] == ["official-days/CN/2027"]
    # Once the year is in, nothing more is said.
    cli("calendar", "import-notice", str(NOTICE_2027), "--commit", now="2026-12-03T08:00:00+08:00")
    assert cli("check", now="2026-12-03T09:00:00+08:00").out == ""


def test_a_missing_current_year_is_said_every_day(cli: CLI) -> None:
    said = cli("check", "--json", now="2027-01-04T09:00:00+08:00").json["notices"]
    assert [n["text"][:44] for n in said] == ["the official days of 2027 (this year) for CN"]
    assert cli("check", "--json", now="2027-01-04T09:05:00+08:00").json["notices"] == []


@pytest.mark.parametrize(("value", "day", "said"), [('"11-15"', "2026-11-20", True), ("none", "2026-12-20", False)])
def test_the_reminder_day_is_the_desks(cli: CLI, value: str, day: str, said: bool) -> None:
    policy = cli.repo / "policy.yaml"
    policy.write_text(policy.read_text().replace("  language: zh", f"  next_year_reminder: {value}\n  language: zh", 1),
                      encoding="utf-8")
    git(cli.repo, *AS, "commit", "-qam", "policy: when to remind of next year's official days")
    found = cli("check", "--json", now=f"{day}T09:00:00+08:00").json["notices"]
    assert bool(found) is said
    assert ("MISSING" in cli("calendar", "status", now=f"{day}T09:00:00+08:00").out) is said


def test_a_reminder_day_that_is_not_a_day_is_named(cli: CLI) -> None:
    policy = cli.repo / "policy.yaml"
    policy.write_text(policy.read_text().replace("  language: zh", '  next_year_reminder: "12-32"\n  language: zh', 1),
                      encoding="utf-8")
    found = cli("validate", expect=5).out
    assert "desk.next_year_reminder: '12-32' is not a day of the year" in found


def test_the_bulletin_reminder_in_a_january_without_data(cli: CLI) -> None:
    # December's bulletin is due on the 5th of January, moved to a working day: unknown without 2027's days.
    # Before the 5th it is not due whatever the calendar says; from the 5th it is reminded of, not broken.
    cli.open("Printer offline on 3F", "D", now="2026-12-10T10:00:00+08:00")
    early = cli("check", "--json", now="2027-01-04T09:00:00+08:00").json
    assert early["broken"] == [] and not [f for f in early["fired"] if f["provider"] == "reports"]
    late = cli("check", "--json", now="2027-01-05T09:00:00+08:00").json
    assert late["broken"] == []
    reminders = [f for f in late["fired"] if f["provider"] == "reports"]
    assert [(f["key"], f["due_at"]) for f in reminders] == [("bulletin-due/2026-12", "2027-01-05T00:00:00+08:00")]
