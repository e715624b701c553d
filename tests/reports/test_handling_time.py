"""Issue 20: the time spent on cases in `report engineers` — a column per engineer, and, where the policy says
`reports.engineers.solve: handling`, the "time to solve" score judged by it instead of the clocks."""

from __future__ import annotations

from clihelp import CLI, git

AT = "2026-11-03T{}:00+08:00"
REPORTED = "2026-12-01T09:00:00+08:00"


def scores(cli: CLI) -> dict[str, dict[str, object]]:
    cards = cli("report", "engineers", "--month", "2026-11", "--json", now=REPORTED).json["cards"]
    return {c["engineer"]: {"spent": c["spent"], **{s["key"]: (s["score"], s["basis"]) for s in c["scores"]}}
            for c in cards}


def test_time_to_solve_uses_handling_time_where_the_policy_says_so(cli: CLI) -> None:
    slow = cli.open("Printer offline on 3F", "C", "--customer", "acme-sz", now=AT.format("09:00"))
    quick = cli.open("Scanner jams", "C", "--customer", "acme-sz", now=AT.format("09:05"))
    untimed = cli.open("Toner low", "D", "--customer", "acme-sz", now=AT.format("09:06"))
    for case, spent in ((slow, "5h"), (quick, "30m")):
        cli("respond", case, "-m", "On it.", now=AT.format("09:10"), actor="li.na")
        cli("note", case, "-k", "remote", "--authorised-by", "Zhang Wei", "--spent", spent, "-m", "Worked on it.",
            now=AT.format("09:20"), actor="li.na")
        cli("resolve", case, "-m", "Fixed.", now=AT.format("09:30"), actor="li.na")
    cli("resolve", untimed, "-m", "Replaced the toner.", now=AT.format("09:40"), actor="li.na")
    by_clocks = scores(cli)["li.na"]
    assert by_clocks["spent"] == "5h30m"
    assert by_clocks["solve"] == (10.0, 3)  # every clock met

    policy = cli.repo / "policy.yaml"
    policy.write_text(policy.read_text(encoding="utf-8").replace(
        "  engineers:\n", "  engineers:\n    solve: handling\n    handling_targets: {A: 2h, B: 4h, C: 4h, D: 8h}\n", 1),
        encoding="utf-8")
    git(cli.repo, "-c", "user.name=W", "-c", "user.email=w@x", "commit", "-qam", "time to solve by handling time")
    by_handling = scores(cli)["li.na"]
    assert by_handling["solve"] == (5.0, 2)  # 5h over the C target of 4h, 30m within; the untimed case not judged
    table = cli("report", "engineers", "--month", "2026-11", "--lang", "zh", now=REPORTED).out
    assert "处理用时" in table and "5h30m" in table
