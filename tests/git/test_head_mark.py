"""`head_mark`: where HEAD stands, read from files (what `casefile board` polls every second), agrees
with git after a commit, a branch switch, packed refs, a detached HEAD and in a linked worktree."""

from __future__ import annotations

from pathlib import Path

from casefile.git.repo import GitRepo
from clihelp import git


def commit(repo: Path, name: str) -> str:
    (repo / name).write_text(name, encoding="utf-8")
    git(repo, "add", name)
    git(repo, "-c", "user.name=Li Na", "-c", "user.email=li.na@jinqiao-it.example", "commit", "-qm", name)
    return git(repo, "rev-parse", "HEAD").strip()


def test_head_mark_moves_exactly_when_head_moves(tmp_path: Path) -> None:
    root = tmp_path / "desk"
    repo = GitRepo.init(root)
    assert repo.head_mark() == "refs/heads/main (no commit)"
    first = commit(root, "a")
    assert repo.head_mark() == f"refs/heads/main {first}"
    assert repo.head_mark() == repo.head_mark()  # nothing happened: the same
    second = commit(root, "b")
    assert repo.head_mark() == f"refs/heads/main {second}"
    git(root, "pack-refs", "--all")  # the loose ref is gone: read from packed-refs
    assert not (root / ".git/refs/heads/main").exists()
    assert repo.head_mark() == f"refs/heads/main {second}"
    git(root, "switch", "-q", "-c", "night-shift")
    assert repo.head_mark() == f"refs/heads/night-shift {second}"
    git(root, "switch", "-q", "--detach", first)
    assert repo.head_mark() == first


def test_head_mark_in_a_linked_worktree_reads_the_shared_refs(tmp_path: Path) -> None:
    root = tmp_path / "desk"
    repo = GitRepo.init(root)
    commit(root, "a")
    git(root, "worktree", "add", "-q", "-b", "station-2", str(tmp_path / "second"))
    other = GitRepo(tmp_path / "second")
    tip = commit(tmp_path / "second", "c")
    assert other.head_mark() == f"refs/heads/station-2 {tip}"
    assert repo.head_mark().startswith("refs/heads/main ")
