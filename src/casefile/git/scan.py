"""What the record index asks git: the files at a commit, the files changed between two commits, the
paths that differ from HEAD in the work tree (one `git status`), and blobs streamed from one `cat-file`.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterable, Iterator

from casefile.git.process import GitFailed, GitProcess
from casefile.i18n import _
from casefile.values import Struct


class WorktreeState(Struct, frozen=True):
    """What `git status` says about one folder: the commit checked out, and the
    paths whose work-tree file differs from that commit (changed, staged,
    deleted, untracked or ignored).  Every other path is as committed."""

    head: str | None  # None on a branch with no commit yet
    changed: tuple[str, ...]


class TreeChange(Struct, frozen=True):
    """One file that differs between two commits; `oid` None when it is gone."""

    path: str
    oid: str | None


REGULAR_FILE_MODES = ("100644", "100755")


class Scan(GitProcess):
    # -- reading for the record index ------------------------------------------

    def files_at(self, rev: str, prefix: str) -> dict[str, str]:
        """path -> blob oid of every regular file under `prefix` at `rev` (no symlinks)."""
        out = self.run("ls-tree", "-r", "-z", "--full-tree", rev, "--", prefix)
        result = {}
        for item in out.split(b"\0"):
            if item[:6] in (b"100644", b"100755"):  # "100644 blob OID\tPATH"
                tab = item.index(b"\t")
                result[item[tab + 1 :].decode("utf-8", "surrogateescape")] = item[12:tab].decode()
        return result

    def changed_files(self, old: str, new: str, prefix: str) -> list[TreeChange] | None:
        """Files under `prefix` that differ between two commits; None if `old` is gone."""
        if not self.run("cat-file", "-t", old, ok=(0, 1, 128)).startswith(b"commit"):
            return None
        out = self.run("diff-tree", "-r", "-z", "--no-renames", "--no-commit-id", old, new, "--", prefix)
        parts = out.split(b"\0")
        changes = []
        for meta, raw_path in zip(parts[0::2], parts[1::2]):
            # ":OLDMODE NEWMODE OLDOID NEWOID STATUS"
            _old_mode, new_mode, _old_oid, new_oid, _status = meta[1:].decode().split(" ")
            regular = new_mode in REGULAR_FILE_MODES
            changes.append(TreeChange(raw_path.decode("utf-8", "surrogateescape"), new_oid if regular else None))
        return changes

    def worktree_state(self, prefix: str | None = None) -> WorktreeState:
        """The checked-out commit and every path (under `prefix`) that differs from it.

        One `git status`: git compares the work tree with its index by stat
        (hashing files whose stat looks racy) and the index with HEAD, and lists
        untracked and ignored files.  `--no-optional-locks` keeps a read from
        taking `.git/index.lock`, so it never gets in the way of a commit.
        """
        out = self.run(
            "--no-optional-locks", "status", "--porcelain=v2", "-z", "--branch", "--no-renames",
            "--untracked-files=all", "--ignored=traditional", *(("--", prefix) if prefix else ()),
        )
        head: str | None = None
        changed = []
        for item in out.split(b"\0"):
            if item.startswith(b"# branch.oid "):
                oid = item[13:].decode()
                head = None if oid == "(initial)" else oid
            elif item[:2] in (b"1 ", b"u ", b"? ", b"! "):
                # "1 XY SUB MH MI MW HH HI PATH", "u XY SUB M1 M2 M3 MW H1 H2 H3 PATH", "? PATH"
                fields = {b"1": 8, b"u": 10}.get(item[:1], 1)
                changed.append(item.split(b" ", fields)[fields].decode("utf-8", "surrogateescape"))
        return WorktreeState(head, tuple(changed))

    def refresh_stats(self) -> None:
        """Bring git's index up to date with the files' stat data (`update-index --refresh`), as a plain
        `git status` does when it may take `.git/index.lock`; a busy lock is left alone."""
        self.run("update-index", "-q", "--refresh", ok=(0, 1, 128))

    def blob_contents(self, oids: Iterable[str], batch: int = 256) -> Iterator[tuple[str, bytes]]:
        """(oid, content) of each blob, streamed from one `git cat-file --batch`.

        Requests go in batches small enough to fit the pipe, and each batch's
        answers are read before the next is sent, so neither side blocks and
        memory stays bounded however many blobs are asked for.
        """
        pending = list(oids)
        if not pending:
            return
        process = subprocess.Popen(
            ["git", "cat-file", "--batch"], cwd=self.worktree, env=self._env,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        )
        assert process.stdin is not None and process.stdout is not None
        try:
            for start in range(0, len(pending), batch):
                chunk = pending[start : start + batch]
                process.stdin.write("".join(f"{oid}\n" for oid in chunk).encode())
                process.stdin.flush()
                for oid in chunk:
                    header = process.stdout.readline().split()
                    if len(header) != 3:
                        raise GitFailed(_("git cat-file: object {oid} is missing").format(oid=oid))
                    content = process.stdout.read(int(header[2]) + 1)[:-1]
                    yield oid, content
        finally:
            process.stdin.close()
            process.stdout.close()
            process.wait()
