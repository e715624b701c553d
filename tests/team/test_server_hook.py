"""The pre-receive hook on a real bare repository, with real pushes (issue 6, acceptance 4)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from clihelp import CLI, git
from teamhelp import case_file, clone, hand_commit, share


def push(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", "-C", str(repo), "push", *args], capture_output=True, text=True)


@pytest.fixture
def guarded(cli: CLI, bare_remote: Path, tmp_path: Path) -> tuple[CLI, str, Path]:
    """A shared repository with the hook installed, one case in it, and a clone of it."""
    installed = cli("server-hook", "install", str(bare_remote)).out
    assert installed.strip() == f"installed {bare_remote.resolve() / 'hooks' / 'pre-receive'}"
    case = cli.open("Printer offline", "C", now="2026-11-03T09:00:00+08:00")
    share(cli, bare_remote)  # the first push goes through the hook: every record is checked
    member = clone(bare_remote, tmp_path / "member", "li.na")
    return member, case, bare_remote


def remote_tip(remote: Path) -> str:
    return git(remote, "rev-parse", "refs/heads/main").strip()


def test_valid_work_and_new_station_registrations_are_accepted(guarded: tuple[CLI, str, Path]) -> None:
    member, case, remote = guarded
    new = member.open("Scanner jams", "D", now="2026-11-03T10:00:00+08:00")  # registers its station on the remote
    member("note", case, "-m", "Checked the driver", now="2026-11-03T10:05:00+08:00")
    member("sync", now="2026-11-03T10:10:00+08:00")
    assert remote_tip(remote) == git(member.repo, "rev-parse", "HEAD").strip()
    assert f"refs/casefile/stations/{new[:3]}" in git(remote, "for-each-ref", "--format=%(refname)")


def test_a_record_that_does_not_validate_is_refused(guarded: tuple[CLI, str, Path]) -> None:
    member, case, remote = guarded
    before = remote_tip(remote)
    path = case_file(member.repo, case)
    path.write_text(path.read_text().replace("level: C", "level: Z"))
    assert hand_commit(member.repo, "bad level", verify=False).returncode == 0  # skipping the client hook
    refused = push(member.repo, "origin", "main")
    assert refused.returncode != 0
    rel = path.relative_to(member.repo).as_posix()
    assert f"casefile: refused refs/heads/main: {rel}:5: level 'Z' is not one of: A, B, C, D" in refused.stderr
    assert remote_tip(remote) == before


def test_unresolved_conflict_markers_are_refused(guarded: tuple[CLI, str, Path]) -> None:
    member, case, remote = guarded
    path = case_file(member.repo, case)
    path.write_text(path.read_text().replace("Shows E-04.", "<<<<<<< HEAD\nShows E-04.\n=======\nE-05\n>>>>>>> x"))
    assert hand_commit(member.repo, "markers", verify=False).returncode == 0
    refused = push(member.repo, "origin", "main")
    assert refused.returncode != 0 and "unresolved merge conflict" in refused.stderr


def test_a_deleted_record_is_refused(guarded: tuple[CLI, str, Path]) -> None:
    member, case, remote = guarded
    before = remote_tip(remote)
    rel = case_file(member.repo, case).relative_to(member.repo).as_posix()
    git(member.repo, "rm", "-q", rel)
    assert hand_commit(member.repo, "delete a case", verify=False).returncode == 0
    refused = push(member.repo, "origin", "main")
    assert refused.returncode != 0
    assert f"casefile: refused refs/heads/main: {rel}: records are never deleted" in refused.stderr
    assert remote_tip(remote) == before


def test_a_rewritten_history_is_refused(guarded: tuple[CLI, str, Path]) -> None:
    member, case, remote = guarded
    before = remote_tip(remote)
    git(member.repo, "reset", "-q", "--hard", "HEAD~1")  # drop the published `open` commit ...
    path = member.repo / "notes.txt"
    path.write_text("rewritten\n")
    assert hand_commit(member.repo, "a different past").returncode == 0
    refused = push(member.repo, "--force", "origin", "main")  # ... and force the other past on everyone
    assert refused.returncode != 0
    assert "casefile: refused refs/heads/main: rewrites history (not a fast-forward)" in refused.stderr
    assert remote_tip(remote) == before


def test_deleting_the_shared_branch_or_changing_a_station_is_refused(guarded: tuple[CLI, str, Path]) -> None:
    member, _case, remote = guarded
    station = member.open("Scanner jams", "D", now="2026-11-03T10:00:00+08:00")[:3]
    deleted = push(member.repo, "origin", ":main")
    assert deleted.returncode != 0 and "the shared branch cannot be deleted" in deleted.stderr
    moved = push(member.repo, "--force", "origin", f"HEAD:refs/casefile/stations/{station}")
    assert moved.returncode != 0 and "station registrations are permanent" in moved.stderr
    # Other branches (a merge request's) may come and go.
    assert push(member.repo, "origin", "HEAD:refs/heads/review").returncode == 0
    assert push(member.repo, "origin", ":review").returncode == 0


def test_the_hook_refuses_everything_when_casefile_is_missing_on_the_server(
    cli: CLI, bare_remote: Path
) -> None:
    script = cli("server-hook", "script").out
    assert script.startswith("#!/bin/sh\n") and "server-hook run" in script
    hook = bare_remote / "hooks" / "pre-receive"
    hook.parent.mkdir(exist_ok=True)
    hook.write_text(script.replace(f"CASEFILE_PYTHON='", "CASEFILE_PYTHON='/nonexistent"))
    hook.chmod(0o755)
    git(cli.repo, "remote", "add", "origin", str(bare_remote))
    refused = subprocess.run(["git", "-C", str(cli.repo), "push", "origin", "main"], capture_output=True, text=True,
                             env={"PATH": "/usr/bin:/bin", "HOME": str(cli.repo)})
    assert refused.returncode != 0 and "casefile is not installed on this server" in refused.stderr


def test_a_changed_sla_statement_is_refused(guarded: tuple[CLI, str, Path]) -> None:
    """Issue 21: a statement is issued once; the shared repository refuses a push that changes it."""
    member, _case, remote = guarded
    member.open("Printer offline at ACME", "C", "--customer", "acme-sz", now="2026-11-04T09:00:00+08:00")
    member("report", "sla", "--customer", "acme-sz", "--month", "2026-11", "--statement", now="2026-12-01T10:00:00+08:00")
    member("sync", now="2026-12-01T10:05:00+08:00")
    before = remote_tip(remote)
    path = member.repo / "statements" / "2026" / "ST-acme-sz-2026-11.md"
    path.write_text(path.read_text(encoding="utf-8").replace("      met: ", "      met: 9", 1), encoding="utf-8")
    assert hand_commit(member.repo, "better figures", verify=False).returncode == 0
    refused = push(member.repo, "origin", "main")
    assert refused.returncode != 0
    assert "statements/2026/ST-acme-sz-2026-11.md: an issued SLA statement is never changed" in refused.stderr
    assert remote_tip(remote) == before
