"""`casefile init`: make or adopt a case repository; safe to run again; the hook works."""

from __future__ import annotations

import subprocess
from pathlib import Path

from clihelp import CLI, commit_count, git, is_clean


def test_init_makes_a_case_repository_in_one_commit(tmp_path: Path) -> None:
    desk = tmp_path / "desk"
    cli = CLI(desk, actor=None, now="2026-11-02T08:00:00+08:00")
    result = cli("init", str(desk), "--as", "wang.fang", "--json").json
    assert result["created_repository"] is True
    assert result["added"] == ["policy.yaml", "people.yaml", ".gitattributes"]
    assert commit_count(desk) == 1 and is_clean(desk)
    message = git(desk, "log", "-1", "--format=%an <%ae>|%ad|%B", "--date=iso-strict")
    assert message.startswith("wang.fang <wang.fang@casefile.invalid>|2026-11-02T08:00:00+08:00|Set up case repository")
    assert "Casefile-Action: init" in message
    hook = (desk / ".git" / "hooks" / "pre-commit").read_text()
    assert "casefile validate --staged" in hook
    people = (desk / "people.yaml").read_text()
    assert "wang.fang:" in people and "general-manager" in people
    assert cli("validate").code == 0


def test_running_init_again_changes_nothing(tmp_path: Path) -> None:
    desk = tmp_path / "desk"
    cli = CLI(desk, actor="wang.fang", now="2026-11-02T08:00:00+08:00")
    cli("init", str(desk))
    (desk / "policy.yaml").write_text((desk / "policy.yaml").read_text() + "# local note\n")
    git(desk, "-c", "user.name=x", "-c", "user.email=x@y", "commit", "-qam", "note")
    again = cli("init", str(desk))
    assert "nothing to change" in again.out
    assert commit_count(desk) == 2 and is_clean(desk)
    assert (desk / "policy.yaml").read_text().endswith("# local note\n")


def test_init_adopts_an_existing_repository_and_its_history(tmp_path: Path) -> None:
    desk = tmp_path / "existing"
    subprocess.run(["git", "init", "-q", "-b", "main", str(desk)], check=True)
    (desk / "README.md").write_text("Our desk\n")
    (desk / ".gitattributes").write_text("*.png binary\n")
    git(desk, "add", ".")
    git(desk, "-c", "user.name=x", "-c", "user.email=x@y", "commit", "-qm", "start")
    git(desk, "config", "user.name", "Chen Jie")
    git(desk, "config", "user.email", "chen.jie@jinqiao-it.example")
    result = CLI(desk, actor=None)("init", str(desk), "--json").json
    assert result["created_repository"] is False
    assert commit_count(desk) == 2 and is_clean(desk)
    assert (desk / ".gitattributes").read_text().startswith("*.png binary\n# casefile")
    assert "chen.jie:" in (desk / "people.yaml").read_text()


def test_init_inside_another_repository_is_refused(tmp_path: Path) -> None:
    outer = tmp_path / "outer"
    subprocess.run(["git", "init", "-q", str(outer)], check=True)
    result = CLI(outer, actor="x")("init", str(outer / "sub"), expect=1)
    assert "is inside the git repository" in result.err


def test_init_without_anyone_to_act_says_how_to_fix_it(tmp_path: Path) -> None:
    result = CLI(tmp_path, actor=None)("init", str(tmp_path / "desk"), expect=1)
    assert "pass --as HANDLE" in result.err


def test_the_pre_commit_hook_refuses_invalid_and_deleted_records(cli: CLI) -> None:
    case = cli.open()
    path = next((cli.repo / "cases").rglob(f"{case}.md"))
    path.write_text(path.read_text().replace("level: C", "level: Z"))
    commit = ["git", "-C", str(cli.repo), "-c", "user.name=x", "-c", "user.email=x@y", "commit", "-qam", "edit"]
    refused = subprocess.run(commit, capture_output=True, text=True)
    assert refused.returncode != 0
    assert f"{path.relative_to(cli.repo).as_posix()}:5: level 'Z' is not one of: A, B, C, D" in refused.stderr
    git(cli.repo, "checkout", "--", ".")
    git(cli.repo, "rm", "-q", path.relative_to(cli.repo).as_posix())
    deleted = subprocess.run(commit, capture_output=True, text=True)
    assert deleted.returncode != 0 and "cases are never deleted" in deleted.stderr
    git(cli.repo, "reset", "-q", "--hard")
    path.write_text(path.read_text().replace("category:", "category: printers"))
    fine = subprocess.run(commit, capture_output=True, text=True)
    assert fine.returncode == 0, fine.stderr
