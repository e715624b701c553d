"""remote.py: telling a rejected push from an unreachable remote (GitPython's PushInfo flags)."""

from __future__ import annotations

from pathlib import Path

import pytest

from casefile.git.remote import (
    PushOutcome,
    PushStatus,
    RefCreation,
    Unreachable,
    create_ref,
    push,
)
from casefile.git.repo import GitRepo
from clihelp import CLI, git


def test_creating_a_ref_only_if_it_does_not_exist(cli: CLI, bare_remote: Path) -> None:
    repo = GitRepo(cli.repo)
    git(cli.repo, "remote", "add", "origin", str(bare_remote))
    first, second = git(cli.repo, "rev-parse", "HEAD").strip(), git(cli.repo, "rev-parse", "HEAD~1").strip()
    assert create_ref(repo, "origin", first, "refs/casefile/stations/KMT") is RefCreation.CREATED
    assert create_ref(repo, "origin", first, "refs/casefile/stations/KMT") is RefCreation.CREATED  # the same claim
    assert create_ref(repo, "origin", second, "refs/casefile/stations/KMT") is RefCreation.EXISTS
    assert git(bare_remote, "rev-parse", "refs/casefile/stations/KMT").strip() == first
    assert "refs/casefile/outgoing" not in git(cli.repo, "for-each-ref")
    hook = bare_remote / "hooks" / "pre-receive"
    hook.parent.mkdir(exist_ok=True)
    hook.write_text("#!/bin/sh\necho 'no custom refs here' >&2\nexit 1\n")
    hook.chmod(0o755)
    assert create_ref(repo, "origin", first, "refs/casefile/stations/QRS") is RefCreation.REFUSED
    assert push(repo, "origin", ["refs/heads/main:refs/heads/main"]) == PushOutcome(
        PushStatus.REFUSED, "no custom refs here")


def test_an_unreachable_remote_is_not_a_rejection(cli: CLI, tmp_path: Path) -> None:
    repo = GitRepo(cli.repo)
    git(cli.repo, "remote", "add", "origin", str(tmp_path / "gone.git"))
    with pytest.raises(Unreachable) as caught:
        push(repo, "origin", ["refs/heads/main:refs/heads/main"])
    assert "does not appear to be a git repository" in caught.value.reason
