"""`casefile incident-report` (issue 14): the bilingual 故障报告 drafted from the case as a record of its
own, linked with the case; issued once cause and improvements are filled in, which stops the 48 h clock —
also after the customer confirmed the close."""

from __future__ import annotations

from clihelp import CLI, git
from recordhelp import refused

AT = "2026-11-23T{}:00+08:00"


def test_draft_fill_in_and_issue_after_the_close(cli: CLI) -> None:
    case = cli.open("Core switch down at Futian", "A", "--customer", "sz-metro", "--assign", "ma.qiang",
                    now=AT.format("02:00"))
    refused(cli, "incident-report", case, now=AT.format("02:30"),
            says=f"{case} is open and has no restore: the incident report follows the restore")
    cli("respond", case, "-m", "On it.", now=AT.format("02:10"), actor="ma.qiang")
    cli("resolve", case, "-m", "PSU replaced.", now=AT.format("04:00"), actor="ma.qiang")
    cli("close", case, "--confirmed-by", "Huang Tao", now=AT.format("09:00"))

    drafted = cli("incident-report", case, now=AT.format("10:00"), actor="ma.qiang")
    report = f"IR-{case}"
    assert drafted.out.splitlines()[0] == f"{report}: draft incident report"
    assert git(cli.repo, "show", "--name-only", "--format=", "HEAD").split() == [
        f"cases/2026/11/{case}.md", f"incident-reports/2026/11/{report}.md"]
    shown = cli("incident-report", case, "--show", now=AT.format("10:01")).out
    for heading in ("# 故障报告 Incident report", "## 处理过程 Timeline", "## 服务时限 Service levels",
                    "## 故障原因 Cause", "## 改进措施 Improvements"):
        assert heading in shown
    assert "| 2026-11-23 04:00 | ma.qiang | 恢复服务 restored | PSU replaced. |" in shown
    assert {"rel": "incident-report", "to": report} in cli("show", case, "--json").json["links"]

    refused(cli, "incident-report", case, "--issue", now=AT.format("11:00"),
            says=f"{report} still has to be filled in")
    cli("incident-report", case, "--cause", "The PSU failed.", "--improvement", "A spare PSU at Futian.",
        "--issue", now=AT.format("20:00"), actor="ma.qiang")
    clock = next(c for c in cli("show", case, "--json", now=AT.format("20:05")).json["sla"]["clocks"]
                 if c["name"] == "incident-report")
    assert (clock["state"], clock["elapsed"]) == ("met", "16h")  # restored 04:00, issued 20:00
    assert cli("show", case, "--json").json["status"] == "closed"  # no reopen needed
    assert cli("validate").out == ""
