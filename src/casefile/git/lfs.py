"""Git LFS for the files kept with cases, when the repository says so in `.gitattributes`.

A repository that wants attachments in LFS has (e.g. after `git lfs track "attachments/**"`)

    attachments/** filter=lfs diff=lfs merge=lfs -text

casefile writes its commits from blobs (it never runs `git add`), so for such a path it asks git
itself to clean the content (`git hash-object -w --path P --stdin`, filters on): git-lfs stores the
file in `.git/lfs/objects/` and the commit holds its pointer, exactly as `git add` would have done.
The work-tree file is the content; `git push` uploads the object through git-lfs's pre-push hook.

When `.gitattributes` asks for LFS but git-lfs is not installed (or not set up in this clone: no
`filter.lfs` configuration), nothing is written: the commit would hold the whole file where the team
expects a pointer, or a pointer nobody can fetch.
"""

from __future__ import annotations

from casefile.errors import CasefileError
from casefile.git.process import GitFailed, GitProcess
from casefile.i18n import _

POINTER_START = b"version https://git-lfs.github.com/spec/v1\n"


class LfsMissing(CasefileError):
    pass


def wants_lfs(repo: GitProcess, path: str) -> bool:
    """Whether `.gitattributes` puts `path` in LFS (`filter=lfs`)."""
    out = repo.run("check-attr", "-z", "filter", "--", path).split(b"\0")
    return len(out) >= 3 and out[2] == b"lfs"


def lfs_ready(repo: GitProcess) -> bool:
    """git-lfs is installed and this clone has its filter configured."""
    try:
        repo.run("lfs", "version")
    except (GitFailed, OSError):
        return False
    configured = repo.run("config", "--get-regexp", r"^filter\.lfs\.(clean|process)$", ok=(0, 1))
    return bool(configured.strip())


def require_lfs(repo: GitProcess, path: str) -> None:
    if not lfs_ready(repo):
        raise LfsMissing(
            _("this repository keeps {path} in Git LFS (.gitattributes), but git-lfs is not set up in this clone").format(path=path),
            _("install git-lfs, run `git lfs install` here, then attach again"),
        )


def store(repo: GitProcess, path: str, data: bytes) -> str:
    """Clean `data` as `path` through git's filters (git-lfs keeps the object); the pointer blob's id."""
    oid = repo.run("hash-object", "-w", "--path", path, "--stdin", input=data).decode().strip()
    pointer = repo.run("cat-file", "blob", oid)
    if not pointer.startswith(POINTER_START):
        raise LfsMissing(_("git did not store {path} in Git LFS").format(path=path), _("check `git lfs env` and `git lfs install`, then attach again"))
    return oid


def is_pointer(blob: bytes) -> bool:
    return blob.startswith(POINTER_START) and len(blob) < 1024


def pointer_size(blob: bytes) -> int | None:
    """The size of the file an LFS pointer stands for (None: not a pointer)."""
    if not is_pointer(blob):
        return None
    for line in blob.decode("ascii", "replace").splitlines():
        if line.startswith("size "):
            try:
                return int(line[5:])
            except ValueError:
                return None
    return None


def stored_sizes(repo: GitProcess, specs: list[str]) -> list[int | None]:
    """The size of the file each `rev:path` (or `:path`, the index) stands for: a blob's own size, or for an
    LFS pointer the size it names; None where there is no blob."""
    if not specs:
        return []
    out = repo.run("cat-file", "--batch-check=%(objecttype) %(objectsize)",
                   input="".join(f"{spec}\n" for spec in specs).encode("utf-8")).decode("utf-8", "replace")
    sizes: list[int | None] = []
    for spec, line in zip(specs, out.splitlines()):
        kind, _sep, size = line.rpartition(" ")
        if not kind.endswith("blob") or not size.isdigit():
            sizes.append(None)
            continue
        count = int(size)
        if count < 1024:
            named = pointer_size(repo.run("cat-file", "blob", spec))
            count = named if named is not None else count
        sizes.append(count)
    return sizes


def smudged(repo: GitProcess, path: str, blob: bytes) -> bytes:
    """The file an LFS pointer stands for, through git's filters (what a checkout of `path` writes); other
    content as it is."""
    if not is_pointer(blob):
        return blob
    try:
        oid = repo.run("hash-object", "--no-filters", "--stdin", input=blob).decode().strip()
        return repo.run("cat-file", "--filters", f"--path={path}", oid)
    except GitFailed:
        return blob  # no git-lfs here: the pointer, as a checkout would write it
