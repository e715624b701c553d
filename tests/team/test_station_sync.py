"""Stations claimed offline are registered at sync; two clones with the same code never share numbers."""

from __future__ import annotations

import uuid
from pathlib import Path

from casefile.records.stations import StationState
from clihelp import CLI, git
from teamhelp import clone, offline, records, share

NOW = "2026-11-03T{}:00+08:00"


def station_refs(remote: Path) -> set[str]:
    out = git(remote, "for-each-ref", "--format=%(refname:strip=3)", "refs/casefile/stations/")
    return set(out.split())


def test_setup_registers_a_station_claimed_offline(cli: CLI, bare_remote: Path, tmp_path: Path) -> None:
    cli.open("Printer offline", "C", now=NOW.format("09:00"))
    share(cli, bare_remote)
    member = clone(bare_remote, tmp_path / "m", "li.na")
    with offline(member):
        case = member.open("Scanner jams", "D", now=NOW.format("09:10"))
    assert case[:3] not in station_refs(bare_remote)
    assert f"station {case[:3]} registered on origin" in member("setup").out
    assert case[:3] in station_refs(bare_remote)
    assert f"station {case[:3]} (registered on origin)" in member("setup").out  # running it again is harmless


def test_two_clones_that_claimed_the_same_station_offline_end_with_distinct_numbers(
    cli: CLI, bare_remote: Path, tmp_path: Path
) -> None:
    cli.open("Shared case", "C", now=NOW.format("09:00"))
    share(cli, bare_remote)
    a, b = clone(bare_remote, tmp_path / "a", "li.na"), clone(bare_remote, tmp_path / "b", "zhao.lei")
    with offline(a, b):
        a_cases = [a.open(f"A{n}", "D", now=NOW.format(f"09:1{n}")) for n in (1, 2)]
        station = a_cases[0][:3]
        # The 1-in-8,000 coincidence: B's random pick, offline too, is the same code.
        StationState(station, uuid.uuid4().hex, 1).save(b.repo / ".git" / "casefile")
        b_cases = [b.open(f"B{n}", "D", now=NOW.format(f"09:2{n}")) for n in (1, 2, 3)]
    assert b_cases[:2] == a_cases  # the same numbers, for different cases

    a("sync", now=NOW.format("10:00"))  # A's claim reaches the remote first: A keeps the code
    out = b("sync", now=NOW.format("10:05")).out
    new = git(b.repo, "log", "-1", "--format=%s", "HEAD~1").strip()  # the merge's first parent
    renumbered = [e for e in b("list", "--all", "--json").json if e["title"].startswith("B")]
    new_station = renumbered[0]["id"][:3]
    assert new_station != station
    assert (f"station {station} was claimed by another clone while both were offline: renumbered this clone's "
            f"3 unpublished case(s) {station}-00001..{station}-00003 as {new_station}-00001..{new_station}-00003"
            in out), out
    assert new.startswith(f"Renumber 3 case(s) of station {station} as {new_station}")
    a("sync", now=NOW.format("10:10"))

    assert records(a.repo) == records(b.repo)
    listed = a("list", "--all", "--json").json
    assert sorted(r["title"] for r in listed) == ["A1", "A2", "B1", "B2", "B3", "Shared case"]
    assert len({r["id"] for r in listed}) == 6
    assert {r["id"] for r in listed if r["title"].startswith("A")} == set(a_cases)  # published numbers never change
    first = a("show", f"{new_station}-00001", "--json").json
    assert first["title"] == "B1"
    assert first["events"][-1]["kind"] == "renumbered"
    assert first["events"][-1]["fields"] == {"id": {"from": f"{station}-00001", "to": f"{new_station}-00001"}}
    assert {station, new_station} <= station_refs(bare_remote)
    assert (a.repo / "stations" / f"{station}.yaml").read_text() == (
        git(a.repo, "show", f"refs/casefile/remotes/origin/stations/{station}:stations/{station}.yaml"))
    # History was added to, never rewritten: B's own `open` commits are still there.
    subjects = git(a.repo, "log", "--format=%s").splitlines()
    assert sum(s.startswith(f"{station}-00001: open") for s in subjects) == 2
    assert b.open("B4", "D", now=NOW.format("11:00")) == f"{new_station}-00004"
    assert a("validate").out == "" and b("validate").out == ""


def test_a_server_that_takes_no_station_refs_never_causes_a_renumbering(
    cli: CLI, bare_remote: Path, tmp_path: Path
) -> None:
    share(cli, bare_remote)
    hook = bare_remote / "hooks" / "pre-receive"
    hook.parent.mkdir(exist_ok=True)
    hook.write_text('#!/bin/sh\nwhile read old new ref; do case "$ref" in refs/casefile/*) '
                    'echo "only branches and tags here" >&2; exit 1;; esac; done\n')
    hook.chmod(0o755)
    member = clone(bare_remote, tmp_path / "m", "li.na")
    with offline(member):
        case = member.open("Scanner jams", "D", now=NOW.format("09:10"))
    first = member("sync", "--json", now=NOW.format("09:20")).json
    assert first["notes"] == [f"origin does not take station registrations (refs/casefile/*); station {case[:3]} "
                              "stands by its record in the branch"]
    assert (first["received"], first["sent"], first["merged"], first["attempts"]) == (0, 1, [], 1)
    assert "renumbered" not in member("sync", now=NOW.format("09:30")).out
    assert member("show", case, "--json").json["title"] == "Scanner jams"
    assert git(bare_remote, "rev-parse", "main") == git(member.repo, "rev-parse", "HEAD")
