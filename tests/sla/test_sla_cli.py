"""The SLA commands as a user types them: calendar, explain, escalate, show and list."""

from __future__ import annotations

import subprocess
import sys

from clihelp import CLI, commit_count, git


def test_calendar_due_and_between(cli: CLI) -> None:
    # 2026-09-30 (Wed) 17:00 + 2h on 5x8: 1h on Wednesday, then National Day 10-01..10-07,
    # so 1h on Thursday 10-08 from 09:00 -> 10:00.
    done = cli("calendar", "due", "2026-09-30T17:00", "2h", "--calendar", "5x8", "--json").json
    assert done["due"] == "2026-10-08T10:00:00+08:00"
    assert done["working_seconds"] == 7200
    assert [s["label"] for s in done["spans"] if not s["counted"]][1] == "statutory holiday: National Day"
    text = cli("calendar", "due", "2026-09-30T17:00", "2h", "--spans").out
    assert text.startswith("Thu 2026-10-08 10:00  (2h on 5x8 from Wed 2026-09-30 17:00")
    assert "statutory holiday: National Day (国庆节)" in text
    # Two working days: the same clock time on the second working day after the start.
    assert cli("calendar", "due", "2026-11-20T15:00", "2d", "--json").json["due"] == "2026-11-24T15:00:00+08:00"
    between = cli("calendar", "between", "2026-11-20T17:30", "2026-11-23T09:30", "--json").json
    assert between["working"] == "1h" and between["working_seconds"] == 3600
    assert cli("calendar", "between", "2026-11-20T17:30", "2026-11-23T09:30", "-c", "7x24").out.startswith("64h  ")


def test_calendar_bad_input_is_one_line(cli: CLI) -> None:
    for args, message in [
        (("due", "2026-11-20T15:00", "2x"), "casefile: DURATION: cannot read duration '2x'"),
        (("due", "yesterday", "2h"), "casefile: START 'yesterday' is not an ISO 8601 time"),
        (("due", "2026-11-20T15:00", "2h", "-c", "9x5"), "casefile: no calendar '9x5' in policy.yaml"),
        (("due", "2027-03-01T10:00", "2h"), "casefile: calendar 5x8 has no official working days for 2027"),
        (("between", "2026-11-23T09:30", "2026-11-20T17:30"), "casefile: END is before START"),
    ]:
        done = cli("calendar", *args, expect=1)
        assert done.err.startswith(message), done.err
        assert len(done.err.strip().splitlines()) == 1


def test_explain_reads_out_every_stretch(cli: CLI) -> None:
    case = cli.open("Report export is slow", "D", "--assign", "li.na", now="2026-09-30T17:30:00+08:00")
    cli("pend", case, "--reason", "Need a sample file", now="2026-10-08T09:10:00+08:00")
    cli("resume", case, now="2026-10-08T09:40:00+08:00")
    text = cli("explain", case, now="2026-10-08T10:00:00+08:00").out
    # response 1h on 5x8: 30m on 09-30; National Day and its days off in lieu skipped; 10m on
    # 10-08 before the pause, 30m paused, 20m after -> due 10:00 exactly.
    expected = [
        "First response (response, 首次响应): BREACHED",
        "    counted  Wed 2026-09-30 17:30 → 18:00                        30m  working hours",
        "    skipped  Wed 2026-09-30 18:00 → Thu 2026-10-01 00:00           6h  night: outside working hours",
        "    skipped  Thu 2026-10-01 00:00 → Tue 2026-10-06 00:00         120h  statutory holiday: National Day (国庆节)",
        "    skipped  Tue 2026-10-06 00:00 → Thu 2026-10-08 00:00          48h  day off in lieu (调休) for National Day (国庆节)",
        "    skipped  Thu 2026-10-08 09:10 → 09:40                        30m  clock paused, waiting for the customer: Need a sample file",
        "  = 1h of working time: deadline Thu 2026-10-08 10:00.",
    ]
    lines = {" ".join(line.split()) for line in text.splitlines()}
    for line in expected:
        assert " ".join(line.split()) in lines, line
    found = cli("explain", case, "--json", now="2026-10-08T10:00:00+08:00").json
    response = found["clocks"][0]
    assert response["due_at"] == "2026-10-08T10:00:00+08:00"
    assert [s["reason"] for s in response["stretches"]].count("paused") == 1


def test_show_has_the_clocks_and_the_ladder(cli: CLI) -> None:
    case = cli.open("Core switch down", "A", "--assign", "ma.qiang", now="2026-10-03T02:00:00+08:00")
    cli("check", now="2026-10-03T02:30:00+08:00")
    text = cli("show", case, now="2026-10-03T02:45:00+08:00").out
    assert "  onsite           BREACHED     2026-10-03 02:30  45m       -15m" in text
    assert "  restore          running      2026-10-03 04:00  45m       +1h15m" in text
    assert "  30m    customer-service-engineer      2026-10-03 02:30  notified zhao.lei at 02:30" in text
    assert "  1h     technical-support-supervisor   2026-10-03 03:00  not reached" in text
    shown = cli("show", case, "--json", now="2026-10-03T02:45:00+08:00").json
    assert shown["sla"]["ladder"]["steps"][0]["reached"] is True
    assert {a["key"]: a["recorded"] for a in shown["sla"]["alerts"]}["ladder/customer-service-engineer"] is True


def test_list_sorts_by_next_deadline(cli: CLI) -> None:
    late = cli.open("Slow export", "D", now="2026-11-20T17:30:00+08:00")
    soon = cli.open("Core switch down", "A", now="2026-11-23T08:50:00+08:00")
    rows = cli("list", "--sort", "deadline", "--json", now="2026-11-23T09:05:00+08:00").json
    # A's on-site clock is due 09:20; D's response (30m on Friday, 30m on Monday) 09:30.
    assert [r["id"] for r in rows] == [soon, late]
    text = cli("list", "--sort", "deadline", now="2026-11-23T09:05:00+08:00").out
    assert "NEXT DUE" in text.splitlines()[0]


def test_escalate_through_the_tiers_and_to_a_role(cli: CLI) -> None:
    case = cli.open("ERP slow", "C", "--assign", "wang.fang", now="2026-11-23T10:00:00+08:00")
    before = commit_count(cli.repo)
    assert cli("escalate", case, "--reason", "Needs an engineer", now="2026-11-23T10:05:00+08:00").out.splitlines()[:2] == [
        f"{case}: escalate to L2 (engineers)",
        # Told by mail (the person escalating, wang.fang, is not): the mail waits for check --notify.
        "mail to li.na@jinqiao-it.example, ma.qiang@jinqiao-it.example, zhao.lei@jinqiao-it.example queued"]
    cli("escalate", case, "--reason", "Database expert needed", now="2026-11-23T10:10:00+08:00")
    cli("escalate", case, "--to", "vendor", "--reason", "SAP ticket 88231", now="2026-11-23T10:20:00+08:00")
    cli("escalate", case, "--to", "technical-support-supervisor", "--reason", "CIO called",
        now="2026-11-23T10:30:00+08:00")
    assert commit_count(cli.repo) == before + 4
    shown = cli("show", case, "--json").json
    steps = [e for e in shown["events"] if e["kind"] == "escalated"]
    assert [e["fields"].get("tier", {}).get("to") for e in steps] == ["L2", "L3", "vendor", None]
    # Issue 14: the owner stays with every move and is told, with the group it moves to.
    assert steps[0]["fields"]["notified"] == ["wang.fang", "li.na", "ma.qiang", "zhao.lei"]
    assert steps[1]["fields"]["notified"] == ["wang.fang", "zhou.min"]
    assert {k: v for k, v in steps[3]["fields"].items() if k != "key"} == {
        "role": "technical-support-supervisor", "notified": ["chen.jie"], "mailed_to": ["chen.jie@jinqiao-it.example"]}
    assert shown["tier"] == "vendor" and shown["assignee"] == "wang.fang"
    assert "Casefile-Action: escalate" in git(cli.repo, "log", "-1", "--format=%B")
    refused = cli("escalate", case, "--reason", "again", expect=1)
    assert "already with the vendor" in refused.err
    assert cli("escalate", case, "--to", "nobody-here", "--reason", "x", expect=1).err.startswith(
        "casefile: 'nobody-here' is not a tier, a person in people.yaml or a role in policy.yaml")
    assert commit_count(cli.repo) == before + 4


def test_escalate_to_a_person_assigns_at_their_tier(cli: CLI) -> None:
    case = cli.open("ERP slow", "C", now="2026-11-23T10:00:00+08:00")
    cli("escalate", case, "--to", "zhou.min", "--reason", "She knows the ERP", now="2026-11-23T10:05:00+08:00")
    shown = cli("show", case, "--json").json
    assert (shown["assignee"], shown["tier"]) == ("zhou.min", "L3")


def test_help_and_version_import_neither_git_jinja_nor_holidays() -> None:
    probe = (
        "import sys; from casefile.cli import main\n"
        "for args in (['--help'], ['--version'], ['check', '--help'], ['calendar', '--help']):\n"
        "    try: main(args)\n"
        "    except SystemExit: pass\n"
        "bad = [m for m in ('git', 'jinja2', 'chinese_calendar', 'holidays', 'ruamel.yaml') if m in sys.modules]\n"
        "print('LOADED', bad)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert "LOADED []" in done.stdout
    assert "check" in done.stdout and "explain" in done.stdout and "escalate" in done.stdout
