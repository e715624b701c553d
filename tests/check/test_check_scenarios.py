"""Issue 3, acceptance 2: `casefile check` every 10 minutes of simulated time.

A level-A outage reported at 02:00 on a public holiday (Saturday 2026-10-03,
National Day week; level A is 7x24 so the holiday does not matter) and a
level-D case reported on an ordinary Friday at 17:30 (2026-11-20; level D is
5x8).  Every expected time below is worked out by hand in the comments.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from clihelp import CLI, commit_count, git, is_clean

SHANGHAI = ZoneInfo("Asia/Shanghai")
Action = Callable[[CLI], None]

@pytest.fixture
def desk_path(cases_only_desk: Path) -> Path:
    """These tests are about the clocks of cases: a desk without customers' inspections and surveys."""
    return cases_only_desk


def at(text: str) -> str:
    return f"{text}:00+08:00"


def run_checks(cli: CLI, start: str, end: str, actions: dict[str, Action], skip: tuple[str, str] | None = None,
               every: int = 10) -> dict[str, list[dict]]:
    """Run the actions at their times and `check` every `every` minutes; fired alerts per check time."""
    moment = datetime.fromisoformat(at(start))
    last = datetime.fromisoformat(at(end))
    pending = sorted((datetime.fromisoformat(at(when)), act) for when, act in actions.items())
    fired: dict[str, list[dict]] = {}
    while moment <= last:
        while pending and pending[0][0] <= moment:
            when, act = pending.pop(0)
            act_cli = CLI(cli.repo, cli.actor, now=when.isoformat())
            act(act_cli)
        gap = skip and datetime.fromisoformat(at(skip[0])) <= moment < datetime.fromisoformat(at(skip[1]))
        if not gap:
            result = cli("check", "--json", now=moment.isoformat()).json
            if result["fired"]:
                fired[moment.strftime("%m-%d %H:%M")] = result["fired"]
        moment += timedelta(minutes=every)
    return fired


def keys(fired: dict[str, list[dict]]) -> dict[str, list[str]]:
    return {when: [item["key"] for item in items] for when, items in fired.items()}


# -- level A, 02:00 on National Day 2026 ------------------------------------------------

A_DAY = "2026-10-03"


def a_actions(case: list[str]) -> dict[str, Action]:
    def step(*args: str, actor: str = "ma.qiang") -> Action:
        return lambda c: c(*[a.replace("CASE", case[0]) for a in args], actor=actor) and None

    def open_case(c: CLI) -> None:
        case.append(c.open("Core switch down: ticket gates offline", "A", "--assign", "ma.qiang"))

    return {
        f"{A_DAY}T02:00": open_case,
        f"{A_DAY}T02:15": step("respond", "CASE", "-m", "Called back; dispatching."),
        f"{A_DAY}T02:26": step("note", "CASE", "-k", "onsite", "--dispatched-at", "02:05", "--arrived-at", "02:25",
                               "-m", "On site."),
        f"{A_DAY}T02:55": step("note", "CASE", "-k", "progress", "-m", "PSU failed; swapping."),
        f"{A_DAY}T03:10": step("pend", "CASE", "--reason", "Customer must open the cage", "--on", "customer"),
        f"{A_DAY}T03:30": step("resume", "CASE", "-m", "Cage open."),
        f"{A_DAY}T04:30": step("resolve", "CASE", "-m", "PSU replaced; gates online."),
    }


# Worked by hand (7x24: every minute counts):
#   ladder fault-level-1 from 02:00, no pause: 30m -> 02:30, 1h -> 03:00, 2h -> 04:00.
#   progress (60m, restarts at each progress note, pauses for the customer):
#     cycle 1 from 02:00: warning at 80% = 48m -> 02:48; restarted at 02:55, so met.
#     cycle 2 from 02:55: 15m to 03:10, paused 03:10-03:30, 45m more -> due 04:15;
#       warning after 48m: 15m + 33m -> 04:03.
#   restore (2h, pauses for the customer): 70m to 03:10, paused 20m, 50m more -> due 04:20;
#     warning after 96m: 70m + 26m -> 03:56.
#   response met at 02:15, onsite met at 02:25 (its 02:24 warning fell between two runs
#   and the clock had stopped by the next one), depart met (dispatched 02:05).
A_EXPECTED = {
    "10-03 02:30": ["ladder/customer-service-engineer"],
    "10-03 02:50": ["warning/progress@2026-10-03T02:00:00+08:00"],
    "10-03 03:00": ["ladder/technical-support-supervisor"],
    "10-03 04:00": ["warning/restore", "ladder/general-manager"],
    "10-03 04:10": ["warning/progress@2026-10-03T02:55:00+08:00"],
    "10-03 04:20": ["breach/progress@2026-10-03T02:55:00+08:00", "breach/restore"],
}
A_DUE = {
    "ladder/customer-service-engineer": "02:30",
    "warning/progress@2026-10-03T02:00:00+08:00": "02:48",
    "ladder/technical-support-supervisor": "03:00",
    "warning/restore": "03:56",
    "ladder/general-manager": "04:00",
    "warning/progress@2026-10-03T02:55:00+08:00": "04:03",
    "breach/progress@2026-10-03T02:55:00+08:00": "04:15",
    "breach/restore": "04:20",
}
A_NOTIFIED = {
    "ladder/customer-service-engineer": ["zhao.lei"],
    "ladder/technical-support-supervisor": ["chen.jie"],
    "ladder/general-manager": ["liu.yang"],
    "warning/progress@2026-10-03T02:00:00+08:00": ["ma.qiang"],
    "warning/restore": ["ma.qiang"],
    "warning/progress@2026-10-03T02:55:00+08:00": ["ma.qiang"],
    "breach/progress@2026-10-03T02:55:00+08:00": ["ma.qiang", "wang.fang"],
    "breach/restore": ["ma.qiang", "wang.fang"],
}


def test_level_a_on_a_holiday_night_fires_each_step_once_at_its_time(cli: CLI) -> None:
    case: list[str] = []
    fired = run_checks(cli, f"{A_DAY}T02:00", f"{A_DAY}T06:00", a_actions(case))
    assert keys(fired) == A_EXPECTED
    for items in fired.values():
        for item in items:
            assert item["due_at"] == at(f"{A_DAY}T{A_DUE[item['key']]}")
            assert item["notified"] == A_NOTIFIED[item["key"]]
            assert item["record"] == case[0]
    # Recorded in the case, once each, with step, roles, people, due and fired times.
    events = [e for e in cli("show", case[0], "--json").json["events"] if e["by"] == "check"]
    assert sorted(e["fields"]["key"] for e in events) == sorted(A_DUE)
    ladder = [e for e in events if e["kind"] == "ladder"]
    assert [(e["fields"]["step"], e["fields"]["roles"], e["fields"]["fired_at"]) for e in ladder] == [
        ("30m", ["customer-service-engineer"], at(f"{A_DAY}T02:30")),
        ("1h", ["technical-support-supervisor"], at(f"{A_DAY}T03:00")),
        ("2h", ["general-manager"], at(f"{A_DAY}T04:00")),
    ]
    assert is_clean(cli.repo)


def test_a_pause_stops_restore_and_progress_but_not_the_ladder(cli: CLI) -> None:
    case: list[str] = []
    actions = a_actions(case)
    run_checks(cli, f"{A_DAY}T02:00", f"{A_DAY}T03:20", actions)
    during = {c["name"]: c for c in cli("show", case[0], "--json", now=at(f"{A_DAY}T03:20")).json["sla"]["clocks"]}
    assert during["restore"]["state"] == "paused"
    assert during["progress"]["state"] == "paused"
    assert during["restore"]["paused_since"] == at(f"{A_DAY}T03:10")
    # While paused the deadline is "if work resumed now": 04:00 + the 10 minutes paused so far.
    assert during["restore"]["due_at"] == at(f"{A_DAY}T04:10")
    assert during["response"]["state"] == "met"
    assert during["depart"]["state"] == "met"
    ladder = cli("show", case[0], "--json", now=at(f"{A_DAY}T03:20")).json["sla"]["ladder"]
    assert [s["due_at"] for s in ladder["steps"]] == [at(f"{A_DAY}T{t}") for t in ("02:30", "03:00", "04:00")]
    cli("resume", case[0], "-m", "Cage open.", actor="ma.qiang", now=at(f"{A_DAY}T03:30"))
    after = {c["name"]: c for c in cli("show", case[0], "--json", now=at(f"{A_DAY}T03:40")).json["sla"]["clocks"]}
    assert after["restore"]["state"] == "running"
    assert after["restore"]["due_at"] == at(f"{A_DAY}T04:20")
    assert after["progress"]["due_at"] == at(f"{A_DAY}T04:15")
    assert after["restore"]["elapsed"] == "1h20m"  # 02:00-03:10 and 03:30-03:40


def test_catching_up_after_five_hours_without_cron(cli: CLI) -> None:
    case: list[str] = []
    # cron is down from 02:20 until 07:20: the first run after the gap is 07:20.
    fired = run_checks(cli, f"{A_DAY}T02:00", f"{A_DAY}T08:00", a_actions(case),
                       skip=(f"{A_DAY}T02:20", f"{A_DAY}T07:20"))
    assert list(fired) == ["10-03 07:20"]
    caught = fired["10-03 07:20"]
    # In order of their due times, each once, with the time it was due.  Warnings of clocks
    # that have stopped since are not sent (nothing to act on); breaches and ladder steps
    # reached before the restore are facts and are all recorded.
    assert [(i["key"], i["due_at"][11:16]) for i in caught] == [
        ("ladder/customer-service-engineer", "02:30"),
        ("ladder/technical-support-supervisor", "03:00"),
        ("ladder/general-manager", "04:00"),
        ("breach/progress@2026-10-03T02:55:00+08:00", "04:15"),
        ("breach/restore", "04:20"),
    ]
    assert all(i["fired_at"] == at(f"{A_DAY}T07:20") for i in caught)
    again = cli("check", now=at(f"{A_DAY}T07:20"))
    assert again.out == ""


def test_incident_report_is_due_48_hours_after_restore(cli: CLI) -> None:
    case: list[str] = []
    actions = a_actions(case)
    run_checks(cli, f"{A_DAY}T02:00", f"{A_DAY}T05:00", actions)
    cli("close", case[0], "--confirmed-by", "Huang Tao", now=at(f"{A_DAY}T09:00"))
    # 48h of real time from the restore at 04:30 -> 2026-10-05 04:30; warning 8h before.
    fired = run_checks(cli, "2026-10-04T20:00", "2026-10-05T05:00", {})
    assert keys(fired) == {"10-04 20:30": ["warning/incident-report"], "10-05 04:30": ["breach/incident-report"]}
    # Once the report is recorded, a closed case needs nothing more.
    cli("reopen", case[0], "--reason", "report attached", now="2026-10-05T09:00:00+08:00")
    cli("note", case[0], "-k", "report", "-m", "Incident report sent.", now="2026-10-05T09:01:00+08:00")
    clocks = {c["name"]: c for c in cli("show", case[0], "--json", now="2026-10-05T09:05:00+08:00").json["sla"]["clocks"]}
    assert clocks["incident-report"]["state"] == "not_started"  # reopened: the restore is undone


# -- level D, Friday 17:30 ----------------------------------------------------------------

D_FRIDAY = "2026-11-20"  # an ordinary Friday; Monday is 2026-11-23


def test_level_d_waits_for_working_hours_and_pauses_only_paused_clocks(cli: CLI) -> None:
    case: list[str] = []

    def open_case(c: CLI) -> None:
        case.append(c.open("Report export is slow", "D", "--assign", "li.na"))

    actions: dict[str, Action] = {
        f"{D_FRIDAY}T17:30": open_case,
        "2026-11-23T09:25": lambda c: c("respond", case[0], "-m", "Looking at it.", actor="li.na") and None,
        "2026-11-23T10:00": lambda c: c("pend", case[0], "--reason", "Need a sample file", actor="li.na") and None,
        "2026-11-23T11:00": lambda c: c("resume", case[0], "-m", "Got it.", actor="li.na") and None,
    }
    fired = run_checks(cli, f"{D_FRIDAY}T17:30", "2026-11-23T12:00", actions)
    # response (1h on 5x8): 30m on Friday, 30m on Monday from 09:00 -> due 09:30;
    # warning at 48m: 30m + 18m -> Monday 09:18, sent by the 09:20 run, to the assignee.
    # Nothing at all over the weekend; D has no management ladder (SPEC 3).
    assert keys(fired) == {"11-23 09:20": ["warning/response"]}
    assert fired["11-23 09:20"][0]["notified"] == ["li.na"]
    # reply (24h on 5x8): 30m Fri; Mon 8h less the 1h pause = 7h; Tue 8h; 8h30m left on
    # Wed: 09:00-12:00, 13:00-18:00 = 8h, then Thu 09:00-09:30.  Without the pause: Wed 17:30.
    clocks = {c["name"]: c for c in cli("show", case[0], "--json", now="2026-11-23T12:00:00+08:00").json["sla"]["clocks"]}
    assert clocks["reply"]["due_at"] == "2026-11-26T09:30:00+08:00"
    assert clocks["response"]["state"] == "met"
    assert clocks["response"]["difference"] == "+5m"
    assert clocks["depart"]["state"] == "not_applicable"
    row = cli("list", "--json", now="2026-11-23T12:00:00+08:00").json[0]
    assert row["sla"] == {"next_clock": "reply", "next_due_at": "2026-11-26T09:30:00+08:00", "breached": [],
                          "paused": False}


def test_business_hours_levels_are_not_paged_at_night(cli: CLI) -> None:
    # A policy that puts level D's response on 7x24 (allowed: SPEC 3 "a policy can put
    # any target on another calendar"): due Friday 18:30, when the 5x8 desk is closed.
    policy = (cli.repo / "policy.yaml").read_text(encoding="utf-8")
    policy = policy.replace("      response: 1h\n      reply: 24h", "      response: {within: 1h, calendar: 7x24}\n      reply: 24h")
    (cli.repo / "policy.yaml").write_text(policy, encoding="utf-8")
    git(cli.repo, "-c", "user.name=t", "-c", "user.email=t@x", "commit", "-qam", "D response on 7x24")
    case = cli.open("Slow export", "D", "--assign", "li.na", now=at(f"{D_FRIDAY}T17:30"))
    saturday = cli("check", "--json", now="2026-11-21T10:00:00+08:00").json
    assert saturday["fired"] == []
    # Both the warning (18:18) and the breach (18:30) fell due after closing; on Monday
    # morning only the breach is news, so only the breach is held and then paged.
    assert [(d["key"], d["due_at"], d["page_at"]) for d in saturday["deferred"]] == [
        ("breach/response", at(f"{D_FRIDAY}T18:30"), "2026-11-23T09:00:00+08:00"),
    ]
    fired = run_checks(cli, "2026-11-23T08:00", "2026-11-23T09:30", {})
    assert keys(fired) == {"11-23 09:00": ["breach/response"]}
    shown = cli("show", case, "--json", now="2026-11-23T09:30:00+08:00").json
    breach = [e for e in shown["events"] if e["kind"] == "breach"][0]
    assert breach["fields"]["due_at"] == at(f"{D_FRIDAY}T18:30")
    assert breach["fields"]["deferred_to"] == "2026-11-23T09:00:00+08:00"


# -- check as a cron job ----------------------------------------------------------------------


def test_one_commit_per_run_idempotent_dry_run_and_silence(cli: CLI) -> None:
    case = cli.open("Core switch down", "A", "--assign", "ma.qiang", now=at(f"{A_DAY}T02:00"))
    before = commit_count(cli.repo)
    assert cli("check", now=at(f"{A_DAY}T02:10")).out == ""
    dry = cli("check", "--dry-run", "--json", now=at(f"{A_DAY}T03:00")).json
    # No response, nobody on site, no progress note by 03:00: onsite breach and ladder 02:30,
    # progress and response breaches and the ladder's second step 03:00.  Their warnings
    # (02:24, 02:48) are not news once the breach is due as well, so they are not recorded.
    assert dry["dry_run"] and dry["commit"] is None
    assert [(f["key"], f["due_at"][11:16]) for f in dry["fired"]] == [
        ("breach/onsite", "02:30"), ("ladder/customer-service-engineer", "02:30"),
        ("breach/progress@2026-10-03T02:00:00+08:00", "03:00"), ("breach/response", "03:00"),
        ("ladder/technical-support-supervisor", "03:00"),
    ]
    assert commit_count(cli.repo) == before
    report = cli("check", now=at(f"{A_DAY}T03:00")).out
    assert commit_count(cli.repo) == before + 1
    message = git(cli.repo, "log", "-1", "--format=%an <%ae>%n%B")
    assert message.startswith(f"casefile check <check@casefile.invalid>\n{case}: check: 5 alerts")
    assert "Casefile-Action: check" in message and f"Casefile-Case: {case}" in message
    # Grouped by recipient: the supervisor's heading, then the step.
    assert "Chen Jie 陈杰 (chen.jie) <chen.jie@jinqiao-it.example> — technical-support-supervisor" in report
    assert "escalate 1h since report, not restored: escalate to technical-support-supervisor (due 03:00)" in report
    assert cli("check", now=at(f"{A_DAY}T03:00")).out == ""
    assert commit_count(cli.repo) == before + 1
    assert is_clean(cli.repo)


def test_fail_on_breach_and_breached_listing(cli: CLI) -> None:
    case = cli.open("Core switch down", "A", now=at(f"{A_DAY}T02:00"))
    cli("check", "--fail-on-breach", now=at(f"{A_DAY}T02:20"))
    done = cli("check", "--fail-on-breach", now=at(f"{A_DAY}T02:40"), expect=6)
    assert "BREACH" in done.out
    assert [r["id"] for r in cli("list", "--breached", "--json", now=at(f"{A_DAY}T02:40")).json] == [case]
    assert cli("list", "--breached", now=at(f"{A_DAY}T02:10")).out.strip() == "no cases match"
    within = cli("list", "--due-within", "25m", "--json", now=at(f"{A_DAY}T02:10")).json
    assert within[0]["sla"]["next_clock"] == "onsite" and within[0]["sla"]["next_due_at"] == at(f"{A_DAY}T02:30")
    assert cli("list", "--due-within", "5m", "--json", now=at(f"{A_DAY}T02:10")).json == []


def test_a_broken_record_is_reported_and_the_others_still_checked(cli: CLI) -> None:
    good = cli.open("Core switch down", "A", now=at(f"{A_DAY}T02:00"))
    bad = cli.open("Other outage", "A", now=at(f"{A_DAY}T02:01"))
    path = cli.repo / cli("show", bad, "--json").json["path"]
    path.write_text(path.read_text(encoding="utf-8").replace("level: A", "level: [A"), encoding="utf-8")
    git(cli.repo, "-c", "user.name=t", "-c", "user.email=t@x", "commit", "-qam", "break it", "--no-verify")
    done = cli("check", now=at(f"{A_DAY}T02:40"), expect=5)
    assert f"{path.relative_to(cli.repo)}" in done.err and "malformed YAML" in done.err
    assert good in done.out and bad not in done.out
    assert "Traceback" not in done.err


def test_a_record_with_uncommitted_hand_edits_is_skipped_loudly(cli: CLI) -> None:
    case = cli.open("Core switch down", "A", now=at(f"{A_DAY}T02:00"))
    path = cli.repo / cli("show", case, "--json").json["path"]
    path.write_text(path.read_text(encoding="utf-8") + "More notes.\n", encoding="utf-8")
    done = cli("check", now=at(f"{A_DAY}T02:40"), expect=5)
    assert "has changes that are not committed" in done.err
    assert path.read_text(encoding="utf-8").endswith("More notes.\n")


def test_check_from_crons_bare_environment(cli: CLI) -> None:
    cli.open("Core switch down", "A", now=at(f"{A_DAY}T02:00"))
    import shutil
    import sys

    git_dir = str(__import__("pathlib").Path(shutil.which("git") or "/usr/bin/git").parent)
    bare = {"PATH": f"{git_dir}:/bin", "CASEFILE_NOW": at(f"{A_DAY}T02:40")}
    import subprocess

    done = subprocess.run([sys.executable, "-m", "casefile", "check"], cwd=cli.repo, env=bare,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    # No CASEFILE_LANG nor locale in cron: the desk's language (zh) speaks (issue 18).
    assert "升级至 customer-service-engineer" in done.stdout
    assert "赵磊" in done.stdout  # no locale set: still UTF-8


def test_check_with_no_cases_says_nothing(cli: CLI) -> None:
    before = commit_count(cli.repo)
    assert cli("check").out == ""  # cron mails what a job prints: nothing
    found = cli("check", "--json").json
    assert found["fired"] == [] and found["commit"] is None and found["broken"] == []
    assert commit_count(cli.repo) == before
