"""clone, setup, merge-driver and server-hook as a user (or git) runs them; bad input writes nothing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from clihelp import CLI, commit_count, git, is_clean
from teamhelp import case_file, clone, share

NOW = "2026-11-03T{}:00+08:00"


def test_clone_sets_everything_up(cli: CLI, bare_remote: Path, tmp_path: Path) -> None:
    share(cli, bare_remote)
    target = tmp_path / "mine"
    result = CLI(target, actor="li.na")("clone", str(bare_remote), str(target), "--json").json
    assert result["root"] == str(target.resolve())
    assert git(target, "config", "merge.casefile.driver").strip().endswith("-m casefile merge-driver %O %A %B %P")
    assert (target / ".git" / "hooks" / "pre-commit").is_file()
    assert "*.md merge=casefile" in (target / ".gitattributes").read_text().splitlines()
    assert result["station"] == "no station yet: one is claimed at this clone's first `casefile open`"


def test_a_clone_that_fails_leaves_nothing_behind(cli: CLI, tmp_path: Path) -> None:
    target = tmp_path / "mine"
    gone = CLI(target, actor="li.na")("clone", str(tmp_path / "gone.git"), str(target), expect=7)
    assert gone.err.startswith(f"casefile: could not reach the remote {tmp_path / 'gone.git'}: ")
    assert gone.err.count("\n") == 1 and not target.exists()
    outside = tmp_path / "site.git"
    subprocess.run(["git", "init", "-q", "-b", "main", str(tmp_path / "site")], check=True)
    (tmp_path / "site" / "index.html").write_text("<p>hi</p>\n")
    git(tmp_path / "site", "add", ".")
    git(tmp_path / "site", "-c", "user.name=x", "-c", "user.email=x@y", "commit", "-qm", "site")
    subprocess.run(["git", "clone", "-q", "--bare", str(tmp_path / "site"), str(outside)], check=True)
    not_a_desk = CLI(target, actor="li.na")("clone", str(outside), str(target), expect=3)
    assert not_a_desk.err == (f"casefile: {outside} is not a case repository (it has no policy.yaml) "
                              "(clone a repository made with `casefile init`, or push one there first)\n")
    assert not target.exists()
    target.mkdir()
    (target / "notes.txt").write_text("mine\n")
    busy = CLI(target, actor="li.na")("clone", str(outside), str(target), expect=1)
    assert busy.err.startswith(f"casefile: {target} exists and is not empty")
    assert [p.name for p in target.iterdir()] == ["notes.txt"]


def test_setup_is_safe_to_run_again_and_changes_no_history(cli: CLI) -> None:
    before = commit_count(cli.repo)
    first, second = cli("setup", "--json").json, cli("setup", "--json").json
    assert first == second
    assert first["station"] == "no station yet: one is claimed at this clone's first `casefile open`"
    assert commit_count(cli.repo) == before and is_clean(cli.repo)


def test_setup_in_an_old_desk_sends_records_to_the_driver_without_a_commit(cli: CLI) -> None:
    attributes = cli.repo / ".gitattributes"
    attributes.write_text("*.md text eol=lf\n*.yaml text eol=lf\n")
    git(cli.repo, "-c", "user.name=x", "-c", "user.email=x@y", "commit", "-qam", "an old desk")
    assert "records are sent to it by .git/info/attributes" in cli("setup").out
    assert "*.md merge=casefile" in (cli.repo / ".git" / "info" / "attributes").read_text().splitlines()
    assert git(cli.repo, "check-attr", "merge", "cases/2026/11/KMT-00001.md").strip().endswith("merge: casefile")


def test_the_merge_driver_as_git_runs_it(cli: CLI, tmp_path: Path) -> None:
    case = cli.open("Printer offline", "C", now=NOW.format("09:00"))
    text = case_file(cli.repo, case).read_text()
    base, ours, theirs = tmp_path / "base", tmp_path / "ours", tmp_path / "theirs"
    base.write_text(text)
    ours.write_text(text.replace("Shows E-04.", "Shows E-04.\n\nOurs."))
    theirs.write_text(text.replace("level: C", "level: B"))
    run = [sys.executable, "-m", "casefile", "merge-driver"]
    done = subprocess.run([*run, str(base), str(ours), str(theirs), "cases/x.md"], capture_output=True, text=True)
    assert done.returncode == 0 and done.stderr == ""
    assert ours.read_text() == text.replace("Shows E-04.", "Shows E-04.\n\nOurs.").replace("level: C", "level: B")
    # Not a record: merged as git would, conflicts left with git's markers.
    base.write_text("# Notes\n\none\n")
    ours.write_text("# Notes\n\ntwo\n")
    theirs.write_text("# Notes\n\nthree\n")
    conflict = subprocess.run([*run, str(base), str(ours), str(theirs), "README.md"], capture_output=True, text=True)
    assert conflict.returncode == 1
    assert ours.read_text() == "# Notes\n\n<<<<<<< ours\ntwo\n=======\nthree\n>>>>>>> theirs\n"
    missing = subprocess.run([*run, str(tmp_path / "nope"), str(ours), str(theirs)], capture_output=True, text=True)
    assert missing.returncode == 2 and "does not exist" in missing.stderr and "Traceback" not in missing.stderr


def test_server_hook_install_refuses_a_folder_that_is_not_a_repository(cli: CLI, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    refused = cli("server-hook", "install", str(tmp_path / "empty"), expect=3)
    assert refused.err.startswith(f"casefile: {tmp_path / 'empty'} is not a git repository")
    assert not (tmp_path / "empty" / "hooks").exists()


def test_sync_stops_when_git_will_not_merge_and_says_which_file(cli: CLI, bare_remote: Path, tmp_path: Path) -> None:
    share(cli, bare_remote)
    a, b = clone(bare_remote, tmp_path / "a", "li.na"), clone(bare_remote, tmp_path / "b", "zhao.lei")
    new = b.open("Scanner jams", "D", now=NOW.format("10:00"))
    b("sync", now=NOW.format("10:01"))
    in_the_way = a.repo / case_file(b.repo, new).relative_to(b.repo)
    in_the_way.parent.mkdir(parents=True, exist_ok=True)
    in_the_way.write_text("a draft of mine, not committed\n")
    before = git(a.repo, "rev-parse", "HEAD")
    stopped = a("sync", expect=1, now=NOW.format("10:02"))
    rel = in_the_way.relative_to(a.repo).as_posix()
    assert stopped.err.startswith("casefile: git would not merge origin/main: The following untracked working tree "
                                  f"files would be overwritten by merge: {rel}")
    assert git(a.repo, "rev-parse", "HEAD") == before and in_the_way.read_text() == "a draft of mine, not committed\n"


def test_a_plain_git_pull_in_a_set_up_clone_merges_records_with_the_driver(
    cli: CLI, bare_remote: Path, tmp_path: Path
) -> None:
    case = cli.open("Printer offline", "C", now=NOW.format("09:00"))
    share(cli, bare_remote)
    a, b = clone(bare_remote, tmp_path / "a", "li.na"), clone(bare_remote, tmp_path / "b", "zhao.lei")
    a("change", case, "--category", "hardware/fuser", now=NOW.format("10:30"))
    b("change", case, "--category", "network/print-server", now=NOW.format("10:15"))
    b("note", case, "-m", "From B", now=NOW.format("10:20"))
    b("sync", now=NOW.format("10:40"))
    pulled = subprocess.run(["git", "-C", str(a.repo), "-c", "user.name=Li Na", "-c", "user.email=li.na@x",
                             "pull", "-q", "--no-rebase", "--no-edit", "origin", "main"], capture_output=True, text=True)
    assert pulled.returncode == 0, pulled.stderr
    shown = a("show", case, "--json").json
    assert shown["category"] == "hardware/fuser"
    assert [e["kind"] for e in shown["events"]][-3:] == ["note", "changed", "merged"]
    assert a("validate").out == "" and is_clean(a.repo)
