"""A git lock file left by a killed process (issue 13): every write names it (exit 4), and `casefile doctor`
removes it once it is stale, leaving a fresh one alone."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from clihelp import CLI, commit_count

NOW = "2026-11-03T10:00:00+08:00"


@pytest.mark.parametrize("lock", ["index.lock", "HEAD.lock", "refs/heads/main.lock"])
def test_a_stale_git_lock_is_named_in_the_refusal_and_doctor_removes_it(cli: CLI, lock: str) -> None:
    case = cli.open("Printer offline on 3F", "C", now=NOW)
    path = cli.repo / ".git" / lock
    path.write_text("")
    before = commit_count(cli.repo)

    refused = cli("note", case, "-m", "Called the customer", now=NOW, expect=4)
    assert refused.err.startswith(f"casefile: git is busy: {path} exists (")
    assert "run `casefile doctor`" in refused.err and len(refused.err.splitlines()) == 1
    assert commit_count(cli.repo) == before

    kept = cli("doctor", "--json", now=NOW).json  # just made: a git command may be using it
    assert kept["removed"] == [] and kept["kept"] == [str(path)] and path.exists()

    old = time.time() - 120
    os.utime(path, (old, old))
    healed = cli("doctor", now=NOW).out
    assert f"removed stale lock {path}" in healed and "ran git gc --auto" in healed
    assert not path.exists()
    cli("note", case, "-m", "Called the customer", now=NOW)
    assert commit_count(cli.repo) == before + 1


def test_doctor_on_a_healthy_clone_says_so(cli: CLI) -> None:
    out = cli("doctor", now=NOW).out
    assert out.splitlines() == ["no stale locks, no interrupted command", "ran git gc --auto"]
    assert not any(Path(cli.repo / ".git").rglob("*.lock"))
