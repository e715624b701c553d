"""Hostile records (issue 13, acceptance 3): deep nesting, oversize text, GBK bytes and huge numbers are
refused where they are written — by the command, the pre-commit hook and the server hook — and a clone
that has one anyway (a commit made with --no-verify) still lists, checks and reports every other case."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from clihelp import CLI, commit_count, git
from teamhelp import COMMIT_AS, case_file, clone, share

NOW = "2026-11-03T{}:00+08:00"


def _nested_flow(depth: int) -> Callable[[str], str]:
    return lambda text: text.replace("\ncategory:", f"\nextra: {'[' * depth}{']' * depth}\ncategory:", 1)


def _nested_block(depth: int) -> Callable[[str], str]:
    lines = "".join(f"\n{'  ' * n}- " for n in range(depth))
    return lambda text: text.replace("\ncategory:", f"\nextra:{lines}x\ncategory:", 1)


HOSTILE: dict[str, tuple[Callable[[str], str], str]] = {
    "1000-deep list": (_nested_flow(1000), "nested more than 16 levels deep"),
    "50,000-deep list": (_nested_flow(50_000), "nested more than 16 levels deep"),
    "40-deep block list": (_nested_block(40), "nested more than 16 levels deep"),
    "400 KB pasted log": (lambda t: t.replace("\nevents:", f"\nlog: {'E' * 400_000}\nevents:", 1),
                          "log is 400,000 characters long, more than 65,536"),
    "5000-digit integer": (lambda t: t.replace("\ncategory:", f"\nasset_count: {'9' * 5000}\ncategory:", 1),
                           "a number of"),
    "19-digit integer": (lambda t: t.replace("\ncategory:", "\nasset_count: 1234567890123456789\ncategory:", 1),
                         "asset_count is a number of more than 18 digits"),
}


@pytest.fixture
def guarded(cli: CLI, bare_remote: Path, tmp_path: Path) -> tuple[CLI, str, str, Path]:
    """A shared desk with the server hook, two open cases, and a clone (with its pre-commit hook)."""
    cli("server-hook", "install", str(bare_remote))
    good = cli.open("Printer on 3F prints nothing", "C", now=NOW.format("09:00"))
    bad = cli.open("Core switch down at Futian", "A", now=NOW.format("09:05"))
    share(cli, bare_remote)
    return clone(bare_remote, tmp_path / "member", "li.na"), good, bad, bare_remote


def _commit(repo: Path, verify: bool) -> subprocess.CompletedProcess[str]:
    git(repo, "add", "-A")
    args = ["git", "-C", str(repo), *COMMIT_AS, "commit", "-q", "-m", "hand edit"]
    return subprocess.run([*args, *([] if verify else ["--no-verify"])], capture_output=True, text=True)


def _no_traceback(*outputs: str) -> None:
    for out in outputs:
        assert "Traceback" not in out and "RecursionError" not in out


def _readers_survive(member: CLI, good: str, bad_rel: str, problem: str) -> None:
    listed = member("list", "--all", "--json", now=NOW.format("12:00"))
    assert [row["id"] for row in listed.json] == [good]
    assert f"skipped {bad_rel}" in listed.err and problem in listed.err
    checked = member("check", "--json", now=NOW.format("12:00"), expect=5)  # 5: a record could not be checked
    _no_traceback(checked.err)
    assert bad_rel in checked.err
    assert any(fired["record"] == good for fired in checked.json["fired"])  # the other case's clock still runs
    validated = member("validate", expect=5)
    assert problem in validated.out and validated.out.count("\n") == 1
    for args in (("search", "printer"), ("report", "stats", "--month", "2026-11"), ("show", good)):
        result = member(*args, now=NOW.format("12:00"))
        _no_traceback(result.err)
    shown = member("show", bad_rel.rsplit("/", 1)[-1].removesuffix(".md"), expect=None)
    assert shown.code == 5 and len(shown.err.splitlines()) == 1 and bad_rel in shown.err


@pytest.mark.parametrize("name", list(HOSTILE))
def test_a_hostile_hand_edit_is_refused_by_both_hooks_and_read_around(
    guarded: tuple[CLI, str, str, Path], name: str
) -> None:
    member, good, bad, remote = guarded
    edit, problem = HOSTILE[name]
    path = case_file(member.repo, bad)
    rel = path.relative_to(member.repo).as_posix()
    path.write_text(edit(path.read_text()))
    before = commit_count(member.repo)

    refused = _commit(member.repo, verify=True)  # the pre-commit hook
    assert refused.returncode != 0 and f"{rel}:" in refused.stderr + refused.stdout
    assert problem in refused.stderr + refused.stdout
    _no_traceback(refused.stderr)
    assert commit_count(member.repo) == before

    assert _commit(member.repo, verify=False).returncode == 0
    pushed = subprocess.run(["git", "-C", str(member.repo), "push", "origin", "main"], capture_output=True, text=True)
    assert pushed.returncode != 0 and f"casefile: refused refs/heads/main: {rel}:" in pushed.stderr
    assert problem in pushed.stderr
    assert git(remote, "rev-parse", "main") != git(member.repo, "rev-parse", "HEAD")

    _readers_survive(member, good, rel, problem)


def test_gbk_bytes_are_refused_by_both_hooks_with_the_file_and_a_hint(guarded: tuple[CLI, str, str, Path]) -> None:
    member, good, bad, remote = guarded
    path = case_file(member.repo, bad)
    rel = path.relative_to(member.repo).as_posix()
    path.write_bytes(path.read_text().replace("Core switch down at Futian", "福田站核心交换机宕机").encode("gbk"))

    refused = _commit(member.repo, verify=True)
    said = refused.stderr + refused.stdout
    assert refused.returncode != 0 and f"{rel}:3: the file is not UTF-8 text (re-save it as UTF-8" in said
    assert _commit(member.repo, verify=False).returncode == 0
    pushed = subprocess.run(["git", "-C", str(member.repo), "push", "origin", "main"], capture_output=True, text=True)
    assert pushed.returncode != 0 and f"{rel}:3: the file is not UTF-8 text (re-save it as UTF-8" in pushed.stderr

    _readers_survive(member, good, rel, "not UTF-8")


def test_a_note_over_the_limit_is_refused_with_a_hint_and_nothing_is_committed(cli: CLI) -> None:
    case = cli.open("ERP month-end close extremely slow", "B", now=NOW.format("09:00"))
    before = commit_count(cli.repo)
    log = "2026-11-03 10:00:01 WARN slow query\n" * 11_000  # ~400 KB pasted from the ERP log
    for attempt in range(3):
        refused = cli("note", case, "-m", "-", input=log, now=NOW.format(f"10:0{attempt}"), expect=5)
        assert len(refused.err.splitlines()) == 1 and "characters long, more than 65,536" in refused.err
        assert "paste the lines that matter" in refused.err
    assert commit_count(cli.repo) == before and git(cli.repo, "status", "--porcelain") == ""
    cli("note", case, "-m", "slow query on GL_BALANCES, see the DBA's share", now=NOW.format("10:05"))
    assert cli("show", case, "--json").json["events"][-1]["text"].startswith("slow query")
    assert case in cli("list", "--json", now=NOW.format("10:10")).out


def test_many_long_notes_stop_at_the_front_matter_limit_before_committing(cli: CLI) -> None:
    case = cli.open("ERP month-end close extremely slow", "B", now=NOW.format("09:00"))
    chunk = "x" * 60_000
    for n in range(17):  # 17 x 60,000 characters fit in 1 MiB
        cli("note", case, "-m", chunk, now=NOW.format(f"10:{n:02d}"))
    before = commit_count(cli.repo)
    refused = cli("note", case, "-m", chunk, now=NOW.format("10:30"), expect=5)
    assert "front matter is larger than 1048576 bytes" in refused.err and len(refused.err.splitlines()) == 1
    assert commit_count(cli.repo) == before
    assert len(cli("show", case, "--json").json["events"]) == 18
