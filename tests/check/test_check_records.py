"""`check` and the other records (issue 4 with issue 3): planned inspections are created
once, due and overdue inspections are reported like SLA warnings and breaches, and survey
letters go to the customer through a real SMTP server on loopback.

The desk (tests/conftest.py) was set up on Mon 2026-11-02 with two customers:
- acme-sz: quarterly inspections from 2026-10-01, 14 days' notice, inspector zhao.lei;
  its 2026-Q4 inspection was planned at setup and is due by 2026-12-31.
- sz-metro: "second Monday of each month" from 2026-11-01, inspector ma.qiang, on-site
  staff (so no scheduled surveys); 2026-11 is planned on Mon 11-09, due by 11-30;
  2026-12 is planned on Mon 12-14, so it is reported (and created) from 11-30.
"""

from __future__ import annotations

from pathlib import Path

from clihelp import CLI, commit_count, git
from smtphelp import Inbox, smtp  # noqa: F401 - smtp is a fixture


def fired(result: dict) -> list[tuple[str, str, list[str]]]:  # type: ignore[type-arg]
    return [(f["record"], f["key"], f["notified"]) for f in result["fired"]]


def test_inspections_due_then_overdue_and_the_next_planned_record_created_once(cli: CLI) -> None:
    # Fri 2026-11-20 10:00, a working day: both planned inspections are due; the quarter's
    # scheduled survey of acme-sz is issued.  The inspectors are told (alerts.warning: assignee).
    first = cli("check", "--json", now="2026-11-20T10:00:00+08:00").json
    assert fired(first) == [("sz-metro-2026-11", "inspection/due", ["ma.qiang"]),  # due by 11-30
                            ("acme-sz-2026-Q4", "inspection/due", ["zhao.lei"])]  # due by 12-31
    assert first["created"] == ["scheduled survey SV-acme-sz-2026-Q4"]
    assert first["breached"] == []
    commits = commit_count(cli.repo)
    again = cli("check", now="2026-11-20T10:00:00+08:00")
    assert again.out == "" and commit_count(cli.repo) == commits  # a second run: nothing new

    # Mon 11-30 10:00: the December inspection of sz-metro becomes due and is created,
    # with its alert, in the run's one commit.
    monday = cli("check", "--json", now="2026-11-30T10:00:00+08:00").json
    assert monday["created"] == ["planned inspection sz-metro-2026-12"]
    assert fired(monday) == [("sz-metro-2026-12", "inspection/due", ["ma.qiang"])]
    assert commit_count(cli.repo) == commits + 1
    planned = cli("inspect", "show", "sz-metro-2026-12", "--json").json
    assert (planned["status"], planned["planned_on"], planned["due_by"]) == ("planned", "2026-12-14", "2026-12-31")
    assert cli("check", now="2026-11-30T10:00:00+08:00").out == ""

    # Tue 12-01 00:30, at night: sz-metro-2026-11 is overdue since midnight, but the desk
    # is closed, so the page waits for 09:00 (the default 5x8 calendar).
    night = cli("check", "--json", now="2026-12-01T00:30:00+08:00").json
    assert night["fired"] == []
    assert [(d["record"], d["key"], d["page_at"]) for d in night["deferred"]] == [
        ("sz-metro-2026-11", "inspection/overdue", "2026-12-01T09:00:00+08:00")]
    assert [b["record"] for b in night["breached"]] == ["sz-metro-2026-11"]
    morning = cli("check", now="2026-12-01T09:05:00+08:00", expect=None)
    assert morning.code == 0
    assert "Inspection sz-metro-2026-11 is OVERDUE: it was due by 2026-11-30" in morning.out
    assert "Wang Fang" in morning.out  # alerts.breach: the inspector and the service desk
    assert cli("check", "--fail-on-breach", now="2026-12-01T09:10:00+08:00", expect=6).out == ""
    events = cli("inspect", "show", "sz-metro-2026-11", "--json").json["events"]
    assert [e["fields"]["key"] for e in events] == ["inspection/due", "inspection/overdue"]
    assert events[1]["fields"]["due_at"] == "2026-12-01T00:00:00+08:00"


def test_two_machines_create_the_same_planned_inspection_once(cli: CLI, bare_remote: Path, tmp_path: Path) -> None:
    git(cli.repo, "remote", "add", "origin", str(bare_remote))
    git(cli.repo, "push", "-q", "origin", "main")
    hosts = []
    for name in ("cron-a", "cron-b"):
        CLI(tmp_path, actor=None)("clone", str(bare_remote), str(tmp_path / name))
        hosts.append(CLI(tmp_path / name, actor=None))
    # Both hosts run check before either syncs, five minutes apart: each creates the
    # December inspection of sz-metro and records its "due" alert (at its own time).
    hosts[0]("check", now="2026-11-30T10:00:00+08:00")
    hosts[1]("check", now="2026-11-30T10:05:00+08:00")
    for host in hosts:
        host("sync", now="2026-11-30T10:06:00+08:00")
    hosts[0]("sync", now="2026-11-30T10:07:00+08:00")
    for host in hosts:
        files = sorted(p.name for p in (host.repo / "inspections" / "2026").glob("sz-metro-*.md"))
        assert files == ["sz-metro-2026-11.md", "sz-metro-2026-12.md"]
        assert host("validate").out == ""
        planned = host("inspect", "show", "sz-metro-2026-12", "--json").json
        due = [e for e in planned["events"] if e["fields"]["key"] == "inspection/due"]
        assert len(due) == 1  # one alert, naming the other host's firing too
        assert [f["at"] for f in due[0]["fields"].get("also_fired", [])] == ["2026-11-30T10:05:00+08:00"]
    assert (hosts[0].repo / "inspections/2026/sz-metro-2026-12.md").read_text() == \
        (hosts[1].repo / "inspections/2026/sz-metro-2026-12.md").read_text()


def test_survey_letters_go_to_the_customer_once(cli: CLI, smtp: tuple[Inbox, int]) -> None:  # noqa: F811
    inbox, port = smtp
    for key, value in (("host", "127.0.0.1"), ("port", str(port)), ("from", "desk@jinqiao-it.example")):
        git(cli.repo, "config", f"casefile.smtp.{key}", value)
    case = cli.open("Printer offline on 3F", "C", "--customer", "acme-sz", "--caller-name", "Zhang Wei",
                    "--caller-email", "zhang.wei@acme.example", now="2026-11-20T09:00:00+08:00")
    cli("resolve", case, "-m", "Replaced the fuser.", now="2026-11-20T11:00:00+08:00")
    cli("close", case, "--confirmed-by", "Zhang Wei", now="2026-11-20T11:30:00+08:00")
    # Issue 15: the case's survey goes with the confirmation letter the close mails (seed 002 steps 5-6),
    # so check sends only the scheduled survey's letter.
    survey = cli("survey", "show", case, "--json").json
    assert (survey["status"], survey["sent_at"]) == ("sent", "2026-11-20T11:30:00+08:00")
    run = cli("check", "--notify", "--json", now="2026-11-20T12:00:00+08:00").json
    assert sorted(run["letters"]) == ["SV-acme-sz-2026-Q4"]
    letters = inbox.by_recipient()["zhang.wei@acme.example"]
    assert sum(f"SV-{case}" in letter for letter in letters) == 1  # the confirmation letter, once
    assert sum("SV-acme-sz-2026-Q4" in letter for letter in letters) == 1
    count = len(inbox.messages)
    cli("check", "--notify", now="2026-11-20T12:05:00+08:00")
    assert len(inbox.messages) == count  # never twice
