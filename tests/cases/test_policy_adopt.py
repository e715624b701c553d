"""`casefile policy adopt`: a case moves to the current policy version only on purpose — one commit per case,
the old and the new version in its log.  Without it a policy change never moves a case's deadlines."""

from __future__ import annotations

from pathlib import Path

import pytest

from clihelp import CLI, commit_count, git, is_clean

AS = ["-c", "user.name=Wang Fang 王芳", "-c", "user.email=wang.fang@jinqiao-it.example"]
NOW = "2026-12-07T09:00:00+08:00"


@pytest.fixture
def desk_path(cases_only_desk: Path) -> Path:
    return cases_only_desk


def reply_due(cli: CLI, case: str) -> str:
    clocks = cli("show", case, "--json", now=NOW).json["sla"]["clocks"]
    return next(c["due_at"] for c in clocks if c["name"] == "reply")


def new_policy(cli: CLI) -> str:
    """Level D's reply target from 24h to 16h of working time, committed; the new version's blob id."""
    policy = cli.repo / "policy.yaml"
    policy.write_text(policy.read_text().replace("      reply: 24h ", "      reply: 16h ", 1), encoding="utf-8")
    git(cli.repo, *AS, "commit", "-qam", "policy: level D replies within 16 working hours")
    return git(cli.repo, "rev-parse", "HEAD:policy.yaml").strip()


def test_adopt_moves_a_case_to_the_current_version_in_one_commit(cli: CLI) -> None:
    # Tue 2026-12-01 09:00 + 24h on 5x8 = three working days -> Thu 12-03 18:00; with 16h -> Wed 12-02 18:00.
    case = cli.open("Report export is slow", "D", now="2026-12-01T09:00:00+08:00")
    old = cli("show", case, "--json", now=NOW).json["policy"]
    new = new_policy(cli)
    assert reply_due(cli, case) == "2026-12-03T18:00:00+08:00"  # the policy change alone moves nothing
    before = commit_count(cli.repo)
    done = cli("policy", "adopt", case, "--reason", "Contract renewed: replies within 16h", now=NOW)
    assert done.out.strip() == f"{case}: adopt the current policy {new[:10]} (was {old[:10]})"
    assert commit_count(cli.repo) == before + 1 and is_clean(cli.repo)
    message = git(cli.repo, "log", "-1", "--format=%B")
    assert "Casefile-Action: adopt-policy\n" in message and f"Casefile-Case: {case}\n" in message
    assert "Contract renewed: replies within 16h" in message
    shown = cli("show", case, "--json", now=NOW).json
    assert shown["policy"] == new
    event = shown["events"][-1]
    assert (event["kind"], event["by"], event["text"]) == ("policy", "wang.fang", "Contract renewed: replies within 16h")
    assert event["fields"] == {"policy": {"from": old, "to": new}}
    assert reply_due(cli, case) == "2026-12-02T18:00:00+08:00"
    # Again: nothing to do, nothing committed.
    again = cli("policy", "adopt", case, "--reason", "again", now=NOW)
    assert "is under the current policy already" in again.out and commit_count(cli.repo) == before + 1


def test_all_open_moves_each_open_case_and_leaves_closed_ones(cli: CLI) -> None:
    first = cli.open("Printer offline on 3F", "D", now="2026-12-01T09:00:00+08:00")
    second = cli.open("VPN drops at the Shekou office", "C", now="2026-12-01T10:00:00+08:00")
    cli("pend", second, "--reason", "Waiting for the router's log", now="2026-12-01T11:00:00+08:00")
    closed = cli.open("Password reset", "D", now="2026-12-01T11:00:00+08:00")
    cli("resolve", closed, "-m", "Reset.", now="2026-12-01T11:10:00+08:00")
    cli("close", closed, "--confirmed-by", "Zhang Wei", now="2026-12-01T11:20:00+08:00")
    old = cli("show", closed, "--json", now=NOW).json["policy"]
    new = new_policy(cli)
    before = commit_count(cli.repo)
    done = cli("policy", "adopt", "--all-open", "--reason", "New contract", "--json", now=NOW).json
    assert [item["case"] for item in done["adopted"]] == [first, second] and done["policy"] == new
    assert commit_count(cli.repo) == before + 2  # one commit per case
    assert cli("show", closed, "--json", now=NOW).json["policy"] == old
    # A closed case named by hand refuses the whole command: nothing is committed.
    third = cli.open("Projector flickers", "D", now="2026-12-07T08:00:00+08:00")
    before = commit_count(cli.repo)
    refused = cli("policy", "adopt", third, closed, "--reason", "x", now=NOW, expect=1)
    assert f"{closed} is closed; a closed case keeps the policy it was worked under" in refused.err
    assert commit_count(cli.repo) == before


def test_adopt_refuses_what_it_cannot_do(cli: CLI) -> None:
    case = cli.open("Report export is slow", "D", now="2026-12-01T09:00:00+08:00")
    assert "name the cases to move, or give --all-open" in cli("policy", "adopt", "--reason", "x", expect=1).err
    assert cli("policy", "adopt", "KMT-99999", "--reason", "x", expect=3).err.startswith("casefile: no case")
    policy = cli.repo / "policy.yaml"
    policy.write_text(policy.read_text().replace("      reply: 24h ", "      reply: 16h ", 1), encoding="utf-8")
    before = commit_count(cli.repo)
    dirty = cli("policy", "adopt", case, "--reason", "x", now=NOW, expect=1)
    assert "policy.yaml has changes that are not committed" in dirty.err and commit_count(cli.repo) == before
