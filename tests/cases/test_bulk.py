"""`casefile bulk`: one step on many cases in ONE commit naming every case — or no trace at all."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from clihelp import CLI, commit_count, git, is_clean

NOW = "2026-11-02T11:00:00+08:00"


def snapshot(repo: Path) -> tuple[str, str, str]:
    digest = hashlib.sha256()
    for path in sorted(p for p in repo.rglob("*") if p.is_file() and ".git" not in p.relative_to(repo).parts):
        digest.update(str(path.relative_to(repo)).encode() + b"\0" + path.read_bytes())
    return git(repo, "rev-parse", "HEAD"), git(repo, "status", "--porcelain"), digest.hexdigest()


@pytest.fixture
def li_nas(cli: CLI) -> list[str]:
    """Three open cases of li.na at acme-sz, one pending, and one of ma.qiang."""
    ids = [cli.open(f"Printer offline on {floor}F", "C", "--customer", "acme-sz", "--assign", "li.na",
                    now="2026-11-02T09:10:00+08:00") for floor in (2, 3, 5)]
    waiting = cli.open("Scanner driver", "D", "--assign", "li.na", now="2026-11-02T09:20:00+08:00")
    cli("pend", waiting, "--reason", "Waiting for the admin password", now="2026-11-02T09:30:00+08:00")
    cli.open("VPN drops", "C", "--assign", "ma.qiang", now="2026-11-02T09:40:00+08:00")
    return ids


def test_bulk_assign_is_one_commit_listing_every_case(cli: CLI, li_nas: list[str]) -> None:
    before = commit_count(cli.repo)
    done = cli("bulk", "assign", "--where", "assignee = li.na and status = open", "--to", "wang.fang", "--json",
               now=NOW).json
    assert [c["id"] for c in done["cases"]] == li_nas and done["dry_run"] is False
    assert commit_count(cli.repo) == before + 1 and is_clean(cli.repo)
    message = git(cli.repo, "log", "-1", "--format=%B")
    subject, body = message.split("\n", 1)
    assert subject == f"{', '.join(li_nas)}: assign to wang.fang"
    for case in li_nas:  # the body has a line per case, and a trailer per case
        assert f"{case}: assign to wang.fang" in body and f"Casefile-Case: {case}" in body
    assert "Casefile-Action: assign" in body
    changed = git(cli.repo, "show", "--name-only", "--format=", "HEAD").split()
    assert len(changed) == 3
    for case in li_nas:
        shown = cli("show", case, "--json", now=NOW).json
        assert shown["assignee"] == "wang.fang"
        assert shown["events"][-1]["kind"] == "assigned" and shown["events"][-1]["by"] == "wang.fang"
        assert cli("history", case, "--json").json[0]["subject"] == subject  # each case's history has it
    rows = cli("list", "--where", "assignee = li.na", "--json", now=NOW).json
    assert [r["title"] for r in rows] == ["Scanner driver"]  # the pending one was not chosen


def test_many_cases_are_counted_in_the_subject_and_named_in_the_body(cli: CLI, li_nas: list[str]) -> None:
    more = [cli.open(f"Monitor flickers, desk {n}", "D", "--assign", "li.na", now="2026-11-02T09:50:00+08:00")
            for n in range(3)]
    cli("bulk", "tag", "+floor-3", "--where", "assignee = li.na", now=NOW)
    subject, body = git(cli.repo, "log", "-1", "--format=%B").split("\n", 1)
    assert subject == "cases: tag +floor-3 (7 cases)"
    assert all(f"Casefile-Case: {case}" in body for case in [*li_nas, *more])


def test_a_refusal_for_one_case_leaves_every_case_untouched_and_names_it(cli: CLI, li_nas: list[str]) -> None:
    cli("resolve", li_nas[1], "-m", "Cleared the queue.", now="2026-11-02T10:00:00+08:00")
    cli("close", li_nas[1], "--confirmed-by", "Zhang Wei", now="2026-11-02T10:05:00+08:00")
    before = snapshot(cli.repo)
    refused = cli("bulk", "assign", "--to", "wang.fang", input="\n".join(li_nas) + "\n", now=NOW, expect=1)
    assert refused.err.count("\n") == 1 and "Traceback" not in refused.err
    assert f"{li_nas[1]} is closed; cannot assign it; nothing was changed" in refused.err
    assert refused.out == "" and snapshot(cli.repo) == before


def test_a_hand_edit_of_one_case_refuses_them_all(cli: CLI, li_nas: list[str]) -> None:
    path = cli.repo / cli("show", li_nas[2], "--json").json["path"]
    path.write_text(path.read_text(encoding="utf-8") + "Edited by hand.\n", encoding="utf-8")
    head = git(cli.repo, "rev-parse", "HEAD")
    refused = cli("bulk", "note", "--where", "assignee = li.na and status = open", "-m", "Toner ordered.",
                  now=NOW, expect=1)
    assert li_nas[2] in refused.err and "not committed" in refused.err
    assert git(cli.repo, "rev-parse", "HEAD") == head
    assert git(cli.repo, "status", "--porcelain").split() == ["M", str(path.relative_to(cli.repo))]


def test_dry_run_shows_what_would_change_and_writes_nothing(cli: CLI, li_nas: list[str]) -> None:
    before = snapshot(cli.repo)
    shown = cli("bulk", "assign", "--where", "assignee = li.na and status = open", "--to", "ma.qiang",
                "--tier", "L3", "--dry-run", now=NOW)
    lines = shown.out.splitlines()
    assert lines[0] == f"would commit: {', '.join(li_nas)}: assign to ma.qiang"
    assert f"  {li_nas[0]}: assign to ma.qiang (L2 -> L3)" in lines
    assert lines[-1] == "(dry run: 3 case(s), nothing written)"
    assert snapshot(cli.repo) == before
    refused = cli("bulk", "close", "--where", "assignee = li.na", "--confirmed-by", "Zhang Wei", "--dry-run",
                  now=NOW, expect=1)  # a dry run refuses what the command would refuse
    assert "not resolved" in refused.err and snapshot(cli.repo) == before


def test_ids_on_stdin_and_the_same_checks_as_the_single_command(cli: CLI, li_nas: list[str]) -> None:
    cli("bulk", "tag", "+vip", input=f"# the VIP floor\n{li_nas[0].lower()}\n{li_nas[0]} {li_nas[2]}\n", now=NOW)
    assert [r["id"] for r in cli("list", "--tag", "vip", "--json", now=NOW).json] == [li_nas[0], li_nas[2]]
    assert "no person" in cli("bulk", "assign", "--to", "nobody.here", input=li_nas[0], now=NOW, expect=3).err
    assert "not a case number" in cli("bulk", "assign", "--to", "ma.qiang", input="printer", now=NOW, expect=1).err
    refused = cli("bulk", "assign", "--where", "assignee = li.na and level = Q", "--to", "ma.qiang", now=NOW, expect=1)
    assert "at column" in refused.err
    none = cli("bulk", "assign", "--where", "customer = sz-metro", "--to", "ma.qiang", now=NOW, expect=1)
    assert "no case matches" in none.err


def test_bulk_close_issues_every_survey_in_the_one_commit(cli: CLI, li_nas: list[str]) -> None:
    for case in li_nas:
        cli("resolve", case, "-m", "Replaced the fuser.", now="2026-11-02T10:00:00+08:00")
    before = commit_count(cli.repo)
    cli("bulk", "close", "--where", "status = resolved", "--confirmed-by", "Zhang Wei", now=NOW)
    assert commit_count(cli.repo) == before + 1 and is_clean(cli.repo)
    body = git(cli.repo, "log", "-1", "--format=%B")
    assert body.count("Casefile-Survey: ") == 3
    surveys = cli("survey", "list", "--json", now=NOW).json
    assert {s["case"] for s in surveys} >= set(li_nas)


def test_a_major_incident_and_its_caller_closed_together(cli: CLI) -> None:
    parent = cli.open("Core switch down", "A", "--customer", "sz-metro", now="2026-11-02T09:00:00+08:00")
    child = cli.open("Gates offline", "A", "--customer", "sz-metro", "--parent", parent,
                     now="2026-11-02T09:05:00+08:00")
    cli("resolve", parent, "-m", "Line card replaced.", now="2026-11-02T10:00:00+08:00")
    done = cli("bulk", "close", "--where", "customer = sz-metro and status = resolved", "--confirmed-by",
               "Chen Jing", "--json", now=NOW).json  # the caller was restored with its incident: both are chosen
    assert [c["id"] for c in done["cases"]] == [parent, child]
    assert done["cases"][1]["change"] == f"with {parent}"  # closed by its incident's step, not twice
    assert is_clean(cli.repo)
    for case in (parent, child):
        shown = cli("show", case, "--json", now=NOW).json
        assert shown["status"] == "closed"
    assert [e["kind"] for e in cli("show", child, "--json").json["events"]].count("closed") == 1


@pytest.mark.parametrize("point", ["before-ref", "after-ref"])
def test_a_crash_leaves_all_or_nothing(cli: CLI, li_nas: list[str], point: str) -> None:
    head = git(cli.repo, "rev-parse", "HEAD")
    crashed = cli.process("bulk", "assign", "--where", "assignee = li.na and status = open", "--to", "wang.fang",
                          now=NOW, expect=70, extra_env={"CASEFILE_CRASH_AT": point})
    assert crashed.out == ""
    listed = cli("list", "--json", now=NOW)
    assert is_clean(cli.repo)
    assignees = {r["id"]: r["assignee"] for r in listed.json}
    if point == "before-ref":
        assert git(cli.repo, "rev-parse", "HEAD") == head
        assert {assignees[c] for c in li_nas} == {"li.na"}
    else:
        assert "finished an interrupted command" in listed.err
        assert git(cli.repo, "rev-parse", "HEAD~1") == head
        assert {assignees[c] for c in li_nas} == {"wang.fang"}


def test_help_shows_examples(cli: CLI) -> None:
    for sub in ("assign", "tag", "close", "note"):
        assert f"casefile bulk {sub}" in cli("bulk", sub, "--help").out
