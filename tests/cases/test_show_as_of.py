"""Issue 21, acceptance 2: `show CASE --as-of TIME` at three moments of the level-A outage on National Day
(issue 14's scenario, worked through the CLI with `check` every 5 simulated minutes) shows the case, its
clocks and who had been paged as the desk knew it then — read from the commits, and matching what `check`
had recorded by that moment."""

from __future__ import annotations

import importlib.util
from datetime import datetime

from clihelp import CLI, TESTS, git

_spec = importlib.util.spec_from_file_location("national_day_scenario", TESTS / "reports" / "test_national_day.py")
assert _spec is not None and _spec.loader is not None
scenario = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(scenario)

MOMENTS = ("2026-10-01T02:55:00+08:00", "2026-10-01T04:12:00+08:00", "2026-10-01T06:00:00+08:00")


def test_show_as_of_three_moments_of_the_outage(cli: CLI) -> None:
    case, fired, _said = scenario.work_the_day(cli)
    main = case["MAIN"]
    path = cli("show", main, "--json", now="2026-11-05T10:00:00+08:00").json["path"]
    states = {}
    for moment in MOMENTS:
        then = datetime.fromisoformat(moment)
        shown = cli("show", main, "--as-of", moment, "--json", now="2026-11-05T10:00:00+08:00").json
        # What check had recorded for the outage by then, as the runs reported it at the time.
        recorded = sorted((key, notified) for when, items in fired.items()
                          if datetime.fromisoformat(f"2026-{when.replace(' ', 'T')}:00+08:00") <= then
                          for record, key, notified in items if record == main)
        assert sorted((n["key"], n["notified"]) for n in shown["as_of"]["notices"]) == recorded, moment
        # Read from the last commit at or before the moment that touched the case (git, independently).
        commits = git(cli.repo, "log", "--format=%H %aI", "--", path).split("\n")
        before = [line.split() for line in commits if line and datetime.fromisoformat(line.split()[1]) <= then]
        assert shown["as_of"]["commit"] == before[0][0]
        committed = git(cli.repo, "show", f"{before[0][0]}:{path}")
        assert f"status: {shown['status']}" in committed and f"tier: {shown['tier']}" in committed
        assert len(shown["events"]) == committed.count("\n  - at: ")  # every event then, none after
        assert shown["sla"]["at"] == moment
        if moment == MOMENTS[0]:
            assert [n["key"] for n in shown["as_of"]["notices"]] == ["ladder/customer-service-engineer"]
        states[moment] = (shown["status"], shown["tier"],
                          {c["name"]: c["state"] for c in shown["sla"]["clocks"]})

    # By hand (issue 14's timeline; rule response 20m, on site 1h; restore 2h, all on 7x24 from 02:10):
    # 02:55 — escalated to L3 at 02:50 (the vendor comes at 03:00); answered 02:18 (met); on site due
    #         03:10, not there yet (running); restore due 04:10 running; only the 30m ladder step had fired
    #         (zhao.lei at 02:40).
    assert states[MOMENTS[0]][:2] == ("open", "L3")
    assert states[MOMENTS[0]][2]["response"] == "met" and states[MOMENTS[0]][2]["onsite"] == "running"
    assert states[MOMENTS[0]][2]["restore"] == "running"
    # 04:12 — with the vendor since 03:00; arrived 03:20 (on site breached, 1h10m); restore breached at 04:10.
    assert states[MOMENTS[1]][:2] == ("open", "vendor")
    assert states[MOMENTS[1]][2]["onsite"] == "breached" and states[MOMENTS[1]][2]["restore"] == "breached"
    # 06:00 — restored at 05:40 (3h30m: breached, stopped); the incident report's 48h clock runs.
    assert states[MOMENTS[2]][0] == "resolved"
    assert states[MOMENTS[2]][2]["restore"] == "breached" and states[MOMENTS[2]][2]["incident-report"] == "running"

    early = cli("show", main, "--as-of", "2026-10-01T02:00:00+08:00", expect=3)
    assert "did not exist yet" in early.err
