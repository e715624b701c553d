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
