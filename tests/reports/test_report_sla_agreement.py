"""Issue 5, acceptance 2: the `sla` report agrees with `check` and `show` on every case of the scenario.

The report, `show --json` and `check --dry-run --json` are run at the same instant; for every case
received in November, every clock's state in the report is the state `show` gives, and the clocks the
report counts as breached now are exactly those `check` lists as breached (for the cases check still
watches) — one engine, no second computation.  Run at three instants: the morning after the month,
the day the bulletin is due, and a week later.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from clihelp import CLI
from reportscenario import REPORT_NOW, isolated_build


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return isolated_build(tmp_path_factory)


@pytest.mark.parametrize("now", ["2026-12-01T09:00:00+08:00", REPORT_NOW, "2026-12-15T16:00:00+08:00"])
def test_sla_report_agrees_with_check_and_show(scenario: Path, now: str) -> None:
    cli = CLI(scenario, actor="wang.fang", now=now)
    report = cli("report", "sla", "--month", "2026-11", "--json").json
    cases = {c["case"]: c for c in report["cases"]}
    november = [row["id"] for row in cli("list", "--all", "--json", "--since", "2026-11-01",
                                          "--until", "2026-12-01").json]
    assert sorted(cases) == sorted(november) and report["not_computed"] == []

    for case_id in november:
        shown = cli("show", case_id, "--json").json["sla"]
        assert [(c["name"], c["state"]) for c in shown["clocks"]] == [
            (c["name"], c["state"]) for c in cases[case_id]["clocks"]], case_id

    check = cli("check", "--dry-run", "--json").json
    statuses = {row["id"]: row["status"] for row in cli("list", "--all", "--json").json}
    live = {case_id for case_id in cases if statuses[case_id] != "closed"}  # what check evaluates
    from_check = {(row["record"], row["clock"]) for row in check["breached"] if row["record"] in cases}
    from_report = {(case_id, c["name"]) for case_id, case in cases.items() for c in case["clocks"]
                   if c["state"] == "breached" and case_id in live}
    assert from_report == from_check
    assert from_check, "the scenario has breaches still running at each of these times"
    # Every breach check would record now is a breached clock of the report (also an earlier cycle's).
    for fired in check["fired"]:
        if fired["kind"] == "breach" and fired["record"] in cases:
            outcome = {c["name"]: c["outcome"] for c in cases[fired["record"]]["clocks"]}[fired["subject"]]
            assert outcome == "breached", fired
