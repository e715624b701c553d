"""Keeping the record index in step with git and the work tree, for one folder.

What a folder holds is the commit checked out (HEAD) plus whatever differs
from it in the work tree.  Git answers both cheaply at 100,000 files:

* `git status` (one process, ~0.1 s) names the commit and every path whose
  work-tree file differs from it — edited, staged, deleted, untracked or
  ignored.  Git checks by stat and hashes files whose stat is racy, so an
  edit made a moment ago is seen.
* When HEAD is not the commit the index last saw for the folder (a casefile
  command committed, or `git commit`, `pull`, `checkout`, `reset` ran),
  `git diff-tree` between the two lists the files that changed, in time
  proportional to the change, not to the folder; blobs not parsed yet are
  read with one `git cat-file --batch` and parsed (thousands, as in a fresh
  clone: by worker processes, each reading and storing its share itself).
  With no usable earlier commit, `git ls-tree -r` lists the whole folder.
* Work-tree files that differ from HEAD are read and hashed like git hashes
  them; their blob ids are parsed once too, so a hand edit in progress costs
  one parse, not one per command.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path

from casefile.errors import Busy
from casefile.git.objects import blob_id
from casefile.git.repo import GitRepo
from casefile.index.parse import Item, in_parallel, index_in_workers, parse_all, parse_record
from casefile.index.store import IndexedRecord, RecordIndex
from casefile.render.progress import Bar, Progress
from casefile.i18n import _

NO_COMMIT = ""  # the base of a folder on a branch with no commit yet
RECORD_SUFFIX = ".md"
_BATCH = 2000  # parsed records stored per transaction
_ATTEMPTS = 5


def is_record(path: str) -> bool:
    return path.endswith(RECORD_SUFFIX) and _utf8(path)


def _utf8(path: str) -> bool:
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:  # a file name git gave us that is not UTF-8
        return False
    return True


def read_worktree_file(root: Path, path: str) -> bytes | None:
    """The bytes of a record file in the work tree; None if there is no such regular file."""
    target = root / path
    if target.is_symlink() or not target.is_file():
        return None
    try:
        return target.read_bytes()
    except FileNotFoundError:
        return None


class FolderSync:
    def __init__(self, repo: GitRepo, index: RecordIndex, progress: Progress) -> None:
        self.repo = repo
        self.index = index
        self.progress = progress

    # -- the committed state -------------------------------------------------------

    def catch_up(self, folder: str, head: str | None) -> None:
        """Make the index hold `folder` as it is at commit `head`."""
        for _attempt in range(_ATTEMPTS):
            base = self.index.base(folder)
            if base == (head or NO_COMMIT):
                return
            files, replace = self._files_since(folder, base, head)
            self._parse_committed(folder, files)
            if self.index.move_base(folder, base, head or NO_COMMIT, files, replace):
                return
        raise Busy(_("the record index kept changing under casefile"), _("try again"))

    def _files_since(self, folder: str, base: str | None, head: str | None) -> tuple[dict[str, str | None], bool]:
        """The record files to change from `base` to `head`, and whether they are the whole folder."""
        if head is None:
            return {}, True
        if base:
            changes = self.repo.changed_files(base, head, folder)
            if changes is not None:
                return {c.path: c.oid for c in changes if c.oid is None or is_record(c.path)}, False
            # the old commit is gone (history rewritten and pruned): list the folder
        return {p: oid for p, oid in self.repo.files_at(head, folder).items() if is_record(p)}, True

    def _parse_committed(self, folder: str, files: Mapping[str, str | None]) -> None:
        """Parse the blobs of `files` not parsed yet, in path order (rows then sit in path order)."""
        where: dict[str, str] = {}
        for path in sorted(files):
            oid = files[path]
            if oid is not None:
                where.setdefault(oid, path)
        known = self.index.known(where)
        missing = [oid for oid in where if oid not in known]
        if not missing:
            return
        bar = self.progress(f"indexing {folder}/", len(missing))
        try:
            if in_parallel(len(missing)) and index_in_workers(
                [(oid, where[oid]) for oid in missing], self.repo.blob_contents, self.index, bar.update
            ):
                return  # parsed and stored by the workers
            contents = self.repo.blob_contents(missing)
            self._store(((oid, content, where[oid]) for oid, content in contents), len(missing), bar)
        finally:
            bar.close()

    # -- the work tree -------------------------------------------------------------

    def worktree_changes(self, folder: str, changed: tuple[str, ...]) -> dict[str, str | None]:
        """path -> blob id of each record file that differs from HEAD (None: not there)."""
        overlay: dict[str, str | None] = {}
        unparsed: dict[str, tuple[bytes, str]] = {}
        for path in changed:
            if not is_record(path):
                continue
            content = read_worktree_file(self.repo.worktree, path)
            if content is None:
                overlay[path] = None
                continue
            oid = blob_id(content)
            overlay[path] = oid
            unparsed.setdefault(oid, (content, path))
        missing = set(unparsed) - self.index.known(unparsed)
        items = ((oid, *unparsed[oid]) for oid in unparsed if oid in missing)
        self._parse(folder, items, len(missing))
        return overlay

    # -- parsing -----------------------------------------------------------------------

    def _parse(self, folder: str, items: Iterator[Item], count: int) -> None:
        if not count:
            return
        bar = self.progress(f"indexing {folder}/", count)
        try:
            self._store(items, count, bar)
        finally:
            bar.close()

    def _store(self, items: Iterator[Item], count: int, bar: Bar) -> None:
        """Parse `count` items here (or in a pool, `parse_all`) and store them in batches."""
        batch: dict[str, IndexedRecord] = {}
        done = 0
        for oid, record in parse_all(items, count):
            batch[oid] = record
            done += 1
            if len(batch) >= _BATCH:
                self.index.add(batch)
                batch = {}
            bar.update(done)
        if batch:
            self.index.add(batch)


def reparse_worktree_file(root: Path, path: str) -> IndexedRecord | None:
    """A record's parse straight from its file, for when the index lost it meanwhile."""
    content = read_worktree_file(root, path)
    return None if content is None else parse_record(content, path)
