"""Issue 14: alerts can go to the case's owner and its working group (`owner`, `group` in `alerts:`);
escalating to the expert group keeps the owner, so both keep hearing of the case, and the vendor
hand-over leaves the group that handed it over following it up."""

from __future__ import annotations

from clihelp import CLI, git

NIGHT = "2026-10-03T{}:00+08:00"


def test_warnings_reach_the_owner_and_the_group(cli: CLI) -> None:
    policy = cli.repo / "policy.yaml"
    text = policy.read_text(encoding="utf-8")
    assert "  warning: [assignee]\n" in text
    policy.write_text(text.replace("  warning: [assignee]\n", "  warning: [owner, group]\n"), encoding="utf-8")
    git(cli.repo, "-c", "user.name=t", "-c", "user.email=t@x", "commit", "-qam", "warnings to owner and group")
    case = cli.open("Core switch down", "A", "--assign", "ma.qiang", now=NIGHT.format("02:00"))
    cli("respond", case, "-m", "On it.", now=NIGHT.format("02:05"), actor="ma.qiang")
    cli("escalate", case, "--to", "L3", "--reason", "Core routing", now=NIGHT.format("02:10"), actor="ma.qiang")
    # The on-site clock (30m) warns at 80 %: 02:24.  Owner ma.qiang and the expert group (zhou.min).
    fired = cli("check", "--json", now=NIGHT.format("02:25")).json["fired"]
    assert [(f["key"], f["notified"]) for f in fired if f["record"] == case] == [
        ("warning/onsite", ["ma.qiang", "zhou.min"])]
    cli("vendor", "add", "huawei", "--name", "Huawei Technologies", now=NIGHT.format("02:26"))
    cli("escalate", case, "--to", "vendor", "--vendor", "huawei", "--ticket", "HW-1", "--reason", "Line card",
        now=NIGHT.format("02:30"), actor="zhou.min")
    # The progress clock (60m) warns at 02:48: the owner and the group that handed it to the vendor.
    fired = cli("check", "--json", now=NIGHT.format("02:50")).json["fired"]
    assert ("warning/progress@2026-10-03T02:00:00+08:00", ["ma.qiang", "zhou.min"]) in [
        (f["key"], f["notified"]) for f in fired]
    assert cli("show", case, "--json").json["assignee"] == "ma.qiang"
