"""Objects casefile writes itself are byte for byte the ones git would write; `open` and `note` start five gits."""

from __future__ import annotations

import os
import subprocess
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from casefile.git.objects import TreeEntry, commit_content
from casefile.git.process import Identity, identity_env
from casefile.git.repo import GitRepo
from tests.clihelp import CLI, git

SHANGHAI = timezone(timedelta(hours=8))


def _git(repo: GitRepo, *args: str, input: bytes | None = None, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(["git", "-C", str(repo.worktree), *args], input=input, capture_output=True, check=True,
                          env={**os.environ, **(env or {})})
    return done.stdout.decode().strip()


@pytest.mark.parametrize("content", [b"", b"x\n", "打印机 E-04\r\n".encode(), bytes(range(256)) * 40])
def test_a_blob_is_the_one_hash_object_writes(tmp_path: Path, content: bytes) -> None:
    repo = GitRepo.init(tmp_path / "repo")
    oid = repo.write_blob(content)
    assert oid == _git(repo, "hash-object", "--stdin", input=content)
    assert _git(repo, "cat-file", "-t", oid) == "blob"
    assert subprocess.run(["git", "-C", str(repo.worktree), "cat-file", "blob", oid], capture_output=True,
                          check=True).stdout == content
    assert repo.write_blob(content) == oid  # a second write of the same object is harmless
    _git(repo, "fsck", "--strict")


def test_a_blob_is_written_when_a_background_gc_prunes_its_folder_meanwhile(tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """`git gc --auto` runs detached and removes empty object folders (`git prune`): the folder casefile has just
    made can be gone when it creates its temporary file there; git makes it again, and so does casefile."""
    import tempfile

    repo = GitRepo.init(tmp_path / "repo")
    real_mkstemp = tempfile.mkstemp
    pruned: list[str] = []

    def mkstemp_after_a_prune(*args: object, **kwargs: object) -> tuple[int, str]:
        folder = Path(str(kwargs["dir"]))
        if not pruned:
            folder.rmdir()  # what prune_subdir does to a folder with no objects in it
            pruned.append(folder.name)
        return real_mkstemp(*args, **kwargs)

    monkeypatch.setattr(tempfile, "mkstemp", mkstemp_after_a_prune)
    content = "打印机 E-04 已恢复\n".encode()
    oid = repo.write_blob(content)
    assert pruned == [oid[:2]]
    assert oid == _git(repo, "hash-object", "--stdin", input=content)
    _git(repo, "fsck", "--strict")


@pytest.mark.parametrize(("name", "email", "when", "message"), [
    ("Wang Fang", "wang.fang@jinqiao.example", datetime(2026, 12, 1, 10, 0, tzinfo=SHANGHAI), "KMT-00417: note\n"),
    ("王芳", "wang.fang@jinqiao.example", datetime(2026, 10, 1, 2, 10, 59, tzinfo=SHANGHAI), "标题\n\n正文\n"),
    ("check", "casefile@desk", datetime(1999, 12, 31, 23, 59, tzinfo=timezone(timedelta(hours=-3, minutes=-30))), "x"),
])
def test_a_commit_is_the_one_commit_tree_writes(tmp_path: Path, name: str, email: str, when: datetime,
                                               message: str) -> None:
    repo = GitRepo.init(tmp_path / "repo")
    tree = repo.write_tree({"a.md": TreeEntry("100644", repo.write_blob(b"a\n"))})
    first = repo.commit_tree(tree, [], message, Identity(name, email), when)
    second = repo.commit_tree(tree, [first], message, Identity(name, email), when)
    env = identity_env(Identity(name, email), when)
    assert first == _git(repo, "commit-tree", tree, input=message.encode(), env=env)
    assert second == _git(repo, "commit-tree", tree, "-p", first, input=message.encode(), env=env)
    assert commit_content(tree, [first], message, Identity(name, email), when) == subprocess.run(
        ["git", "-C", str(repo.worktree), "cat-file", "commit", second], capture_output=True, check=True).stdout
    _git(repo, "fsck", "--strict")


def test_an_identity_git_would_clean_is_left_to_git(tmp_path: Path) -> None:
    repo = GitRepo.init(tmp_path / "repo")
    tree = repo.write_tree({})
    who, when = Identity(" Wang Fang. ", "<wang@x>"), datetime(2026, 12, 1, 10, tzinfo=SHANGHAI)
    oid = repo.commit_tree(tree, [], "x\n", who, when)
    assert oid == _git(repo, "commit-tree", tree, input=b"x\n", env=identity_env(who, when))


def test_a_shared_repository_gets_its_objects_from_git(tmp_path: Path) -> None:
    repo = GitRepo.init(tmp_path / "repo")
    repo.set_config("core.sharedRepository", "0660")
    oid = repo.write_blob(b"shared\n")
    mode = (repo.common_dir / "objects" / oid[:2] / oid[2:]).stat().st_mode & 0o777
    assert mode == 0o440  # git's object for a 0660 repository, not casefile's 0444


def _gits(trace: Path) -> list[str]:
    return [line.split("built-in: ", 1)[1] for line in trace.read_text().splitlines() if "built-in: " in line]


def test_open_and_note_start_at_most_five_git_processes(cli: CLI, tmp_path: Path) -> None:
    trace = tmp_path / "trace"
    opened = cli.process("open", "Printer offline on 3F", "--level", "C", "--caller-name", "Zhang Wei",
                         "-m", "E-04 since 08:30.", now="2026-11-20T09:00+08:00",
                         extra_env={"GIT_TRACE": str(trace)})
    started = _gits(trace)
    assert len(started) <= 5, started
    trace.unlink()
    cli.process("note", opened.out.strip(), "-m", "Called back.", now="2026-11-20T09:10+08:00",
                extra_env={"GIT_TRACE": str(trace)})
    assert len(_gits(trace)) <= 5, _gits(trace)
    assert git(cli.repo, "status", "--porcelain") == ""
    git(cli.repo, "fsck", "--strict")


def test_loose_objects_are_packed_when_git_would(tmp_path: Path) -> None:
    repo = GitRepo.init(tmp_path / "repo")
    repo.set_config("gc.auto", "256")  # git's test: more than 1 loose object in objects/17
    repo.set_config("gc.autoDetach", "false")
    assert not repo.pack_when_due()
    blobs = [repo.write_blob(b"%d\n" % n) for n in range(2000)]
    in_17 = [oid for oid in blobs if oid.startswith("17")]
    assert len(in_17) > 1
    tree = repo.write_tree({f"{n}.md": TreeEntry("100644", oid) for n, oid in enumerate(blobs)})
    head = repo.commit_tree(tree, [], "x\n", Identity("T", "t@x"), datetime(2026, 12, 1, tzinfo=SHANGHAI))
    repo.update_ref("refs/heads/main", head, None, "test")
    assert repo.pack_when_due()
    assert not (repo.common_dir / "objects" / "17").exists() or not os.listdir(repo.common_dir / "objects" / "17")
    assert _git(repo, "count-objects", "-v").count("in-pack: 0") == 0
