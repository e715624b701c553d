"""Reading records from the work tree: one case by number, or all of them.

The work tree is the truth: hand edits, committed or not, are what every
command shows.  One record (`case`) is read straight from its file; whole
folders (`records`, `cases`) come through the record index
(`recordindex`, kept fresh by `recordsync`), which parses only files whose
content it has not seen before.  Reads use the fast (C) YAML reader.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from casefile.git.repo import GitRepo
from casefile.records.file import ParsedText, RecordEntry, read_record_file
from casefile.records.kinds import CASES
from casefile.records.numbers import CaseNotFound, parse_case_number
from casefile.records.yamlio import RecordError
from casefile.render.progress import Progress, terminal_progress
from casefile.values import Struct


class RecordView(Struct, frozen=True):
    """A small row made from each record, kept in the index beside it.

    `list --all` at 100,000 cases needs a dozen fields of each case, not its
    whole activity log: reading rows of a view skips decoding the records.
    `make(front matter, body)` must return JSON (text keys); put a version in
    `name` and raise it whenever `make` changes, or old rows would be reused.
    """

    name: str  # e.g. "list-summary/1"
    make: Callable[[dict[str, Any], str], dict[str, Any]]


class TimedView(Struct, frozen=True):
    """A row of each record as at a moment, kept for as long as it holds.

    The clocks of a case change with the time, but only at known instants (a
    deadline, a ladder step, the desk opening): `make` returns the row as at
    `at` and the first moment it may change (None: not until the record does).
    `check` and `list` then re-evaluate only the cases whose moment has come.
    Same rules for `name` as `RecordView`; include in it whatever else the row
    depends on (the desk's time zone, the holiday data).
    """

    name: str
    at: datetime
    make: Callable[[dict[str, Any], str], tuple[dict[str, Any], datetime | None]]
    quiet: dict[str, Any] | None = None  # a row meaning "nothing here": records kept with it are skipped
    # The beginning every name of this view has, whatever it depends on (e.g. "case-due/3 "): rows kept
    # under `name` drop those kept under the names it replaces (the policy before an edit).
    family: str | None = None


class Catalog:
    """The records of one case repository, as one command sees them.

    Whole-folder reads share one look at the work tree (which files differ
    from HEAD), taken at the first such read: a catalog is a command's view.
    `Desk.catalog` is the command's catalog, and it forgets what it saw after
    the command commits; code that keeps a catalog across changes calls
    `forget` (or makes a new one).
    """

    def __init__(self, root: Path, progress: Progress | None = None, state_dir: Path | None = None) -> None:
        self.root = root
        self.state_dir = state_dir  # where this clone keeps its station: `417` is its own case 417
        self.progress = progress or terminal_progress()
        self._snapshot: Any = None  # folderread.Snapshot, made by the first whole-folder read

    def _reader(self) -> Any:
        from casefile.index.reader import FolderReader, Snapshot  # sqlite3 and git only for whole-folder reads

        if self._snapshot is None:
            self._snapshot = Snapshot(GitRepo(self.root))
        return FolderReader(self.root, self.progress, self._snapshot)

    def forget(self) -> None:
        """After a commit: the next whole-folder read looks at the work tree again."""
        self._snapshot = None

    def known_texts(self, contents: Iterable[tuple[str, bytes]]) -> dict[str, ParsedText]:
        """For (path, committed content) pairs: path -> the text marked with the parse the index keeps for
        it, where it keeps one (`check` appends to thousands of records it has read already)."""
        return self._reader().known_texts(contents)

    def learn(self, parsed: Mapping[str, tuple[str, ParsedText]]) -> None:
        """Keep records just committed whose parse their writer knows (blob id -> (path, text)), so the
        next read does not parse them again: `check` writes thousands at a time."""
        if parsed:
            self._reader().learn(parsed)

    def locate(self, case_number: str) -> tuple[str, str]:
        """The case number as stored (`kmt-417` is KMT-00417, `417` this clone's own 417) and its file, or
        `CaseNotFound`."""
        case_id = parse_case_number(case_number, self.own_station() if case_number.strip().isdigit() else None)
        path = CASES.find(self.root, case_id)
        if path is None:
            raise CaseNotFound(case_id)
        return case_id, path

    def own_station(self) -> str | None:
        """The station this clone numbers its cases under, if it has claimed one."""
        from casefile.records.stations import StationState

        state = StationState.load(self.state_dir) if self.state_dir is not None else None
        return state.station if state is not None else None

    def case(self, case_number: str) -> RecordEntry:
        """One case, read from its file; one that does not have a case's shape is refused like a file that
        does not parse (its path, line and problem), as every folder read skips it."""
        _case_id, path = self.locate(case_number)
        return read_record_file(self.root, self.root / path)

    def records(
        self,
        folder: str,
        on_error: Callable[[RecordError], None],
        statuses: Collection[str] | None = None,
    ) -> Iterator[RecordEntry]:
        """Every record (*.md) under `folder` (cases, customers, ...), parsed, in path order.

        Broken records go to `on_error`.  With `statuses`, only records whose
        `status` is one of them come back, read without touching the others
        (broken records are still reported).
        """
        for path, data, body in self._reader().records(folder, on_error, statuses):
            yield RecordEntry(path, data, body)

    def cases(
        self, on_error: Callable[[RecordError], None], statuses: Collection[str] | None = None
    ) -> Iterator[RecordEntry]:
        return self.records(CASES.folder, on_error, statuses)

    def rows(
        self,
        folder: str,
        view: RecordView,
        on_error: Callable[[RecordError], None],
        statuses: Collection[str] | None = None,
        contains: tuple[str, ...] = (),
        quiet: dict[str, Any] | None = None,
    ) -> Iterator[tuple[str, dict[str, Any]]]:
        """(path, row of `view`) for every record under `folder`, chosen as `records` chooses.

        A row is made once per record content and kept in the index.  With
        `contains`, rows whose JSON text lacks one of those strings may be left
        out (a pre-filter: check the rows you get again); with `quiet`, rows
        equal to it may be (a row that says "nothing here for this reader").
        """
        return self._reader().rows(folder, view.name, view.make, on_error, statuses, contains, quiet)

    def timed_rows(
        self,
        folder: str,
        view: TimedView,
        on_error: Callable[[RecordError], None],
        statuses: Collection[str] | None = None,
        after: str | None = None,
    ) -> Iterator[tuple[str, dict[str, Any]]]:
        """(path, row of `view` as at `view.at`) for every record under `folder`, chosen as `records` does
        (with `after`, only those whose path sorts after it)."""
        return self._reader().timed_rows(folder, view.name, view.at, view.make, on_error, statuses, view.quiet,
                                         after, view.family)
