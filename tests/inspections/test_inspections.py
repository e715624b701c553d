"""Inspections (issue 4, acceptance 1): plan, due, overdue, the next planned record once, a visit that swaps a device."""

from __future__ import annotations

import subprocess
from pathlib import Path

from casefile.inspections.work import InspectionWork
from casefile.session import Session
from clihelp import CLI, GOLDEN_DIR, commit_count, git, is_clean
from recordhelp import changed_files, refused, trailers

GOLDEN = GOLDEN_DIR


def _add_port(cli: CLI) -> None:
    cli(
        "customer",
        "add",
        "sk-port",
        "--name",
        "Shekou Port",
        "--contact",
        "Wu Gang;0755-26881234",
        "--asset",
        "APC Smart-UPS SRT3000;AS7000001;Gate house",
        "--asset",
        "Cisco C9200;FOC111;Gate house",
    )


def _due(cli: CLI, now: str) -> list[tuple[str, str, int, bool]]:
    return [
        (d["inspection"], d["state"], d["days_overdue"], d["planned_record"])
        for d in cli("inspect", "due", "--json", now=now).json
        if d["customer"] == "sk-port"
    ]


def test_a_quarterly_plan_due_then_overdue_and_a_visit_that_replaces_a_device(cli: CLI) -> None:
    _add_port(cli)
    # 2026-11-02: the plan starts today; the Q4 inspection is due at once and planned with the plan.
    out = cli("inspect", "plan", "sk-port", "--cadence", "quarterly", "--inspector", "zhao.lei").out
    assert out.splitlines() == [
        "sk-port: inspection plan quarterly from 2026-11-02",
        "planned inspection sk-port-2026-Q4",
    ]
    assert changed_files(cli) == ["customers/sk-port.md", "inspections/2026/sk-port-2026-Q4.md"]
    assert _due(cli, "2026-11-02T09:00:00+08:00") == [("sk-port-2026-Q4", "due", 0, True)]

    # 2026-12-18: 14 days (the policy's lead) before Q1 2027 starts, Q1 is due too, not yet planned.
    assert _due(cli, "2026-12-18T09:00:00+08:00") == [
        ("sk-port-2026-Q4", "due", 0, True),
        ("sk-port-2027-Q1", "due", 0, False),
    ]
    # The next planned record is created once, however often the schedule runs.
    before = commit_count(cli.repo)
    assert cli("inspect", "schedule", "--json", now="2026-12-18T09:00:00+08:00").json["created"] == [
        "acme-sz-2027-Q1",
        "sk-port-2027-Q1",
        "sz-metro-2026-12",
    ]
    assert cli("inspect", "schedule", "--json", now="2026-12-18T09:05:00+08:00").json == {
        "created": [],
        "commit": None,
    }
    assert (
        cli("inspect", "schedule", now="2026-12-19T09:00:00+08:00").out.strip()
        == "every planned inspection that is due exists already"
    )
    assert commit_count(cli.repo) == before + 1
    assert trailers(cli)["Casefile-Action"] == "inspect-schedule"

    # 2027-01-03: Q4 was due by 2026-12-31 and is three days overdue.
    assert _due(cli, "2027-01-03T09:00:00+08:00") == [
        ("sk-port-2026-Q4", "overdue", 3, True),
        ("sk-port-2027-Q1", "due", 0, True),
    ]
    assert "OVERDUE by 3 day(s)" in cli("inspect", "due", now="2027-01-03T09:00:00+08:00").out

    # 2027-01-05: the Q4 visit, late; the gate-house UPS is replaced by a new model.
    before = commit_count(cli.repo)
    cli(
        "inspect",
        "record",
        "sk-port",
        "--period",
        "2026-Q4",
        "--date",
        "2027-01-05",
        "--work-order",
        "PG-0105",
        "--all-ok",
        "--check",
        "environment=fault:UPS runtime 2 min",
        "--findings",
        "UPS battery dead",
        "--training",
        "UPS self-test for the gate staff",
        "--replace",
        "AS7000001=AS9000002:APC Smart-UPS SRT5000",
        now="2027-01-05T16:00:00+08:00",
        actor="zhao.lei",
    )
    assert commit_count(cli.repo) == before + 1
    assert changed_files(cli) == ["customers/sk-port.md", "inspections/2026/sk-port-2026-Q4.md"]
    assert trailers(cli) == {
        "Casefile-Inspection": "sk-port-2026-Q4",
        "Casefile-Customer": "sk-port",
        "Casefile-Action": "inspect-record",
    }
    assets = cli("customer", "show", "sk-port", "--json").json["assets"]
    assert assets == [
        {
            "model": "APC Smart-UPS SRT3000",
            "serial": "AS7000001",
            "location": "Gate house",
            "status": "replaced",
            "replaced_by": "AS9000002",
            "changed_on": "2027-01-05",
        },
        {"model": "Cisco C9200", "serial": "FOC111", "location": "Gate house", "status": "in-service"},
        {
            "model": "APC Smart-UPS SRT5000",
            "serial": "AS9000002",
            "location": "Gate house",
            "status": "in-service",
            "installed_on": "2027-01-05",
            "replaces": "AS7000001",
        },
    ]
    shown = cli("inspect", "show", "sk-port-2026-Q4", "--json").json
    assert (shown["status"], shown["inspected_on"], shown["inspector"], shown["work_order"]) == (
        "done",
        "2027-01-05",
        "zhao.lei",
        "PG-0105",
    )
    assert [(r["item"], r["result"]) for r in shown["checklist"]][5:7] == [
        ("security", "ok"),
        ("environment", "fault"),
    ]
    assert shown["equipment"] == [
        {
            "action": "replaced",
            "serial": "AS7000001",
            "new_serial": "AS9000002",
            "model": "APC Smart-UPS SRT5000",
        }
    ]
    assert _due(cli, "2027-01-05T16:01:00+08:00") == [("sk-port-2027-Q1", "due", 0, True)]
    assert is_clean(cli.repo)
    assert cli("validate").out == ""


def test_two_clones_scheduling_the_same_inspection_merge_as_one(cli: CLI, tmp_path: Path) -> None:
    _add_port(cli)
    cli("inspect", "plan", "sk-port", "--since", "2026-11-02")
    clones = []
    for name, actor in (("a", "wang.fang"), ("b", "li.na")):
        clone = tmp_path / name
        subprocess.run(["git", "clone", "-q", str(cli.repo), str(clone)], check=True)
        CLI(clone, actor=actor)(
            "inspect",
            "schedule",
            now="2026-12-20T08:00:00+08:00" if name == "a" else "2026-12-21T10:30:00+08:00",
        )
        clones.append(clone)
    a, b = clones
    planned = "inspections/2027/sk-port-2027-Q1.md"
    assert (a / planned).read_bytes() == (b / planned).read_bytes()
    assert git(a, "rev-parse", "HEAD") != git(b, "rev-parse", "HEAD")  # different authors and times
    git(
        a,
        "-c",
        "user.name=t",
        "-c",
        "user.email=t@x",
        "pull",
        "-q",
        "--no-rebase",
        "--no-edit",
        str(b),
        "main",
    )
    assert git(a, "ls-files", "inspections/2027").split() == ["inspections/2027/acme-sz-2027-Q1.md", planned]
    assert is_clean(a)
    assert (
        CLI(a)("inspect", "schedule", now="2026-12-21T11:00:00+08:00").out.strip().startswith("every planned")
    )


def test_the_schedule_seam_called_directly(desk_path: Path) -> None:
    desk = Session.open(desk_path, now="2026-12-18T09:00:00+08:00", actor="wang.fang")
    work = InspectionWork(desk)
    # Overdue first, then by due date: sz-metro's November visit (due by 11-30) is overdue.
    assert [d.inspection_id for d in work.due()] == [
        "sz-metro-2026-11",
        "acme-sz-2026-Q4",
        "sz-metro-2026-12",
        "acme-sz-2027-Q1",
    ]
    first = work.schedule()
    assert first is not None and first.notes == (
        "planned inspection acme-sz-2027-Q1",
        "planned inspection sz-metro-2026-12",
    )
    assert work.schedule() is None
    # sz-metro plans the second Monday of each month, due by the month's end: the November
    # visit was due by 2026-11-30, so on 2026-12-18 it is 18 days overdue.
    overdue = [d for d in work.due() if d.state == "overdue"]
    assert [(d.inspection_id, d.days_overdue) for d in overdue] == [("sz-metro-2026-11", 18)]


def test_a_visit_outside_the_plan_and_a_second_visit_in_a_period(cli: CLI) -> None:
    cli("inspect", "record", "acme-sz", "--date", "2026-11-02", "--inspector", "zhao.lei", "--all-ok")
    assert changed_files(cli) == ["inspections/2026/acme-sz-2026-Q4.md"]
    cli(
        "inspect",
        "record",
        "acme-sz",
        "--date",
        "2026-11-02",
        "--inspector",
        "li.na",
        "--check",
        "backup=ok",
        now="2026-11-02T15:00:00+08:00",
    )
    assert changed_files(cli) == ["inspections/2026/acme-sz-2026-11-02.md"]
    extra = cli("inspect", "show", "acme-sz-2026-11-02", "--json").json
    assert extra["checklist"][3] == {"item": "backup", "result": "ok"}
    assert extra["checklist"][0] == {"item": "hardware", "result": "not-checked"}
    refused(
        cli,
        "inspect",
        "record",
        "acme-sz",
        "--date",
        "2026-11-02",
        "--all-ok",
        says="an inspection of acme-sz on 2026-11-02 is recorded already",
        now="2026-11-02T16:00:00+08:00",
    )


def test_cancel_a_planned_inspection(cli: CLI) -> None:
    cli("inspect", "cancel", "sz-metro-2026-11", "--reason", "Station closed for works")
    assert cli("inspect", "show", "sz-metro-2026-11", "--json").json["status"] == "cancelled"
    assert [d["inspection"] for d in cli("inspect", "due", "--json").json] == ["acme-sz-2026-Q4"]
    refused(cli, "inspect", "cancel", "sz-metro-2026-11", "--reason", "again", says="is cancelled already")


def test_bad_inspection_input_writes_nothing(cli: CLI) -> None:
    refused(
        cli,
        "inspect",
        "record",
        "acme-sz",
        "--date",
        "2026-12-01",
        "--all-ok",
        says="the inspection date 2026-12-01 is in the future (today is 2026-11-02)",
    )
    refused(cli, "inspect", "record", "nobody", "--date", "2026-11-01", code=3, says="no customer 'nobody'")
    refused(cli, "inspect", "plan", "nobody", code=3, says="no customer 'nobody'")
    refused(
        cli,
        "inspect",
        "plan",
        "acme-sz",
        "--cadence",
        "fortnightly",
        says="cannot read the cadence 'fortnightly'",
    )
    refused(cli, "inspect", "plan", "acme-sz", "--checklist", "ups", says="no checklist 'ups' in the policy")
    refused(cli, "inspect", "plan", "acme-sz", "--inspector", "nobody", code=3, says="no person 'nobody'")
    refused(
        cli,
        "inspect",
        "record",
        "acme-sz",
        "--check",
        "coffee=ok",
        says="'coffee' is not an item of the checklist",
    )
    refused(cli, "inspect", "record", "acme-sz", "--check", "backup=great", says="check result 'great'")
    refused(
        cli,
        "inspect",
        "record",
        "acme-sz",
        "--period",
        "2026-11",
        says="2026-11 is not a period of acme-sz's plan",
    )
    refused(
        cli,
        "inspect",
        "record",
        "acme-sz",
        "--period",
        "2026-Q4",
        "--date",
        "2026-09-30",
        says="the inspection date 2026-09-30 is before the period 2026-Q4",
    )
    refused(
        cli,
        "inspect",
        "record",
        "acme-sz",
        "--replace",
        "NOSUCH=NEW1",
        says="acme-sz has no device with serial number NOSUCH",
    )
    refused(
        cli,
        "inspect",
        "record",
        "acme-sz",
        "--replace",
        "CNB1234567=7XK2QJ3",
        says="acme-sz already has a device with serial number 7XK2QJ3",
    )
    refused(
        cli, "inspect", "record", "acme-sz", "--replace", "CNB1234567", says="cannot read the replacement"
    )
    refused(cli, "inspect", "show", "acme-sz-2031-Q9", code=3, says="no inspection 'acme-sz-2031-Q9'")
    refused(cli, "inspect", "report", "acme-sz-2026-Q4", says="is planned, not done")


def test_the_running_status_report(cli: CLI) -> None:
    case = cli.open("UPS alarm beeping", "C", "--customer", "acme-sz", now="2026-11-02T09:30:00+08:00")
    cli(
        "inspect",
        "record",
        "acme-sz",
        "--date",
        "2026-11-02",
        "--work-order",
        "PG-20261102-01",
        "--all-ok",
        "--check",
        "backup=attention:last full backup 9 days ago",
        "--summary",
        "Systems run normally.",
        "--findings",
        "UPS battery worn out.",
        "--suggestions",
        "Fix the backup job.",
        "--training",
        "Restoring a file from backup.",
        "--replace",
        "AS2011123456=AS2046789012",
        "-m",
        "Signed by Zhang Wei.",
        now="2026-11-02T17:40:00+08:00",
        actor="zhao.lei",
    )
    report = cli("inspect", "report", "acme-sz-2026-Q4", now="2026-11-03T09:00:00+08:00").out
    # The golden file was checked by hand: 8 default checklist rows (7 ok, backup attention),
    # the UPS swap, 5 assets (the old UPS kept as replaced), and the one case of Q4 so far.
    expected = (GOLDEN / "inspection-report.md").read_text(encoding="utf-8").replace("@CASE@", case)
    assert report == expected


def test_a_customer_without_a_plan_gets_a_dated_inspection_and_is_never_due(cli: CLI) -> None:
    _add_port(cli)
    cli("inspect", "record", "sk-port", "--all-ok", "--inspector", "li.na")
    assert changed_files(cli) == ["inspections/2026/sk-port-2026-11-02.md"]
    shown = cli("inspect", "show", "sk-port-2026-11-02", "--json").json
    assert (shown["status"], shown.get("period"), shown["inspector"]) == ("done", None, "li.na")
    due = cli("inspect", "due", "--json", now="2027-06-01T09:00:00+08:00").json
    assert due and "sk-port" not in {d["customer"] for d in due}
