"""Three clones work offline, then sync in every order (issue 6, acceptance 1 and 2)."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from casefile.i18n import stored_text
from clihelp import CLI, git, is_clean
from teamhelp import canonical, clone, offline, records, share

DAY = "2026-11-03T{}:00+08:00"


def _work_offline(members: dict[str, CLI], shared: str) -> None:
    a, b, c = members["A"], members["B"], members["C"]
    with offline(a, b, c):
        a.open("A1: VPN drops every hour", "C", now=DAY.format("09:40"))
        a.open("A2: Outlook asks for the password", "D", now=DAY.format("09:41"))
        b.open("B1: Scanner on 2F jams", "D", now=DAY.format("09:42"))
        c.open("C1: New laptop for Liu Min", "D", "--type", "request", now=DAY.format("09:43"))
        c.open("C2: How to book the meeting room", "D", "--type", "consultation", now=DAY.format("09:44"))
        a("note", shared, "-k", "call", "-m", "A: called the customer", now=DAY.format("10:00"))
        a("assign", shared, "li.na", "--tier", "L2", now=DAY.format("10:01"))
        b("note", shared, "-m", "B: checked the print server", now=DAY.format("10:02"))
        c("note", shared, "-k", "remote", "--authorised-by", "Zhang Wei", "-m", "C: remote session",
          now=DAY.format("10:03"))
        b("change", shared, "--level", "B", "-m", "whole floor affected", now=DAY.format("10:05"))
        b("assign", shared, "zhao.lei", "--tier", "L3", now=DAY.format("10:06"))
        a("pend", shared, "--reason", "A: waiting for the admin password", now=DAY.format("10:10"))
        a("resume", shared, "-m", "A: password received", now=DAY.format("10:20"))
        b("note", shared, "-k", "progress", "-m", "B: told the customer", now=DAY.format("10:30"))
        c("pend", shared, "--reason", "C: fuser ordered", "--on", "vendor", now=DAY.format("10:40"))
        c("note", shared, "-k", "vendor", "-m", "C: HP confirms delivery", now=DAY.format("10:45"))
        a("resolve", shared, "-m", "A: fuser replaced, test page OK", now=DAY.format("11:00"))


def _events_by_clone(members: dict[str, CLI], shared: str) -> list[str]:
    base = {canonical(e) for e in members["A"]("show", shared, "--json", now=DAY.format("09:00")).json["events"][:1]}
    found = []
    for member in members.values():
        for event in member("show", shared, "--json").json["events"]:
            if canonical(event) not in base:
                found.append(canonical(event))
    return found


@pytest.mark.parametrize("order", ["".join(p) for p in itertools.permutations("ABC")])
def test_three_clones_work_offline_and_sync_in_any_order(
    cli: CLI, bare_remote: Path, tmp_path: Path, order: str
) -> None:
    shared = cli.open("Printer on 3F prints nothing", "C", "--customer", "acme-sz", now=DAY.format("09:00"))
    share(cli, bare_remote)
    members = {
        "A": clone(bare_remote, tmp_path / "a", "li.na"),
        "B": clone(bare_remote, tmp_path / "b", "zhao.lei"),
        "C": clone(bare_remote, tmp_path / "c", "ma.qiang"),
    }
    _work_offline(members, shared)
    made_offline = _events_by_clone(members, shared)
    titles = sorted({row["title"] for m in members.values() for row in m("list", "--all", "--json").json})

    for name in order + order:  # the first round gathers everything in the last clone; the second spreads it
        members[name]("sync", now=DAY.format("12:00"))

    heads = {git(m.repo, "rev-parse", "HEAD") for m in members.values()}
    assert len(heads) == 1
    assert len({canonical(records(m.repo)) for m in members.values()}) == 1
    final = members["A"]("show", shared, "--json").json
    final_events = [canonical(e) for e in final["events"]]
    for event in made_offline:
        assert final_events.count(event) == 1, event
    assert len(final_events) == 1 + len(made_offline) + sum(e["kind"] == "merged" for e in final["events"])
    listed = members["A"]("list", "--all", "--json").json
    numbers = [row["id"] for row in listed]
    assert len(numbers) == len(set(numbers)) == 6
    assert sorted(row["title"] for row in listed) == titles
    # The later change wins, settled as a whole: A resolved at 11:00, after C's pend at 10:40;
    # B's assignment (10:06) came after A's (10:01); only B changed the level.
    assert final["status"] == "resolved" and final["resolution"] == "A: fuser replaced, test page OK"
    assert (final["assignee"], final["tier"], final["level"]) == ("zhao.lei", "L3", "B")
    assert all(p["until"] for p in final["pauses"]) and len(final["pauses"]) == 2
    for member in members.values():
        assert member("validate").out == ""
        assert is_clean(member.repo)


def test_conflicting_scalar_edits_keep_the_later_change_and_log_the_loser(
    cli: CLI, bare_remote: Path, tmp_path: Path
) -> None:
    case = cli.open("ERP slow in the afternoon", "C", now=DAY.format("09:00"))
    share(cli, bare_remote)
    a = clone(bare_remote, tmp_path / "a", "li.na")
    b = clone(bare_remote, tmp_path / "b", "zhou.min")
    a("change", case, "--category", "software/erp", now=DAY.format("10:30"))
    b("change", case, "--category", "network/wan", "--title", "ERP slow: WAN link saturated", now=DAY.format("10:15"))
    a("sync", now=DAY.format("11:00"))
    b("sync", now=DAY.format("11:05"))
    shown = b("show", case, "--json").json
    # The documented rule: the side whose latest event touching the field is later wins (10:30 > 10:15).
    assert shown["category"] == "software/erp"
    assert shown["title"] == "ERP slow: WAN link saturated"  # changed on one side only
    merged = [e for e in shown["events"] if e["kind"] == "merged"]
    assert len(merged) == 1
    assert merged[0]["by"] == "merge"
    assert merged[0]["fields"] == {"category": {"kept": "software/erp", "lost": "network/wan"}}
    said = stored_text(merged[0], "en")  # kept without words: the message and its values (issue 18)
    assert "network/wan" in said and "changed later" in said
    assert "network/wan" in b("show", case).out  # visible in the activity log a person reads
    assert b("validate").out == ""


def test_the_same_escalation_fired_on_two_hosts_appears_once(cli: CLI, bare_remote: Path, tmp_path: Path) -> None:
    """Acceptance 3 at the merge level: two hosts record the same ladder step (same `key`)."""
    from teamhelp import case_file, hand_commit

    case = cli.open("Core switch down", "A", now=DAY.format("02:10"))
    share(cli, bare_remote)
    hosts = [clone(bare_remote, tmp_path / name, "wang.fang") for name in ("cron-1", "cron-2")]
    for host, minute in zip(hosts, ("02:40:05", "02:40:31")):
        path = case_file(host.repo, case)
        path.write_text(path.read_text().replace("\n---\n", (
            "\n  - at: 2026-11-03T" + minute + "+08:00\n"
            "    by: check\n"
            "    kind: ladder\n"
            "    text: 30 min without restore - customer service engineer\n"
            "    fields:\n"
            "      key: ladder/level-1/30m\n"
            "      roles:\n"
            "        - customer-service-engineer\n"
            "      host: " + host.repo.name + "\n"
            "---\n"), 1))
        assert hand_commit(host.repo, "check: ladder step").returncode == 0
    for host in hosts + hosts:
        host("sync", now=DAY.format("02:45"))
    events = hosts[0]("show", case, "--json").json["events"]
    ladder = [e for e in events if e["kind"] == "ladder"]
    assert len(ladder) == 1
    assert ladder[0]["at"] == "2026-11-03T02:40:05+08:00" and ladder[0]["fields"]["host"] == "cron-1"
    assert ladder[0]["fields"]["also_fired"] == [
        {"at": "2026-11-03T02:40:31+08:00", "by": "check", "host": "cron-2"}
    ]
    assert not [e for e in events if e["kind"] == "merged"]  # nothing was lost, so nothing to log
    assert records(hosts[0].repo) == records(hosts[1].repo)
    assert hosts[1]("validate").out == ""


@pytest.mark.parametrize("second_run", ["02:40", "02:41"])
def test_two_clones_run_check_then_sync_and_each_step_appears_once(
    cli: CLI, bare_remote: Path, tmp_path: Path, second_run: str
) -> None:
    """Acceptance 3 end to end: the real `check` on two clones (at the same time, and a minute apart)."""
    case = cli.open("Core switch down", "A", "--assign", "ma.qiang", now=DAY.format("02:10"))
    share(cli, bare_remote)
    hosts = [clone(bare_remote, tmp_path / name, "wang.fang") for name in ("cron-1", "cron-2")]
    hosts[0]("check", now=DAY.format("02:40"))
    hosts[1]("check", now=DAY.format(second_run))
    for host in hosts + hosts:
        host("sync", now=DAY.format("02:45"))
    for host in hosts:
        events = host("show", case, "--json").json["events"]
        keys = [e["fields"]["key"] for e in events if e["by"] == "check"]
        assert "ladder/customer-service-engineer" in keys  # 30 minutes without restore (level A)
        assert len(keys) == len(set(keys))
        assert host("validate").out == ""
    assert records(hosts[0].repo) == records(hosts[1].repo)
