"""One mutation, one commit — or nothing at all.

A `Transaction` collects the files a command changes, then commits them:

1. blobs, trees and the commit object are written (unreachable, invisible);
2. a journal naming the commit and the paths goes to `.git/casefile/journal.json`;
3. the branch moves with `update-ref NEW OLD` (the commit point; it fails if
   anything else moved the branch meanwhile, and the command is retried);
4. the work-tree files are replaced (written beside, then renamed) and the
   index entries refreshed; the journal is removed.

A crash before step 3 leaves the repository as it was.  A crash after it
leaves the work tree behind the branch; the next casefile command (or the
pre-commit hook) sees the journal, finishes steps 4 and says so.

Writers take an exclusive lock (`.git/casefile/lock`), so two casefile
processes on one clone take turns; the compare-and-swap guards against
everything else (a plain `git commit` in another terminal).
"""

from __future__ import annotations

import fcntl
import os
import shutil
import stat
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TypeVar

from casefile.errors import Busy, CasefileError
from casefile.git.process import Identity
from casefile.git.repo import GitRepo, assert_writable
from casefile.records.file import FENCE, BoundedText, ParsedText, read_plain
from casefile.records.journal import Journal
from casefile.records.yamlio import load_plain
from casefile.render.output import write_atomic
from casefile.i18n import _
from casefile.values import Struct, field

T = TypeVar("T")
LOCK_WAIT_SECONDS = float(os.environ.get("CASEFILE_LOCK_WAIT", "30"))
_ATTEMPTS = 3
_BY_NAME_AT_MOST = 32  # more paths read ahead than this are found in their folders' trees (`blobs_at`)


class BranchMoved(Exception):
    """The branch moved between reading and committing; the command is retried."""


class DirtyRecord(CasefileError):
    pass


def _crash_point(name: str) -> None:
    # Testing aid: CASEFILE_CRASH_AT=after-ref kills the process at that point,
    # the way a power cut would, so tests can prove the repair.
    if os.environ.get("CASEFILE_CRASH_AT") == name:
        os._exit(70)


crash_point = _crash_point  # for the points other modules mark (`check` between its batches)


def _check_bounds(path: str, text: str) -> None:
    """Refuse to commit a record that every reader would refuse (over the limits of `yamlio`): the
    writer says so, with the hint, before anything is committed."""
    if isinstance(text, BoundedText):
        return
    if path.endswith(".md") and text.startswith(FENCE):
        read_plain(text, path)
    elif path.endswith((".yaml", ".yml")):
        load_plain(text, path)


class Transaction(Struct):
    repo: GitRepo
    state_dir: Path
    ref: str
    head: str | None
    writes: dict[str, bytes | None] = field(default_factory=dict)
    stored: dict[str, str] = field(default_factory=dict)  # path -> a blob already written (an LFS pointer)
    on_commit: list[Callable[[], None]] = field(default_factory=list)
    commit_id: str | None = None
    blobs: dict[str, str | None] = field(default_factory=dict)  # after the commit: path -> its blob (None: gone)
    _read_ahead: dict[str, bytes | None] = field(default_factory=dict)
    _parsed: dict[str, ParsedText] = field(default_factory=dict)  # written texts whose parse is known

    def read_ahead(self, paths: Sequence[str]) -> None:
        """Read the committed content of many paths at once (a few git processes at most), for `committed` to use."""
        wanted = list(dict.fromkeys(p for p in paths if p not in self._read_ahead))
        if not self.head or not wanted:
            return
        oids = self.repo.blobs_at(self.head, wanted) if len(wanted) > _BY_NAME_AT_MOST else {}
        for path in [p for p in wanted if p in oids and oids[p] is None]:
            self._read_ahead[path] = None  # not a file in the commit
        named = [p for p in wanted if p not in self._read_ahead]
        found = self.repo.read_objects([oids.get(p) or f"{self.head}:{p}" for p in named])
        for path, item in zip(named, found):
            self._read_ahead[path] = item[1] if item and item[0] == "blob" else None

    def ahead(self, paths: Sequence[str]) -> list[tuple[str, bytes]]:
        """(path, committed content) of those of `paths` read ahead and not used yet."""
        return [(path, found) for path in paths if (found := self._read_ahead.get(path)) is not None]

    def committed(self, path: str) -> bytes | None:
        """The committed content of `path`, refusing if the work tree differs."""
        if path in self._read_ahead:
            committed = self._read_ahead.pop(path)
        else:
            committed = self.repo.read_blob(f"{self.head}:{path}") if self.head else None
        on_disk = self.repo.worktree / path
        try:
            current = on_disk.read_bytes()
        except FileNotFoundError:
            current = None
        if current != committed:
            raise DirtyRecord(
                _("{path} has changes that are not committed").format(path=path),
                _("commit them (git commit {path}) or discard them (git checkout -- {path}) first").format(path=path),
            )
        return committed

    def staged(self, path: str) -> bytes | None:
        """The content `path` will have in this commit: what this transaction wrote, else what is committed
        (refusing a work tree that differs).  A change of several records reads a record another part of it
        changed already (a major incident closes a caller the same command closes) as changed."""
        if path in self.writes:
            return self.writes[path]
        return self.committed(path)

    def write(self, path: str, text: str) -> None:
        _check_bounds(path, text)
        self.write_bytes(path, text.encode("utf-8"))
        if isinstance(text, ParsedText):
            self._parsed[path] = text

    def parsed(self) -> dict[str, tuple[str, ParsedText]]:
        """After the commit: blob id -> (path, text) of the records written whose parse is known."""
        return {blob: (path, text) for path, text in self._parsed.items()
                if (blob := self.blobs.get(path)) is not None}

    def write_bytes(self, path: str, data: bytes) -> None:
        """A file as it is (an attachment kept with its case)."""
        target = self.repo.worktree / path
        if target.exists() and not target.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
            raise CasefileError(_("cannot write {path}: the file is read-only").format(path=path), _("chmod u+w {path}, or ask who locked it").format(path=path))
        folder = target.parent
        while not folder.exists():
            folder = folder.parent
        if not os.access(folder, os.W_OK):
            raise CasefileError(_("cannot write {path}: {folder} is not writable").format(path=path, folder=folder))
        self.writes[path] = data
        self._parsed.pop(path, None)  # written again: `write` says if this text's parse is known

    def write_stored(self, path: str, data: bytes, blob: str) -> None:
        """A file whose blob git already wrote through its filters (`git.lfs.store`): the work tree gets
        `data`, the commit `blob`."""
        self.write_bytes(path, data)
        self.stored[path] = blob

    def delete(self, path: str) -> None:
        self.writes[path] = None

    def commit(self, message: str, author: Identity, when: datetime) -> str:
        written = [(p, d) for p, d in self.writes.items() if d is not None and p not in self.stored]
        oids = self.repo.write_blobs([d for _p, d in written], self.state_dir / "tmp")
        blob_of = {path: oid for (path, _d), oid in zip(written, oids)}
        blob_of.update({p: oid for p, oid in self.stored.items() if self.writes.get(p) is not None})
        blobs = {p: blob_of.get(p) for p in self.writes}
        tree = self.repo.new_tree(self.head, blobs)
        commit = self.repo.commit_tree(tree, [self.head] if self.head else [], message, author, when)
        subject = message.splitlines()[0]
        Journal(self.state_dir).write(commit, self.ref, blobs, subject)
        _crash_point("before-ref")
        if not self.repo.update_ref(self.ref, commit, self.head, f"casefile: {subject}"):
            Journal(self.state_dir).remove()
            raise BranchMoved()
        _crash_point("after-ref")
        _apply_to_worktree(self.repo, self.state_dir, {p: d for p, d in self.writes.items()})
        Journal(self.state_dir).remove()
        self.commit_id, self.blobs = commit, blobs
        self.repo.pack_when_due()
        for callback in self.on_commit:
            callback()
        return commit


def _apply_to_worktree(repo: GitRepo, state_dir: Path, contents: dict[str, bytes | None]) -> None:
    tmp_dir = state_dir / "tmp"
    tmp_dir.mkdir(parents=True, exist_ok=True)
    for path, data in contents.items():
        target = repo.worktree / path
        if data is None:
            target.unlink(missing_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(target, data, scratch=tmp_dir)
    repo.update_index(contents)


def repair(repo: GitRepo, state_dir: Path) -> str | None:
    """Finish a command that was cut off after its commit; say what was done."""
    journal = Journal(state_dir)
    data = journal.read()
    if data is None:
        return None
    note = None
    commit, ref, paths = data.get("commit"), data.get("ref"), data.get("paths")
    if isinstance(commit, str) and isinstance(ref, str) and isinstance(paths, dict):
        if repo.resolve(ref) == commit:
            from casefile.git.lfs import smudged  # a file kept in Git LFS: the work tree gets the file

            contents: dict[str, bytes | None] = {}
            for p, oid in paths.items():
                blob = repo.read_blob(oid) if oid else None
                contents[p] = smudged(repo, p, blob) if blob is not None else None
            _apply_to_worktree(repo, state_dir, contents)
            note = (
                f"finished an interrupted command ({data.get('action')}): "
                f"updated {', '.join(sorted(paths))} to match its commit"
            )
    journal.remove()
    shutil.rmtree(state_dir / "tmp", ignore_errors=True)
    return note


_held = threading.local()


@contextmanager
def write_lock(state_dir: Path) -> Iterator[None]:
    """The clone's write lock; a command that holds it (sync) may commit inside it."""
    with _locked(state_dir, LOCK_WAIT_SECONDS) as held:
        if not held:
            raise Busy(_("another casefile command is changing this repository"), _("try again in a moment"))
        yield


@contextmanager
def try_write_lock(state_dir: Path) -> Iterator[bool]:
    """The clone's write lock if it is free now (True), else nothing (False): for upkeep that can wait."""
    with _locked(state_dir, None) as held:
        yield held


@contextmanager
def _locked(state_dir: Path, wait: float | None) -> Iterator[bool]:
    """Hold the lock (True), waiting up to `wait` seconds for it (None: not at all), else False.
    A process that holds it already holds it again."""
    state_dir.mkdir(parents=True, exist_ok=True)
    key = str(state_dir.resolve())
    held: set[str] = _held.__dict__.setdefault("paths", set())
    if key in held:
        yield True
        return
    with open(state_dir / "lock", "a+") as handle:
        deadline = time.monotonic() + (wait or 0.0)
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if wait is None or time.monotonic() > deadline:
                    yield False
                    return
                time.sleep(0.05)
        held.add(key)
        try:
            yield True
        finally:
            held.discard(key)
            fcntl.flock(handle, fcntl.LOCK_UN)


def run_mutation(
    repo: GitRepo,
    state_dir: Path,
    body: Callable[[Transaction], T],
    notes: Callable[[str], None],
) -> T:
    """Run `body` in a locked transaction; retry if the branch moved under it."""
    with write_lock(state_dir):
        note = repair(repo, state_dir)
        if note:
            notes(note)
        for _attempt in range(_ATTEMPTS):
            ref = assert_writable(repo)
            txn = Transaction(repo, state_dir, ref, repo.resolve(ref))
            try:
                return body(txn)
            except BranchMoved:
                continue
        raise Busy(_("the branch kept moving while casefile was committing"), _("try again"))
