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
    # is closed, so the page waits for 09:00 (the default 5x8 calendar).  So does the warning
    # that acme-sz's contract ends on 12-31 (issue 14: contracts.warn_days, 30 days before).
    night = cli("check", "--json", now="2026-12-01T00:30:00+08:00").json
    assert night["fired"] == []
    assert [(d["record"], d["key"], d["page_at"]) for d in night["deferred"]] == [
        ("sz-metro-2026-11", "inspection/overdue", "2026-12-01T09:00:00+08:00"),
        ("acme-sz", "contract-ends/JQ-2026-017@2026-12-31", "2026-12-01T09:00:00+08:00")]
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
    # so check sends only the scheduled survey's letter, and records the case's as sent when the server took it.
    run = cli("check", "--notify", "--json", now="2026-11-20T12:00:00+08:00").json
    assert sorted(run["letters"]) == ["SV-acme-sz-2026-Q4"]
    survey = cli("survey", "show", case, "--json").json
    assert (survey["status"], survey["sent_at"]) == ("sent", "2026-11-20T11:30:00+08:00")
    letters = inbox.by_recipient()["zhang.wei@acme.example"]
    assert sum(f"SV-{case}" in letter for letter in letters) == 1  # the confirmation letter, once
    assert sum("SV-acme-sz-2026-Q4" in letter for letter in letters) == 1
    count = len(inbox.messages)
    cli("check", "--notify", now="2026-11-20T12:05:00+08:00")
    assert len(inbox.messages) == count  # never twice


def test_a_survey_letter_is_sent_only_once_the_mail_server_took_it(cli: CLI) -> None:
    """Issue 14: with the mail server down the survey stays `queued` (its letter waits in the
    outbox); the run that delivers it marks it `sent`, at the time the server accepted it."""
    from aiosmtpd.controller import Controller

    from smtphelp import free_port

    port = free_port()
    for key, value in (("host", "127.0.0.1"), ("port", str(port)), ("from", "desk@jinqiao-it.example")):
        git(cli.repo, "config", f"casefile.smtp.{key}", value)
    case = cli.open("Printer offline on 3F", "C", "--customer", "acme-sz", "--caller-name", "Zhang Wei",
                    "--caller-email", "zhang.wei@acme.example", now="2026-11-20T09:00:00+08:00")
    cli("resolve", case, "-m", "Replaced the fuser.", now="2026-11-20T11:00:00+08:00")
    closed = cli("close", case, "--confirmed-by", "Zhang Wei", now="2026-11-20T11:30:00+08:00")
    assert "NOT sent" in closed.err  # the close mailed the confirmation letter at once: the server is down
    down = cli("check", "--notify", "--json", now="2026-11-20T12:00:00+08:00", expect=7).json
    # Issue 15: the case's survey is queued with the confirmation letter of the close (seed 002 steps 5-6).
    assert f"SV-{case}" not in down["letters"] and down["delivered"] == []
    survey = cli("survey", "show", case, "--json").json
    assert (survey["status"], survey["queued_at"], survey.get("sent_at")) == (
        "queued", "2026-11-20T11:30:00+08:00", None)
    assert f"SV-{case}" in [s["id"] for s in cli("survey", "list", "--status", "queued", "--json").json]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        before = commit_count(cli.repo)
        up = cli("check", "--notify", "--json", now="2026-11-20T12:10:00+08:00").json
        assert up["letters"] == []  # queued once, never twice
        assert f"SV-{case}" in up["delivered"] and up["delivered_commit"]
        assert commit_count(cli.repo) == before + 1
        letters = inbox.by_recipient()["zhang.wei@acme.example"]
        # the case's (with its confirmation letter) and the quarter's, besides the case-number mail of the open
        assert sum("SV-" in letter for letter in letters) == 2 and len(letters) == 3
    finally:
        controller.stop()
    survey = cli("survey", "show", case, "--json").json
    assert (survey["status"], survey["sent_at"]) == ("sent", "2026-11-20T12:10:00+08:00")
    assert cli("validate").out == ""


def test_check_warns_once_before_a_contract_ends(cli: CLI) -> None:
    """Issue 14: `contracts.warn_days` (30 by default) before a customer's contract ends, `check`
    reminds the service desk once, from the first working hour, recorded in the customer."""
    assert not [f for f in cli("check", "--json", now="2026-11-30T10:00:00+08:00").json["fired"]
                if f["key"].startswith("contract-ends/")]  # 31 days before acme-sz's 12-31: not yet
    run = cli("check", "--json", now="2026-12-01T09:05:00+08:00").json
    ends = [f for f in run["fired"] if f["key"].startswith("contract-ends/")]
    assert [(f["record"], f["key"], f["notified"]) for f in ends] == [
        ("acme-sz", "contract-ends/JQ-2026-017@2026-12-31", ["wang.fang"])]
    again = cli("check", "--json", now="2026-12-01T10:05:00+08:00").json
    assert not [f for f in again["fired"] if f["key"].startswith("contract-ends/")]
    shown = cli("customer", "show", "acme-sz", "--json").json
    assert [e["fields"]["key"] for e in shown.get("events", [])] == ["contract-ends/JQ-2026-017@2026-12-31"]
    assert cli("validate").out == ""
