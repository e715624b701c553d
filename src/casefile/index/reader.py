"""Reading a whole folder of records through the record index.

`Catalog.records` and `Catalog.rows` come here: the index is brought up to
date with HEAD and the work tree (`recordsync`), then read inside one read
transaction (`RecordIndex.pinned`), merged in path order with the work
tree's differences.  A damaged index is deleted and rebuilt, and the read
carries on after the last path it handed out, so nothing is repeated or lost.
"""

from __future__ import annotations

import heapq
import json
import time
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from casefile.errors import Busy
from casefile.git.objects import blob_id
from casefile.git.repo import GitRepo
from casefile.git.scan import WorktreeState
from casefile.index.parse import restore, restore_error, stored
from casefile.index.store import (
    ALWAYS,
    BROKEN,
    IndexCorrupt,
    IndexedPath,
    IndexedRecord,
    RecordIndex,
    Window,
    moment_key,
    remove_index,
)
from casefile.index.sync import NO_COMMIT, FolderSync, reparse_worktree_file
from casefile.records.file import ParsedText
from casefile.records.transaction import try_write_lock
from casefile.records.yamlio import RecordError
from casefile.values import from_json
from casefile.render.progress import Progress
from casefile.i18n import _

T = TypeVar("T")
INDEX_FILE = "casefile/index.sqlite"  # under the git directory of the work tree
_ATTEMPTS = 5

Record = tuple[str, dict[str, Any], str]  # path, front matter, body
Make = Callable[[dict[str, Any], str], dict[str, Any]]
# A timed view's maker: the row at the view's moment, and until when it holds (None: for ever).
MakeTimed = Callable[[dict[str, Any], str], tuple[dict[str, Any], datetime | None]]
# Which rows of a view: its name, the moment (timed views), the row meaning "nothing here", and
# words every kept row must contain (a pre-filter in SQLite: rows that pass are checked again).
ViewQuery = tuple[str, str | None, str | None, tuple[str, ...]]


def index_path(repo: GitRepo) -> Path:
    """Where the record index of this work tree lives (never committed; safe to delete)."""
    return repo.git_dir / INDEX_FILE


class _Position:
    """The last path handed out, so a read that must start again does not repeat itself."""

    after: str | None = None


STALE_STATUS_SECONDS = 1.0  # a whole-tree `git status` takes 0.16 s at 100,000 files when git's index is fresh


class Snapshot:
    """What differs between the work tree and HEAD, found once for every folder a command reads.

    One whole-tree `git status` (0.16 s at 100,000 files) instead of one per
    folder: `check` reads cases, customers, inspections, surveys and reports.
    It holds for one command's reads; `forget` it after a commit.
    """

    def __init__(self, repo: GitRepo) -> None:
        self.repo = repo
        self._state: WorktreeState | None = None

    def state(self, folder: str) -> WorktreeState:
        if self._state is None:
            started = time.monotonic()
            self._state = self.repo.worktree_state()
            if time.monotonic() - started > STALE_STATUS_SECONDS:
                self._refresh()
        prefix = f"{folder}/"
        return WorktreeState(self._state.head, tuple(p for p in self._state.changed if p.startswith(prefix)))

    def forget(self) -> None:
        self._state = None

    def _refresh(self) -> None:
        """A slow `git status` is one that hashed files because git's index has stale stat data (a copied or
        restored checkout, files touched): a read never writes the index (`--no-optional-locks`), so every
        command would pay it again, 14 s at 100,000 files.  Refresh it once, while no casefile command is
        writing (git's own `index.lock` guards against the rest)."""
        with try_write_lock(index_path(self.repo).parent) as free:
            if free:
                self.repo.refresh_stats()


class FolderReader:
    def __init__(self, root: Path, progress: Progress, snapshot: Snapshot | None = None) -> None:
        self.root = root
        self.repo = GitRepo(root)
        self.progress = progress
        self.snapshot = snapshot or Snapshot(self.repo)

    def _on_index(self, use: Callable[[RecordIndex], T], otherwise: T) -> T:
        """`use` the index, or `otherwise` if it is damaged: it is a cache, the next read rebuilds it."""
        try:
            index = RecordIndex.open(index_path(self.repo))
            try:
                return use(index)
            finally:
                index.close()
        except IndexCorrupt:
            return otherwise

    def learn(self, parsed: Mapping[str, tuple[str, ParsedText]]) -> None:
        """Store records whose parse is known (blob id -> (path, text))."""

        def add(index: RecordIndex) -> None:
            missing = set(parsed) - index.known(parsed)
            index.add({blob: stored(text, text.front, text.body, path, text.screened)
                       for blob, (path, text) in parsed.items() if blob in missing})

        self._on_index(add, None)

    def known_texts(self, contents: Iterable[tuple[str, bytes]]) -> dict[str, ParsedText]:
        """path -> its text with the parse the index keeps for that content, for the (path, content) pairs
        whose content parsed (a record that did not, or is not kept, is left out)."""
        wanted = [(path, content, blob_id(content)) for path, content in contents]
        nothing: dict[str, IndexedRecord] = {}
        kept = self._on_index(lambda index: index.stored(blob for _path, _content, blob in wanted), nothing)
        found: dict[str, ParsedText] = {}
        for path, content, blob in wanted:
            record = kept.get(blob)
            if record is None or record.status == BROKEN or record.data is None:
                continue
            try:
                data, body = restore(path, record)
                found[path] = ParsedText(content.decode("utf-8"), data, body)
            except (IndexCorrupt, RecordError, UnicodeDecodeError):
                continue
        return found

    def records(
        self, folder: str, on_error: Callable[[RecordError], None], statuses: Collection[str] | None
    ) -> Iterator[Record]:
        def record(item: IndexedPath) -> Record:
            assert item.record is not None
            return (item.path, *restore(item.path, item.record))

        return self._items(folder, on_error, statuses, None, record)

    def rows(
        self,
        folder: str,
        view: str,
        make: Make,
        on_error: Callable[[RecordError], None],
        statuses: Collection[str] | None,
        contains: tuple[str, ...] = (),
        quiet: dict[str, Any] | None = None,
    ) -> Iterator[tuple[str, dict[str, Any]]]:
        """Rows of a view that hold for ever (made once per record content).

        With `contains`, kept rows whose JSON text lacks one of those strings
        are skipped inside SQLite: pass only words the caller checks again.
        With `quiet`, so are kept rows equal to it (a row just made is handed out).
        """
        quiet_text = _row_text(quiet) if quiet is not None else None
        return self._rows(
            folder, (view, None, quiet_text, contains), lambda data, body: (make(data, body), ALWAYS), on_error,
            statuses,
        )

    def timed_rows(
        self,
        folder: str,
        view: str,
        at: datetime,
        make: MakeTimed,
        on_error: Callable[[RecordError], None],
        statuses: Collection[str] | None,
        quiet: dict[str, Any] | None = None,
        after: str | None = None,
        family: str | None = None,
    ) -> Iterator[tuple[str, dict[str, Any]]]:
        """Rows of a view as at `at`: a kept row is used while its window holds, else made again.

        Records whose kept row is `quiet` are skipped (a quiet row just made is handed out); with `after`,
        only paths that sort after it are read.  Keeping rows drops those of the other views of `family`
        (`RecordIndex.add_view_rows`).
        """
        start = moment_key(at)

        def make_now(data: dict[str, Any], body: str) -> tuple[dict[str, Any], Window]:
            row, until = make(data, body)
            return row, (start, moment_key(until) if until is not None else None)

        quiet_text = _row_text(quiet) if quiet is not None else None
        return self._rows(folder, (view, start, quiet_text, ()), make_now, on_error, statuses, after, family)

    def _rows(
        self,
        folder: str,
        view: ViewQuery,
        make: Callable[[dict[str, Any], str], tuple[dict[str, Any], Window]],
        on_error: Callable[[RecordError], None],
        statuses: Collection[str] | None,
        after: str | None = None,
        family: str | None = None,
    ) -> Iterator[tuple[str, dict[str, Any]]]:
        made: list[tuple[int, str, Window]] = []

        def row(item: IndexedPath) -> tuple[str, dict[str, Any]]:
            if item.row is not None:
                return item.path, _restore_row(item.row)
            assert item.record is not None
            value, window = make(*restore(item.path, item.record))
            holds = window[1] is None or window[0] is None or window[1] > window[0]
            if item.record_id is not None and holds:
                made.append((item.record_id, _row_text(value), window))
                if len(made) >= KEEP_EVERY:  # kept as they come (another connection; WAL lets it commit)
                    self._keep_rows(view[0], made, family)
                    made.clear()
            return item.path, value

        try:
            yield from self._items(folder, on_error, statuses, view, row, restarted=made.clear, after=after)
        finally:
            self._keep_rows(view[0], made, family)

    def _items(
        self,
        folder: str,
        on_error: Callable[[RecordError], None],
        statuses: Collection[str] | None,
        view: ViewQuery | None,
        convert: Callable[[IndexedPath], T],
        restarted: Callable[[], None] = lambda: None,
        after: str | None = None,
    ) -> Iterator[T]:
        """Each wanted record file of `folder` (whose path sorts after `after`), converted; broken ones go to
        `on_error`."""
        folder = folder.strip("/")
        position = _Position()
        position.after = after
        for _attempt in range(3):
            try:
                for item in self._read(folder, statuses, view, position.after):
                    if item.status == BROKEN and item.record is not None and item.record.broken:
                        error = restore_error(item.path, item.record)
                        position.after = item.path
                        on_error(error)
                    elif statuses is None or item.status in statuses:
                        value = convert(item)
                        position.after = item.path
                        yield value
                    else:
                        position.after = item.path
                return
            except IndexCorrupt:
                remove_index(index_path(self.repo))
                restarted()
        raise Busy(_("the record index {index_path} keeps failing").format(index_path=index_path(self.repo)), _("delete it and try again"))

    def _read(
        self, folder: str, statuses: Collection[str] | None, view: ViewQuery | None,
        after: str | None,
    ) -> Iterator[IndexedPath]:
        index = RecordIndex.open(index_path(self.repo))
        try:
            sync = FolderSync(self.repo, index, self.progress)
            for attempt in range(_ATTEMPTS):
                if attempt:
                    self.snapshot.forget()  # the repository moved meanwhile: look again
                state = self.snapshot.state(folder)
                sync.catch_up(folder, state.head)
                overlay = sync.worktree_changes(folder, state.changed)
                with index.pinned(folder, state.head or NO_COMMIT) as current:
                    if not current:
                        continue  # another process moved the index on meanwhile; look again
                    changed = self._changed(index, overlay, after, view)
                    name, at, quiet, contains = view if view else (None, None, None, ())
                    committed = index.entries(folder, statuses, after, overlay, name, at, quiet, contains)
                    yield from heapq.merge(committed, changed, key=lambda item: item.path)
                    return
            raise Busy(_("the repository kept changing while casefile was reading it"), _("try again"))
        finally:
            index.close()

    def _changed(
        self, index: RecordIndex, overlay: dict[str, str | None], after: str | None,
        view: ViewQuery | None,
    ) -> list[IndexedPath]:
        """The work tree's record files that differ from the commit, as index items."""
        items = []
        for path, blob in sorted(overlay.items()):
            if blob is None or (after is not None and path <= after):
                continue
            found = index.record(blob)
            record_id, record = found if found else (None, reparse_worktree_file(self.root, path))
            if record is None:
                continue
            row = index.view_row(view[0], record_id, view[1]) if view and record_id is not None else None
            items.append(IndexedPath(path, record.status, None if row else record, row, record_id))
        return items

    def _keep_rows(self, view: str, made: list[tuple[int, str, Window]], family: str | None = None) -> None:
        if made:  # rows are a cache too: lost with a damaged index, they are made again
            self._on_index(lambda index: index.add_view_rows(view, made, family), None)


KEEP_EVERY = 2000  # rows made are written in lists of this many: memory stays flat over 100,000 records


def _row_text(row: dict[str, Any]) -> str:
    """How a row is kept: compact JSON (and so how a quiet row is recognised in SQL)."""
    return json.dumps(row, ensure_ascii=False, separators=(",", ":"))


def _restore_row(text: str) -> dict[str, Any]:
    try:
        row = from_json(text)
    except ValueError:
        raise IndexCorrupt(_("a stored row is not JSON")) from None
    if not isinstance(row, dict):
        raise IndexCorrupt(_("a stored row is not a mapping"))
    return row
