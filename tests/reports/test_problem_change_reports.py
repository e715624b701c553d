"""Issue 19: `report problems` and `report changes` like the other kinds (md/html/csv/json, zh/en); the KPI users
told of coming changes in the change report and the statistics; the month's changes in the bulletin."""

from __future__ import annotations

import csv
import io

from clihelp import CLI, git

AT = "2026-11-{}:00+08:00"
NOW = "2026-12-01T09:00:00+08:00"
AS = ("-c", "user.name=t", "-c", "user.email=t@x")


def _second_expert(cli: CLI) -> None:
    people = cli.repo / "people.yaml"
    text = people.read_text(encoding="utf-8")
    people.write_text(text.replace("      - technical-support-supervisor\n",
                                   "      - technical-support-supervisor\n      - expert-group\n"), encoding="utf-8")
    git(cli.repo, *AS, "commit", "-qam", "chen.jie joins the expert group")


def _month(cli: CLI) -> tuple[str, str, str]:
    cases = [cli.open(f"SW-FT-01 reboots ({n})", "B", "--customer", "sz-metro", "--asset", "FOC2345X0AB",
                      now=AT.format(f"{day}T02:00")) for n, day in ((1, "03"), (2, "10"), (3, "17"))]
    problem = cli("problem", "open", "--title", "SW-FT-01 reloads: MPU memory leak", "--customer", "sz-metro",
                  "--asset", "FOC2345X0AB", *[x for c in cases for x in ("--case", c)],
                  now=AT.format("18T09:00")).out.split(":")[0]
    cli("problem", "note", problem, "--root-cause", "MPU firmware 17.6 leaks memory",
        "--workaround", "Reload the standby MPU at night", now=AT.format("18T10:00"))
    _second_expert(cli)
    told = cli("rfc", "open", "--title", "Upgrade the MPU firmware of SW-FT-01", "--risk", "high",
               "--plan", "Standby MPU first.", "--backout", "Boot the previous image.", "--start", "2026-11-28T01:00",
               "--end", "2026-11-28T04:00", "--customer", "sz-metro", "--problem", problem,
               now=AT.format("19T10:00"), actor="li.na").out.split(":")[0]
    cli("rfc", "review", told, "--approve", now=AT.format("20T09:00"), actor="zhou.min")
    cli("rfc", "review", told, "--approve", now=AT.format("20T09:30"), actor="chen.jie")
    cli("check", now=AT.format("25T02:00"))  # three days before: sz-metro is told
    cli("rfc", "start", told, now=AT.format("28T01:00"), actor="li.na")
    cli("rfc", "complete", told, "--result", "successful", "-m", "Both MPUs on 17.9.4.", now=AT.format("28T03:00"),
        actor="li.na")
    untold = cli("rfc", "open", "--title", "Replace the UPS batteries", "--risk", "low", "--plan", "Hot swap.",
                 "--backout", "Put the old ones back.", "--start", "2026-11-29T10:00", "--end", "2026-11-29T11:00",
                 "--customer", "acme-sz", now=AT.format("29T08:00"), actor="li.na").out.split(":")[0]
    return problem, told, untold


def test_the_problem_and_change_reports_in_every_format_and_language(cli: CLI) -> None:
    problem, told, untold = _month(cli)

    problems = cli("report", "problems", "--month", "2026-11", "--json", now=NOW).json
    assert problems["report"] == "problems"
    assert problems["figures"] == {"opened": 1, "known_errors": 1, "resolved": 0, "closed": 0, "active": 1,
                                   "by_status": {"known-error": 1}}
    [row] = problems["problems"]
    assert (row["id"], row["status"], row["incidents_in_period"], row["root_cause"]) == (
        problem, "known-error", 3, "MPU firmware 17.6 leaks memory")
    assert f"| {problem} SW-FT-01 reloads: MPU memory leak | 已知错误 |" in cli(
        "report", "problems", "--month", "2026-11", now=NOW).out
    assert "Known error recorded in" in cli("report", "problems", "--month", "2026-11", "--format", "html",
                                            "--lang", "en", now=NOW).out
    table = list(csv.reader(io.StringIO(cli("report", "problems", "--month", "2026-11", "--format", "csv",
                                            "--lang", "en", now=NOW).out)))
    assert table[0][:3] == ["Problem", "Title", "Status"] and table[1][0] == problem
    assert table[1][7].split() == row["incidents"]

    changes = cli("report", "changes", "--month", "2026-11", "--json", now=NOW).json
    figures = changes["figures"]
    assert (figures["changes"], figures["reviewed"], figures["by_status"]) == (2, 1, {"approved": 1, "completed": 1})
    assert figures["told"] == {"part": 1, "whole": 2, "share": 0.5}  # the KPI: sz-metro told, acme-sz not
    assert figures["successful"] == {"part": 1, "whole": 1, "share": 1.0}
    assert [(c["id"], c["told"], c["approvals"], c["approvals_needed"]) for c in changes["changes"]] == [
        (told, ["sz-metro"], 2, 2), (untold, [], 0, 0)]
    md = cli("report", "changes", "--month", "2026-11", "--lang", "en", now=NOW).out
    assert "Users told of coming changes 50.0% (1/2)" in md
    assert f"| {told} Upgrade the MPU firmware of SW-FT-01 | 2026-11-28 01:00 – 2026-11-28 04:00 | high | completed |" \
           " 2/2 approvals | sz-metro | sz-metro | successful |" in md
    assert "变更提前通知用户率 50.0% (1/2)" in cli("report", "changes", "--month", "2026-11", "--format", "html", now=NOW).out
    rows = list(csv.reader(io.StringIO(cli("report", "changes", "--month", "2026-11", "--format", "csv", now=NOW).out)))
    assert [r[0] for r in rows[1:]] == [told, untold]
    assert cli("report", "changes", "--month", "2026-11", "--customer", "acme-sz", "--json", now=NOW).json[
        "figures"]["told"] == {"part": 0, "whole": 1, "share": 0.0}

    stats = cli("report", "stats", "--month", "2026-11", "--json", now=NOW).json
    assert stats["problems"]["known_errors"] == 1 and stats["changes"]["told"]["share"] == 0.5
    assert "## 变更" in cli("report", "stats", "--month", "2026-11", now=NOW).out
    bulletin = cli("report", "monthly", "--month", "2026-11", "--json", now=NOW).json
    assert [p["id"] for p in bulletin["problems"]] == [problem]
    assert [c["id"] for c in bulletin["changes"]] == [told, untold]
    assert f"| {told} Upgrade the MPU firmware of SW-FT-01 |" in cli("report", "monthly", "--month", "2026-11",
                                                                    now=NOW).out
    assert cli("report", "changes", "--month", "2026-10", "--json", now=NOW).json["changes"] == []
