"""Issue 14 through the CLI: a major incident and its affected callers, work after the close, reopening
supersedes the resolution, a clock the early close never reached is not applicable, a page due at a
closing time, and what `explain` says about level changes, pauses and paging."""

from __future__ import annotations

from typing import Any

from clihelp import CLI, git
from recordhelp import refused

MON = "2026-11-23T{}:00+08:00"


def show(cli: CLI, case: str, now: str) -> Any:
    return cli("show", case, "--json", now=now).json


def test_a_major_incidents_callers_follow_it_and_are_counted_once(cli: CLI) -> None:
    parent = cli.open("Core network down: all Futian gates", "A", "--customer", "sz-metro",
                      "--category", "network/core", now=MON.format("10:00"))
    child = cli("open", "Gates at exit B down", "--level", "A", "--customer", "sz-metro", "--parent", parent,
                "-m", "Second station caller.", now=MON.format("10:05")).out.strip()
    assert show(cli, parent, MON.format("10:06"))["links"] == [{"rel": "child", "to": child}]
    cli("resolve", parent, "-m", "Line card replaced.", now=MON.format("11:00"))
    assert git(cli.repo, "show", "--name-only", "--format=", "HEAD").split() == [
        f"cases/2026/11/{parent}.md", f"cases/2026/11/{child}.md"]  # one commit for both
    restored = show(cli, child, MON.format("11:01"))
    assert (restored["status"], restored["resolution"]) == (
        "resolved", f"Restored with the major incident {parent}: Line card replaced.")
    cli("close", parent, "--confirmed-by", "Huang Tao", now=MON.format("11:30"))
    assert show(cli, child, MON.format("11:31"))["status"] == "closed"
    surveys = [s["case"] for s in cli("survey", "list", "--json", now=MON.format("11:31")).json if s.get("case")]
    assert surveys == [parent]  # the incident is surveyed once
    stats = cli("report", "stats", "--month", "2026-11", "--json", now="2026-12-02T10:00:00+08:00").json
    assert stats["trend"]["received"] == 1
    assert stats["counted_with"] == [{"case": child, "title": "Gates at exit B down", "rel": "parent",
                                      "counted_with": parent}]
    refused(cli, "link", parent, "--parent", child, now=MON.format("12:00"),
            says=f"{child} is counted with {parent}: the link would go round in a circle")


def test_work_after_the_close_is_the_report_call_backs_and_vendor_notes(cli: CLI) -> None:
    case = cli.open("Core switch down", "A", "--customer", "sz-metro", now=MON.format("02:00"))
    cli("resolve", case, "-m", "Restored.", now=MON.format("03:00"))
    cli("close", case, "--confirmed-by", "Huang Tao", now=MON.format("04:00"))
    for kind in ("callback", "vendor", "report"):
        cli("note", case, "-k", kind, "-m", f"{kind} after the close", now=MON.format("09:00"))
    shown = show(cli, case, MON.format("09:05"))
    assert shown["status"] == "closed"
    report = next(c for c in shown["sla"]["clocks"] if c["name"] == "incident-report")
    assert (report["state"], report["elapsed"]) == ("met", "6h")  # restored 03:00, report 09:00
    refused(cli, "note", case, "-m", "Another thought", now=MON.format("09:10"),
            says=f"{case} is closed; only the incident report, call-backs and vendor notes are added")


def test_reopening_supersedes_the_resolution_everywhere(cli: CLI) -> None:
    case = cli.open("Printer offline on 3F", "C", "--customer", "acme-sz", now=MON.format("09:00"))
    cli("resolve", case, "-m", "Replaced the fuser.", now=MON.format("10:00"))
    cli("close", case, "--confirmed-by", "Zhang Wei", now=MON.format("10:30"))
    cli("reopen", case, "--reason", "Jams again.", now=MON.format("11:00"))
    shown = show(cli, case, MON.format("11:05"))
    assert (shown["status"], shown["resolution"], shown["resolved_at"], shown["closed_at"]) == (
        "open", None, None, None)
    listed = cli("report", "monthly", "--month", "2026-11", "--json", now="2026-12-02T10:00:00+08:00").json
    line = next(c for g in listed["groups"] for c in g["cases"] if c["id"] == case)
    assert (line["resolved_at"], line["resolution"]) == (None, None)
    csv = cli("report", "monthly", "--month", "2026-11", "--format", "csv", now="2026-12-02T10:00:00+08:00").out
    assert "Replaced the fuser." not in csv.split(case, 1)[1].splitlines()[0]


def test_a_clock_the_early_close_never_reached_is_not_applicable(cli: CLI) -> None:
    case = cli.open("Core switch down", "A", "--customer", "sz-metro", now=MON.format("02:00"))
    cli("close", case, "--early", "--confirmed-by", "Huang Tao", "-m", "Power came back by itself.",
        now=MON.format("02:03"))
    states = {c["name"]: c["state"] for c in show(cli, case, MON.format("09:00"))["sla"]["clocks"]}
    assert states["response"] == states["restore"] == states["onsite"] == "not_applicable"
    sla = cli("report", "sla", "--month", "2026-11", "--json", now="2026-12-02T10:00:00+08:00").json
    assert all(t["met"] == 0 for t in sla["targets"])  # never "met in 3 minutes"


def test_a_page_due_at_a_closing_time_goes_out_with_the_first_run_after_it(cli: CLI) -> None:
    # Level D (5x8), opened Fri 17:00: its 1h response is due at 18:00, the closing time.  A run 30 s
    # later pages it; it is not held until Monday.
    case = cli.open("Slow export", "D", "--assign", "li.na", now="2026-11-20T17:00:00+08:00")
    cli("check", now="2026-11-20T17:59:00+08:00")
    late = cli("check", "--json", now="2026-11-20T18:00:30+08:00").json
    assert [(f["record"], f["key"]) for f in late["fired"]] == [(case, "breach/response")]
    assert late["deferred"] == []


def test_explain_names_level_changes_each_pause_and_the_paging_times(cli: CLI) -> None:
    case = cli.open("ERP posting slow", "C", "--customer", "acme-sz", "--assign", "zhao.lei", now=MON.format("10:00"))
    cli("change", case, "--level", "B", now=MON.format("10:10"), actor="zhao.lei")
    cli("pend", case, "--reason", "Waiting for the finance lead", "--on", "customer", now=MON.format("10:20"))
    cli("resume", case, "-m", "She called back.", now=MON.format("10:40"))
    cli("pend", case, "--reason", "Waiting for the VPN password", "--on", "customer", now=MON.format("10:40"))
    cli("resume", case, "-m", "Got it.", now=MON.format("11:00"))
    text = cli("explain", case, now=MON.format("11:05")).out
    assert "C → B" in text or "C to B" in text, text
    assert "Waiting for the finance lead" in text and "Waiting for the VPN password" in text
    assert "Warning time:" in text
