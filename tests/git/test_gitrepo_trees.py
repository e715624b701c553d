"""Tree objects written by casefile are the ones git itself would write."""

from __future__ import annotations

import subprocess
from pathlib import Path

from casefile.git.objects import TreeEntry, blob_id
from casefile.git.repo import GitRepo


def test_tree_written_like_mktree_writes_it(tmp_path: Path) -> None:
    repo = GitRepo.init(tmp_path / "repo")
    blob = repo.write_blob(b"x\n")
    sub = repo.write_tree({"inner.md": TreeEntry("100644", blob)})
    # A folder sorts as if its name ended in "/": "a" (folder) comes after "a-b" and "a.md".
    entries = {
        "a": TreeEntry("040000", sub), "a.md": TreeEntry("100644", blob), "a-b": TreeEntry("100644", blob),
        "a0": TreeEntry("100755", blob), "Z": TreeEntry("100644", blob), "案件.md": TreeEntry("100644", blob),
    }
    listing = "".join(f"{e.mode} {e.kind} {e.oid}\t{name}\0" for name, e in entries.items())
    expected = subprocess.run(["git", "-C", str(repo.worktree), "mktree", "-z"], input=listing.encode(),
                              capture_output=True, check=True).stdout.decode().strip()
    assert repo.write_tree(entries) == expected
    assert list(repo.tree_names(expected, "")) == ["Z", "a-b", "a.md", "a", "a0", "案件.md"]


def test_many_blobs_are_written_as_they_are_without_a_process_each(tmp_path: Path) -> None:
    repo = GitRepo.init(tmp_path / "repo")
    # Attributes that would convert line endings if git filtered the content it hashes.
    (repo.worktree / ".gitattributes").write_text("* text eol=crlf\n")
    contents = [f"---\nid: KMT-{n:05d}\n---\nline one\r\nline two\n".encode() for n in range(30)]
    oids = repo.write_blobs(contents, tmp_path / "scratch")
    assert oids == [repo.write_blob(content) for content in contents]
    assert [repo.read_objects([oid])[0] for oid in oids] == [("blob", content) for content in contents]
    assert oids == [blob_id(content) for content in contents]  # unfiltered
    scratch = tmp_path / "scratch"
    assert not scratch.exists() or list(scratch.iterdir()) == []  # no files left behind


def _git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, check=True, text=True).stdout.strip()


def _committed_repo(tmp_path: Path) -> tuple[GitRepo, str, list[str]]:
    """A commit with two full month folders, a symlink, a subfolder, odd names and a top-level file."""
    repo = GitRepo.init(tmp_path / "repo")
    root = repo.worktree
    paths = [f"cases/2024/05/KMT-{n:05d}.md" for n in range(40)] + [f"cases/2024/06/KMT-{n:05d}.md" for n in range(3)]
    paths += ["cases/2024/06/a*b?.md", "cases/2024/06/案件 一.md", "policy.yaml", "cases/2024/06/sub/inner.md"]
    for number, path in enumerate(paths):
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(f"---\nid: {number}\n---\n", encoding="utf-8")
    (root / "cases/2024/06/link.md").symlink_to("KMT-00001.md")
    _git(root, "add", "-A")
    _git(root, "-c", "user.name=T", "-c", "user.email=t@example.invalid", "commit", "-q", "-m", "records")
    asked = [*paths, "cases/2024/06/link.md", "cases/2024/06/sub", "cases/2024/07/KMT-00001.md",
             "policy.yaml/inside.md", "cases/2024/05/KMT-99999.md", "nothing-here.md"]
    return repo, _git(root, "rev-parse", "HEAD"), asked


def test_blobs_found_in_their_folders_trees_are_the_ones_git_finds_by_name(tmp_path: Path) -> None:
    repo, head, asked = _committed_repo(tmp_path)
    by_name = {}
    for path in asked:
        kind = subprocess.run(["git", "-C", str(repo.worktree), "cat-file", "-t", f"{head}:{path}"],
                              capture_output=True, text=True).stdout.strip()
        by_name[path] = _git(repo.worktree, "rev-parse", f"{head}:{path}") if kind == "blob" else None
    assert repo.blobs_at(head, asked) == by_name
    assert by_name["cases/2024/06/link.md"] is not None and by_name["cases/2024/06/sub"] is None


def test_many_paths_read_ahead_give_what_each_gives_by_name(tmp_path: Path) -> None:
    from casefile.records.transaction import Transaction

    repo, head, asked = _committed_repo(tmp_path)
    ahead = Transaction(repo, repo.state_dir, "refs/heads/main", head)
    ahead.read_ahead(asked)
    assert len(asked) > 32  # found through the folders' trees, not by name
    for path in asked:
        one = Transaction(repo, repo.state_dir, "refs/heads/main", head)
        assert ahead.ahead([path]) == [(path, c) for c in [one.repo.read_blob(f"{head}:{path}")] if c is not None]
