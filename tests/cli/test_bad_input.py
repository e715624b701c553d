"""Bad input and faults (issue 2): a one-line error, a non-zero exit, nothing written, no commit."""

from __future__ import annotations

import fcntl
import hashlib
import resource
import subprocess
import time
from pathlib import Path

import pytest

from clihelp import CLI, Result, git


def snapshot(repo: Path) -> tuple[str, str, str]:
    """HEAD, `git status` and a hash of every file in the work tree."""
    digest = hashlib.sha256()
    for path in sorted(p for p in repo.rglob("*") if p.is_file() and ".git" not in p.relative_to(repo).parts):
        digest.update(str(path.relative_to(repo)).encode() + b"\0" + path.read_bytes())
    return git(repo, "rev-parse", "HEAD"), git(repo, "status", "--porcelain"), digest.hexdigest()


def refused(cli: CLI, *args: str, code: int, says: str, process: bool = False, **kw: object) -> Result:
    before = snapshot(cli.repo)
    run = cli.process if process else cli
    result = run(*args, expect=None, **kw)  # type: ignore[arg-type]
    assert result.code == code, str(result)
    assert result.out == ""
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("casefile: "), str(result)
    assert says in lines[0], str(result)
    assert "Traceback" not in result.err
    assert snapshot(cli.repo) == before
    return result


@pytest.fixture
def case(cli: CLI) -> str:
    return cli.open("Printer offline on 3F", "C")


def _case_file(cli: CLI, case: str) -> Path:
    return next((cli.repo / "cases").rglob(f"{case}.md"))


def test_not_a_case_repository(cli: CLI, tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()
    elsewhere = CLI(plain, now=cli.now)
    result = elsewhere("list", expect=3)
    assert "not a case repository" in result.err and "casefile init" in result.err
    subprocess.run(["git", "init", "-q", str(plain)], check=True)
    assert "has no policy.yaml" in elsewhere("list", expect=3).err


def test_unknown_case_number(cli: CLI, case: str) -> None:
    refused(cli, "show", "KMT-09999", code=3, says="no case KMT-09999")
    refused(cli, "note", "KMT-09999", "-m", "x", code=3, says="no case KMT-09999")


@pytest.mark.parametrize("args, says", [
    (("open", "Printer", "--level", "E", "-m", "x"), "level 'E' is not a level of this desk"),
    (("open", "Printer", "--level", "C", "--type", "outage", "-m", "x"), "type 'outage' is not one of"),
    (("open", "Printer", "--level", "C", "--channel", "telegram", "-m", "x"), "channel 'telegram' is not one of"),
    (("open", "   ", "--level", "C", "-m", "x"), "the title is empty"),
    (("open", "Printer", "--level", "C", "--assign", "nobody", "-m", "x"), "no person 'nobody'"),
])
def test_invalid_values_when_opening(cli: CLI, args: tuple[str, ...], says: str) -> None:
    refused(cli, *args, code=1 if "nobody" not in says else 3, says=says)


def test_invalid_status_transitions(cli: CLI, case: str) -> None:
    refused(cli, "resume", case, code=1, says="is open, not pending")
    refused(cli, "reopen", case, "--reason", "x", code=1, says="only resolved or closed cases can be reopened")
    refused(cli, "close", case, "--confirmed-by", "Zhang Wei", code=1, says="is open, not resolved")
    cli("resolve", case, "-m", "Fixed.")
    refused(cli, "close", case, code=1, says="closing needs the customer's confirmation")
    cli("close", case, "--confirmed-by", "Zhang Wei")
    refused(cli, "respond", case, "-m", "late", code=1, says="is closed; cannot respond")
    refused(cli, "resolve", case, "-m", "again", code=1, says="only open or pending cases can be resolved")
    refused(cli, "assign", case, "li.na", code=1, says="is closed")
    refused(cli, "note", case, "-m", "x", code=1, says="is closed")


def test_rules_on_activities(cli: CLI, case: str) -> None:
    refused(cli, "note", case, "-k", "remote", "-m", "Fixed it remotely", code=1, says="--authorised-by NAME")
    refused(cli, "pend", case, "--reason", " ", code=1, says="the reason is empty")
    cli("respond", case, "-m", "On it.")
    refused(cli, "respond", case, "-m", "again", code=1, says="already had its first response")
    refused(cli, "note", case, "-k", "onsite", "--dispatched-at", "10:00", "--arrived-at", "09:00", "-m", "x",
            code=1, says="cannot arrive before being dispatched", now="2026-11-02T11:00:00+08:00")


def test_now_must_be_iso_8601(cli: CLI, case: str) -> None:
    refused(cli, "list", code=1, says="--now 'next tuesday' is not an ISO 8601 time", now="next tuesday")
    refused(cli, "note", case, "-m", "x", code=1, says="is not an ISO 8601 time", now="2026-13-45")


@pytest.mark.parametrize("number", ["../../etc/passwd", "cases/2026/11/x.md", "KMT-00001;rm -rf /"])
def test_a_case_number_that_is_really_a_path(cli: CLI, case: str, number: str) -> None:
    refused(cli, "show", number, code=1, says="is not a case number")
    refused(cli, "note", number, "-m", "x", code=1, says="is not a case number")


def test_malformed_front_matter_is_named_with_file_and_line(cli: CLI, case: str) -> None:
    path = _case_file(cli, case)
    lines = path.read_text().splitlines(keepends=True)
    lines[4] = "level: [C\n"  # line 5 of the file
    path.write_text("".join(lines))
    rel = path.relative_to(cli.repo).as_posix()
    result = refused(cli, "show", case, code=5, says=f"{rel}:")
    assert "malformed YAML" in result.err
    assert f"{rel}:5:" in result.err or f"{rel}:6:" in result.err
    refused(cli, "note", case, "-m", "x", code=1, says="has changes that are not committed")
    # committed by hand, bypassing the hook: reads and writes name the file and line
    git(cli.repo, "-c", "user.name=x", "-c", "user.email=x@y", "commit", "-q", "--no-verify", "-am", "broken")
    refused(cli, "note", case, "-m", "x", code=5, says=f"{rel}:")


def test_yaml_tags_that_build_objects_are_refused(cli: CLI, case: str) -> None:
    path = _case_file(cli, case)
    text = path.read_text().replace("category:", "category: !!python/object/apply:os.system ['touch /tmp/owned']\nx:", 1)
    path.write_text(text)
    refused(cli, "show", case, code=5, says="YAML tag")
    assert not Path("/tmp/owned").exists()


def test_an_alias_bomb_is_refused_quickly_with_bounded_memory(cli: CLI, case: str) -> None:
    path = _case_file(cli, case)
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(9)
    )
    path.write_text(path.read_text().replace("category:", bomb + "category:", 1))
    started = time.monotonic()
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    result = refused(cli, "show", case, code=5, says="anchors and aliases are not allowed", process=True)
    assert time.monotonic() - started < 5
    assert resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss <= max(before, 200_000)  # KiB (equal: an earlier child, e.g. Chromium, set the max)
    assert result.err.count("\n") == 1


def test_a_read_only_record_is_not_written(cli: CLI, case: str) -> None:
    path = _case_file(cli, case)
    path.chmod(0o444)
    try:
        refused(cli, "note", case, "-m", "x", code=1, says="is read-only")
    finally:
        path.chmod(0o644)


def test_a_second_writer_waits_then_gives_up_with_a_clear_message(cli: CLI, case: str) -> None:
    lock = cli.repo / ".git" / "casefile" / "lock"
    with open(lock, "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        refused(cli, "note", case, "-m", "x", code=4, says="another casefile command is changing this repository",
                process=True, extra_env={"CASEFILE_LOCK_WAIT": "0.5"})


def test_git_busy_and_detached_head_are_refused(cli: CLI, case: str) -> None:
    (cli.repo / ".git" / "index.lock").write_text("")
    refused(cli, "note", case, "-m", "x", code=4, says="index.lock")
    (cli.repo / ".git" / "index.lock").unlink()
    git(cli.repo, "checkout", "-q", "--detach", "HEAD~1")
    refused(cli, "open", "Printer", "--level", "C", "-m", "x", code=4, says="HEAD is detached")


@pytest.mark.parametrize("point", ["before-ref", "after-ref"])
def test_a_crash_while_committing_leaves_the_repository_as_it_was_or_is_repaired(
    cli: CLI, case: str, point: str
) -> None:
    head = git(cli.repo, "rev-parse", "HEAD")
    crashed = cli.process("note", case, "-m", "Called back.", expect=70, extra_env={"CASEFILE_CRASH_AT": point})
    assert crashed.out == ""
    if point == "before-ref":
        assert git(cli.repo, "rev-parse", "HEAD") == head
        assert git(cli.repo, "status", "--porcelain") == ""
    else:
        assert git(cli.repo, "rev-parse", "HEAD") != head  # the commit landed, the work tree is behind
        assert git(cli.repo, "status", "--porcelain") != ""
        hook = subprocess.run(["git", "-C", str(cli.repo), "-c", "user.name=x", "-c", "user.email=x@y", "commit", "-qam", "x"],
                              capture_output=True, text=True)
        assert hook.returncode != 0 and "interrupted" in hook.stderr
    listed = cli("list")
    if point == "after-ref":
        assert "finished an interrupted command" in listed.err
    assert git(cli.repo, "status", "--porcelain") == ""
    shown = cli("show", case, "--json").json
    assert [e["kind"] for e in shown["events"]][-1] == ("note" if point == "after-ref" else "opened")
