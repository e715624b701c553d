"""Helpers for the tests of customers, inspections, surveys and the knowledge base."""

from __future__ import annotations

from clihelp import CLI, Result, commit_count, git, is_clean


def refused(
    cli: CLI, *args: str, code: int = 1, says: str, now: str | None = None, actor: str | None = None
) -> Result:
    """Run a command that must fail: one line on stderr, exit `code`, no commit, a clean work tree."""
    before = commit_count(cli.repo)
    head = git(cli.repo, "rev-parse", "HEAD")
    result = cli(*args, now=now, actor=actor, expect=code)
    assert result.err.startswith("casefile: ") and result.err.count("\n") == 1, result.err
    assert "Traceback" not in result.err
    assert says in result.err, result.err
    assert commit_count(cli.repo) == before
    assert git(cli.repo, "rev-parse", "HEAD") == head
    assert is_clean(cli.repo), git(cli.repo, "status", "--porcelain")
    return result


def changed_files(cli: CLI, rev: str = "HEAD") -> list[str]:
    """The files one commit changed."""
    return sorted(git(cli.repo, "show", "--name-only", "--format=", rev).split())


def trailers(cli: CLI, rev: str = "HEAD") -> dict[str, str]:
    body = git(cli.repo, "log", "-1", "--format=%B", rev).strip().split("\n\n")[-1]
    return dict(line.split(": ", 1) for line in body.splitlines())
