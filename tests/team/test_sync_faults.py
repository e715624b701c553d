"""`casefile sync` when the network, the remote or the merge fails: nothing local is lost (acceptance 5)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from clihelp import CLI, commit_count, git, is_clean
from teamhelp import COMMIT_AS, case_file, clone, hand_commit, share

NOW = "2026-11-03T{}:00+08:00"


@pytest.fixture
def pair(cli: CLI, bare_remote: Path, tmp_path: Path) -> tuple[CLI, CLI, str]:
    case = cli.open("Printer offline", "C", now=NOW.format("09:00"))
    share(cli, bare_remote)
    return clone(bare_remote, tmp_path / "a", "li.na"), clone(bare_remote, tmp_path / "b", "zhao.lei"), case


def _state(repo: Path) -> tuple[str, int]:
    return git(repo, "rev-parse", "HEAD").strip(), commit_count(repo)


def test_an_unreachable_remote_keeps_local_work_and_says_so(pair: tuple[CLI, CLI, str], bare_remote: Path) -> None:
    a, _b, case = pair
    a("note", case, "-m", "Written on the train", now=NOW.format("10:00"))
    before = _state(a.repo)
    git(a.repo, "remote", "set-url", "origin", str(a.repo.parent / "gone.git"))
    failed = a("sync", expect=7, now=NOW.format("10:05"))
    assert failed.err.startswith("casefile: could not fetch from origin: ")
    assert "nothing here is lost: 1 commit(s) not yet on the remote are kept in this clone" in failed.err
    assert "Traceback" not in failed.err and failed.err.count("\n") == 1
    assert _state(a.repo) == before and is_clean(a.repo)
    assert "Written on the train" in a("show", case).out
    git(a.repo, "remote", "set-url", "origin", str(bare_remote))
    a("sync", now=NOW.format("10:30"))
    assert git(bare_remote, "rev-parse", "main").strip() == before[0]


def test_a_push_that_fails_halfway_keeps_the_merge_and_the_next_sync_sends_it(
    pair: tuple[CLI, CLI, str], bare_remote: Path
) -> None:
    a, b, case = pair
    b("note", case, "-m", "B was first", now=NOW.format("10:00"))
    b("sync", now=NOW.format("10:01"))
    a("note", case, "-m", "A comes later", now=NOW.format("10:02"))
    git(a.repo, "remote", "set-url", "--push", "origin", str(a.repo.parent / "gone.git"))  # fetch works, push does not
    failed = a("sync", expect=7, now=NOW.format("10:03"))
    assert failed.err.startswith("casefile: could not push to origin: ")
    assert "2 commit(s) not yet on the remote are kept" in failed.err  # A's note and the merge
    assert is_clean(a.repo)
    texts = [e.get("text") for e in a("show", case, "--json").json["events"]]
    assert "B was first" in texts and "A comes later" in texts
    git(a.repo, "remote", "set-url", "--push", "origin", str(bare_remote))
    assert "received 0 commit(s), sent 2 commit(s)" in a("sync", now=NOW.format("10:10")).out


def test_a_remote_that_refuses_the_push_keeps_local_work_and_says_why(
    pair: tuple[CLI, CLI, str], bare_remote: Path
) -> None:
    a, _b, case = pair
    a("server-hook", "install", str(bare_remote))
    path = case_file(a.repo, case)
    path.write_text(path.read_text().replace("level: C", "level: Z"))
    assert hand_commit(a.repo, "by hand, without the client hook", verify=False).returncode == 0
    before = _state(a.repo)
    refused = a("sync", expect=7, now=NOW.format("10:05"))
    rel = path.relative_to(a.repo).as_posix()
    assert refused.err.startswith("casefile: origin refused the push: casefile: refused refs/heads/main: "
                                  f"{rel}:5: level 'Z' is not one of: A, B, C, D")
    assert "nothing here is lost: 1 commit(s) not yet on the remote are kept" in refused.err
    assert _state(a.repo) == before and is_clean(a.repo)
    assert git(bare_remote, "rev-parse", "main").strip() != before[0]


def test_sync_tries_again_when_someone_pushed_between_its_fetch_and_its_push(
    pair: tuple[CLI, CLI, str], bare_remote: Path
) -> None:
    from casefile.session import Session
    from casefile.team.sync import Sync

    a, b, case = pair
    a("note", case, "-m", "From A", now=NOW.format("10:00"))
    b("note", case, "-m", "From B", now=NOW.format("10:01"))

    class Race(Sync):
        raced = False

        def _integrate(self, report, remote_tip):  # type: ignore[no-untyped-def]
            if not Race.raced:  # B pushes right after A fetched
                Race.raced = True
                b("sync", now=NOW.format("10:02"))
            super()._integrate(report, remote_tip)

    desk = Session.open(a.repo, NOW.format("10:03"), "li.na")
    report = Race(desk).run()
    assert report.attempts == 2 and report.sent == 2
    texts = [e.get("text") for e in a("show", case, "--json").json["events"]]
    assert "From A" in texts and "From B" in texts
    assert git(bare_remote, "rev-parse", "main") == git(a.repo, "rev-parse", "HEAD")


def test_sync_refuses_uncommitted_hand_edits_and_changes_nothing(pair: tuple[CLI, CLI, str]) -> None:
    a, _b, case = pair
    path = case_file(a.repo, case)
    path.write_text(path.read_text().replace("category:", "category: printers"))
    before = _state(a.repo)
    refused = a("sync", expect=1)
    rel = path.relative_to(a.repo).as_posix()
    assert refused.err == f"casefile: {rel} has changes that are not committed (commit them (or discard them " \
                          "with git checkout) first; sync never merges uncommitted edits)\n"
    assert _state(a.repo) == before and "category: printers" in path.read_text()


def test_a_conflict_in_a_file_that_is_not_a_record_stops_the_sync_with_nothing_changed(
    pair: tuple[CLI, CLI, str]
) -> None:
    a, b, _case = pair
    for member, value in ((a, "Asia/Shanghai  # ours"), (b, "Asia/Shanghai  # theirs")):
        policy = member.repo / "policy.yaml"
        policy.write_text(policy.read_text().replace("Asia/Shanghai", value, 1))
        assert hand_commit(member.repo, "edit the policy").returncode == 0
    b("sync")
    before = _state(a.repo)
    stopped = a("sync", expect=1)
    assert stopped.err.startswith("casefile: policy.yaml changed on both sides and casefile cannot settle it")
    assert "git merge origin/main" in stopped.err
    assert _state(a.repo) == before and is_clean(a.repo)
    assert not (a.repo / ".git" / "MERGE_HEAD").exists()


def test_sync_without_a_remote_says_how_to_add_one(cli: CLI) -> None:
    assert cli("sync", expect=1).err == (
        "casefile: this clone has no remote to sync with (add one: git remote add origin URL)\n")


def test_a_plain_git_pull_without_the_driver_is_an_ordinary_conflict_that_is_refused(
    pair: tuple[CLI, CLI, str], bare_remote: Path, tmp_path: Path
) -> None:
    _a, b, case = pair
    plain = tmp_path / "plain"
    subprocess.run(["git", "clone", "-q", str(bare_remote), str(plain)], check=True)
    unconfigured = subprocess.run(["git", "-C", str(plain), "config", "--get", "merge.casefile.driver"])
    assert unconfigured.returncode == 1  # git copies neither config nor hooks with a clone
    member = CLI(plain, actor="ma.qiang")
    member("change", case, "--category", "hardware/printer", now=NOW.format("10:00"))
    b("change", case, "--category", "network/print-server", now=NOW.format("10:05"))
    b("sync", now=NOW.format("10:06"))
    pulled = subprocess.run(["git", "-C", str(plain), *COMMIT_AS, "pull", "-q", "--no-rebase", "origin", "main"],
                            capture_output=True, text=True)
    assert pulled.returncode != 0 and "CONFLICT" in pulled.stdout + pulled.stderr
    rel = case_file(plain, case).relative_to(plain).as_posix()
    invalid = member("validate", expect=5)
    assert invalid.out.startswith(f"{rel}:") and "unresolved merge conflict" in invalid.out
    member("setup")  # installs the pre-commit hook (and the driver, for next time)
    refused = hand_commit(plain, "take it as it is")
    assert refused.returncode != 0 and "unresolved merge conflict" in refused.stderr
    git(plain, "merge", "--abort")
    assert is_clean(plain)


def test_the_ci_recipe_works_from_a_detached_checkout(pair: tuple[CLI, CLI, str], bare_remote: Path, tmp_path: Path) -> None:
    """What examples/ci does: CI checks out a detached commit; the job puts the branch back first."""
    a, _b, case = pair
    a("note", case, "-m", "Meanwhile at the desk", now=NOW.format("10:00"))
    a("sync", now=NOW.format("10:01"))
    job = tmp_path / "ci"
    subprocess.run(["git", "clone", "-q", str(bare_remote), str(job)], check=True)
    git(job, "checkout", "-q", "--detach", "HEAD~1")
    runner = CLI(job, actor=None, now=NOW.format("10:05"))
    assert runner("sync", expect=4).err.startswith("casefile: HEAD is detached")
    git(job, "checkout", "-q", "-B", "main", "origin/main")
    runner("setup")
    assert "received 0 commit(s), sent 0 commit(s)" in runner("sync").out
