"""Approvals of one change given on two clones at once merge through the record merge driver (issue 19,
acceptance 4): after `sync` both clones hold both reviews, the change has its two approvals and starts; a problem
linked to different incidents on two clones keeps both links."""

from __future__ import annotations

from pathlib import Path

from casefile.i18n import stored_text
from clihelp import CLI, git, is_clean
from teamhelp import clone, offline, share

AT = "2026-11-{}:00+08:00"
AS = ("-c", "user.name=t", "-c", "user.email=t@x")


def _second_expert(cli: CLI) -> None:
    people = cli.repo / "people.yaml"
    text = people.read_text(encoding="utf-8")
    people.write_text(text.replace("      - technical-support-supervisor\n",
                                   "      - technical-support-supervisor\n      - expert-group\n"), encoding="utf-8")
    git(cli.repo, *AS, "commit", "-qam", "chen.jie joins the expert group")


def test_two_approvals_given_on_two_clones_merge_and_the_change_starts(
    cli: CLI, bare_remote: Path, tmp_path: Path
) -> None:
    _second_expert(cli)
    change = cli("rfc", "open", "--title", "Upgrade the MPU firmware of SW-FT-01", "--risk", "high",
                 "--plan", "Standby MPU first, then switch over.", "--backout", "Boot the previous image.",
                 "--start", "2026-11-28T01:00", "--end", "2026-11-28T04:00", "--customer", "sz-metro",
                 now=AT.format("21T10:00"), actor="li.na").out.split(":")[0]
    share(cli, bare_remote)
    a = clone(bare_remote, tmp_path / "a", "zhou.min")
    b = clone(bare_remote, tmp_path / "b", "chen.jie")
    with offline(a, b):
        a("rfc", "review", change, "--approve", "-m", "Backout tested in the lab.", now=AT.format("22T09:00"))
        b("rfc", "review", change, "--approve", "-m", "Window is outside the trains' hours.",
          now=AT.format("22T10:00"))
        a("rfc", "start", change, now=AT.format("22T09:30"), expect=1)  # one approval on this clone
    a("sync", now=AT.format("22T11:00"))
    b("sync", now=AT.format("22T11:05"))
    a("sync", now=AT.format("22T11:10"))
    for member in (a, b):
        shown = member("rfc", "show", change, "--json").json
        assert [(r["by"], r["verdict"]) for r in shown["reviews"]] == [("zhou.min", "approve"), ("chen.jie", "approve")]
        assert [e["kind"] for e in shown["events"]][:3] == ["requested", "reviewed", "reviewed"]
        assert shown["status"] == "approved"  # planned on each side; the merge counts both approvals
        merged = [e for e in shown["events"] if e["kind"] == "merged"]
        assert len(merged) == 1 and "2 of 2 approvals, given on different clones" in stored_text(merged[0], "en")
        assert member("validate").out == "" and is_clean(member.repo)
    a("rfc", "start", change, now=AT.format("28T01:00"), actor="li.na")
    started = a("rfc", "show", change, "--json").json
    assert (started["status"], started["started_at"]) == ("in-progress", "2026-11-28T01:00:00+08:00")
    assert a("validate").out == ""


def test_a_problem_linked_on_two_clones_keeps_both_incidents(cli: CLI, bare_remote: Path, tmp_path: Path) -> None:
    first = cli.open("SW-FT-01 reboots", "B", "--customer", "sz-metro", now=AT.format("03T02:00"))
    second = cli.open("SW-FT-01 reboots again", "B", "--customer", "sz-metro", now=AT.format("10T02:00"))
    third = cli.open("SW-FT-01 down", "A", "--customer", "sz-metro", now=AT.format("17T02:00"))
    problem = cli("problem", "open", "--title", "SW-FT-01 reboots every week", "--case", first,
                  now=AT.format("17T09:00")).out.split(":")[0]
    share(cli, bare_remote)
    a, b = clone(bare_remote, tmp_path / "a", "li.na"), clone(bare_remote, tmp_path / "b", "zhao.lei")
    with offline(a, b):
        a("problem", "link", problem, second, now=AT.format("18T09:00"))
        b("problem", "link", problem, third, now=AT.format("18T09:10"))
    a("sync", now=AT.format("18T10:00"))
    b("sync", now=AT.format("18T10:05"))
    a("sync", now=AT.format("18T10:10"))
    for member in (a, b):
        shown = member("problem", "show", problem, "--json").json
        assert sorted(shown["incidents"]) == sorted([first, second, third])
        assert member("validate").out == ""
