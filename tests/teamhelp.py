"""A desk shared through a bare remote, and clones of it, driven as a team drives them."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from clihelp import CLI, git

COMMIT_AS = ["-c", "user.name=Hand Editor", "-c", "user.email=hand@casefile.invalid"]


def share(desk: CLI, remote: Path) -> None:
    """Make `remote` the desk's shared repository (the founding push, by `casefile sync`)."""
    git(desk.repo, "remote", "add", "origin", str(remote))
    desk("sync")


def clone(remote: Path, target: Path, actor: str, now: str = "2026-11-02T09:30:00+08:00") -> CLI:
    member = CLI(target, actor=actor, now=now)
    member("clone", str(remote), str(target))
    return member


@contextmanager
def offline(*members: CLI) -> Iterator[None]:
    """While inside, each clone's remote cannot be reached (as on a train)."""
    urls = {m.repo: git(m.repo, "remote", "get-url", "origin").strip() for m in members}
    for m in members:
        git(m.repo, "remote", "set-url", "origin", str(m.repo.parent / "no-network" / "remote.git"))
    try:
        yield
    finally:
        for m in members:
            git(m.repo, "remote", "set-url", "origin", urls[m.repo])


def case_file(repo: Path, case: str) -> Path:
    return next((repo / "cases").rglob(f"{case}.md"))


def records(repo: Path) -> dict[str, str]:
    """Every record file of the work tree, by path: what 'identical records' compares."""
    return {
        p.relative_to(repo).as_posix(): p.read_text(encoding="utf-8")
        for folder in ("cases", "stations", "customers", "surveys", "inspections", "kb")
        for p in sorted((repo / folder).rglob("*"))
        if p.is_file()
    }


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def hand_commit(repo: Path, message: str, *paths: str, verify: bool = True) -> subprocess.CompletedProcess[str]:
    """Commit a hand edit with plain git (the pre-commit hook runs unless verify is False)."""
    git(repo, "add", *(paths or ["-A"]))
    args = ["git", "-C", str(repo), *COMMIT_AS, "commit", "-q", "-m", message]
    if not verify:
        args.append("--no-verify")
    return subprocess.run(args, capture_output=True, text=True)
