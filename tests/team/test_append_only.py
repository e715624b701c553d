"""The activity log only grows: a real pushed server hook refuses the four rewrites, the pre-commit hook
too, a merge's union passes, and `casefile audit` finds each rewrite in a repository without the hook
(issue 13, acceptance 4)."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from clihelp import CLI, git
from teamhelp import case_file, clone, hand_commit, share


def push(repo: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", "-C", str(repo), "push", "origin", "main"], capture_output=True, text=True)


def _edit_event_text(text: str) -> str:
    return text.replace("text: Checked the driver", "text: Replaced the fuser, customer agreed", 1)


def _forge_mid_log(text: str) -> str:
    forged = ("  - at: 2026-11-03T09:03:00+08:00\n    by: li.na\n    kind: call\n"
              "    text: Called the customer at once\n")
    head, sep, rest = text.partition("  - at: 2026-11-03T10:05:00+08:00")
    assert sep, text
    return head + forged + sep + rest


def _delete_event(text: str) -> str:
    lines = text.splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if "2026-11-03T10:05:00+08:00" in line)
    end = start + 1
    while end < len(lines) and lines[end].startswith("    "):
        end += 1
    return "".join(lines[:start] + lines[end:])


def _move_opened(text: str) -> str:
    return text.replace("opened_at: 2026-11-03T09:00:00+08:00", "opened_at: 2026-11-03T11:00:00+08:00", 1)


REWRITES: dict[str, tuple[Callable[[str], str], str]] = {
    "change an event": (_edit_event_text, "was changed or removed"),
    "insert before the last": (_forge_mid_log, "an event was inserted before it"),
    "delete an event": (_delete_event, "was changed or removed"),
    "move opened_at": (_move_opened, "opened_at changed"),
}


@pytest.fixture
def desk_with_log(cli: CLI) -> str:
    case = cli.open("Printer offline", "C", now="2026-11-03T09:00:00+08:00")
    cli("note", case, "-m", "Checked the driver", now="2026-11-03T10:05:00+08:00")
    cli("note", case, "-m", "Waiting for toner", now="2026-11-03T10:30:00+08:00")
    text = case_file(cli.repo, case).read_text()
    assert "opened_at: 2026-11-03T09:00:00+08:00" in text and "  - at: 2026-11-03T10:05:00+08:00" in text
    return case


@pytest.mark.parametrize("name", list(REWRITES))
def test_the_server_hook_refuses_each_rewrite_and_audit_finds_it(
        name: str, cli: CLI, desk_with_log: str, bare_remote: Path, tmp_path: Path) -> None:
    rewrite, says = REWRITES[name]
    cli("server-hook", "install", str(bare_remote))
    share(cli, bare_remote)
    member = clone(bare_remote, tmp_path / "member", "li.na")
    path = case_file(member.repo, desk_with_log)
    path.write_text(rewrite(path.read_text()))
    assert member("validate").code == 0 or name == "move opened_at"  # each file on its own may look fine
    local = hand_commit(member.repo, f"hand edit: {name}")
    assert local.returncode != 0 and says in local.stderr  # the pre-commit hook refuses it
    assert hand_commit(member.repo, f"hand edit: {name}", verify=False).returncode == 0
    before = git(bare_remote, "rev-parse", "main")
    refused = push(member.repo)
    assert refused.returncode != 0 and says in refused.stderr, refused.stderr
    assert git(bare_remote, "rev-parse", "main") == before
    # Without the hook the rewrite gets in; audit names the commit and the file.
    audited = member("audit", expect=5)
    commit = git(member.repo, "rev-parse", "HEAD").strip()
    rel = path.relative_to(member.repo).as_posix()
    assert f"{commit[:12]} {rel}: " in audited.out and says in audited.out
    report = member("audit", "--json", expect=5).json
    assert [r["commit"] for r in report["rewrites"]] == [commit]
    assert member("audit", "--since", "HEAD").code == 0


def test_casefile_s_own_work_and_a_merged_union_pass(cli: CLI, desk_with_log: str, bare_remote: Path,
                                                      tmp_path: Path) -> None:
    cli("server-hook", "install", str(bare_remote))
    share(cli, bare_remote)
    member = clone(bare_remote, tmp_path / "member", "li.na")
    cli("note", desk_with_log, "-m", "Desk called back", now="2026-11-03T11:00:00+08:00")
    member("note", desk_with_log, "-m", "Toner ordered", now="2026-11-03T11:01:00+08:00")
    cli("sync", now="2026-11-03T11:02:00+08:00")
    member("sync", now="2026-11-03T11:03:00+08:00")  # a merge of two logs, pushed through the hook
    assert git(member.repo, "rev-parse", "HEAD") == git(bare_remote, "rev-parse", "main")
    assert len(git(member.repo, "rev-list", "--merges", "HEAD").split()) >= 1
    assert member("audit").out.startswith("audit: ") and "every activity log only grew" in member("audit").out


def test_audit_of_the_demo_day_finds_nothing(demo_day: tuple[Path, list[str]]) -> None:
    root, _said = demo_day
    out = CLI(root, actor="wang.fang", now="2026-11-19T20:00:00+08:00")("audit", "--json").json
    assert out["rewrites"] == [] and out["commits"] > 20
