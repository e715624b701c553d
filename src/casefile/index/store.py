"""The record index: parsed records cached by git blob id, in `.git/casefile/`.

A cache, never the truth: deleting it changes no output, only speed.  One
SQLite file (stdlib `sqlite3`) holds

* `records` — one row per blob id (git's name for a file's content): the
  record's `status`, its front matter as JSON and its Markdown body, or the
  problem that made it unreadable (file and line are re-attached on reading).
  The same content is never parsed twice, whichever path or commit it is at.
* `paths` — for each indexed folder, every record file of the commit the
  index last saw (its `base`), with the record it holds and its status, so
  `list` reads the 5,000 open cases of 100,000 without touching the others.
* `bases` — that commit, per folder; `meta` — the format of the file.
* `views` — small rows made from records (`list`'s summaries, `check`'s due
  clocks), each under the number `view_names` gives its view's name: a name
  runs to ninety characters (a timed view names the policy blob it was made
  under), and is looked up once per path.

Why SQLite: it reads one record, or only the open ones, without loading the
rest (a pickle or JSON file of 100,000 records must be read whole — 190 MB of
front matter); every write is an atomic transaction, so a crash mid-update
leaves the previous state, never half of one; WAL mode lets any number of
readers run while one process updates it.  A file that is not a database, is
shorter than its header says (truncated), or fails on any read is deleted and
rebuilt: `IndexCorrupt` tells the caller to start again.
"""

from __future__ import annotations

import os
import sqlite3
import struct
import weakref
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from casefile.values import Struct
from casefile.version import __version__
from casefile.i18n import _

# Bump when what is stored changes (the parsed form, a column): old indexes are rebuilt.
FORMAT = f"casefile-record-index/4 casefile {__version__}"
BROKEN = "!broken"  # the status column of a record that could not be parsed
_SQLITE_MAGIC = b"SQLite format 3\x00"
_BUSY_SECONDS = 60.0
PAGE_SIZE = 16384

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS records (id INTEGER PRIMARY KEY AUTOINCREMENT, blob TEXT NOT NULL UNIQUE, status TEXT,"
    " data TEXT, body TEXT, problem TEXT)",
    "CREATE TABLE IF NOT EXISTS paths (path TEXT PRIMARY KEY, record INTEGER NOT NULL, status TEXT)"
    " WITHOUT ROWID",
    "CREATE INDEX IF NOT EXISTS paths_by_status ON paths (status, path)",
    "CREATE TABLE IF NOT EXISTS bases (folder TEXT PRIMARY KEY, commit_id TEXT NOT NULL)",
    # A row holds for ever, or (a timed view) from `valid_from` until just before `valid_until`:
    # UTC times as "YYYY-MM-DDTHH:MM:SS", which sort as they follow each other; NULL is unbounded.
    "CREATE TABLE IF NOT EXISTS views (view INTEGER NOT NULL, record INTEGER NOT NULL, row TEXT NOT NULL,"
    " valid_from TEXT, valid_until TEXT, PRIMARY KEY (view, record)) WITHOUT ROWID",
    # A name keeps its number for the life of the file (names are never deleted, only their rows).
    "CREATE TABLE IF NOT EXISTS view_names (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)",
)
_TABLES = ("meta", "records", "paths", "bases", "views", "view_names")
_NO_VIEW = -1  # the number of a name no row was kept under yet: it matches no row
_OPEN: weakref.WeakSet[RecordIndex] = weakref.WeakSet()  # this process's open connections (`closed_for_fork`)


class IndexCorrupt(Exception):
    """The index file is damaged; the caller deletes it and starts again."""


Window = tuple[str | None, str | None]  # valid_from, valid_until (UTC keys; None: unbounded)
ALWAYS: Window = (None, None)


def moment_key(value: datetime) -> str:
    """A moment as a view window stores it: UTC, to the second, sorting as time goes."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")
_HOLDS = "(v.valid_from IS NULL OR v.valid_from <= ?) AND (v.valid_until IS NULL OR v.valid_until > ?)"


class IndexedRecord(Struct, frozen=True):
    """A parsed record as the index stores it (see `recordparse`)."""

    status: str | None  # the front matter's `status` if it is text; BROKEN if unreadable
    data: str | None  # front matter as JSON; None if broken or if JSON cannot hold it exactly
    body: str  # the Markdown body; the whole file when `data` is None and it is not broken
    problem: str | None  # JSON [line, problem, hint] of the RecordError, if broken

    @property
    def broken(self) -> bool:
        return self.problem is not None


class IndexedPath(Struct, frozen=True):
    """A record file of the folder: its status, and its record or its row of a view.

    Reading a view, `record` is there only where the row is not (not made
    yet, or the record is broken); `record_id` is None for work-tree files.
    """

    path: str
    status: str | None
    record: IndexedRecord | None
    row: str | None = None
    record_id: int | None = None


def prefix_range(prefix: str) -> tuple[str, str]:
    """Texts that begin with `prefix` (not empty) sort from the first string to just before the second."""
    return prefix, prefix[:-1] + chr(ord(prefix[-1]) + 1)


def folder_range(folder: str) -> tuple[str, str]:
    """Paths under `folder/` sort strictly between these two strings."""
    return prefix_range(folder.rstrip("/") + "/")


def _header_looks_whole(path: Path) -> bool:
    """False if the file is not SQLite or is shorter than its header says."""
    try:
        with open(path, "rb") as handle:
            header = handle.read(100)
            size = os.fstat(handle.fileno()).st_size
    except FileNotFoundError:
        return True
    if size == 0:
        return True  # a new, empty database
    if len(header) < 100 or not header.startswith(_SQLITE_MAGIC):
        return False
    page_size = struct.unpack(">H", header[16:18])[0]
    page_size = 65536 if page_size == 1 else page_size
    change_counter, pages = struct.unpack(">II", header[24:32])
    valid_for = struct.unpack(">I", header[92:96])[0]
    if page_size < 512 or size % page_size:
        return False
    return not (pages and change_counter == valid_for and size < pages * page_size)


def compact_copy(source: Path, target: Path) -> int:
    """Write a compact, consistent copy of the index at `source` to `target` (VACUUM INTO); its records."""
    db = sqlite3.connect(str(source), timeout=_BUSY_SECONDS, isolation_level=None)
    try:
        with _guard():
            if RecordIndex._format(db) != FORMAT:
                raise IndexCorrupt(_("the index is from another version of casefile"))
            db.execute("VACUUM INTO ?", (str(target),))
            return int(db.execute("SELECT count(*) FROM records").fetchone()[0])
    finally:
        db.close()


def copy_format(path: Path) -> tuple[str | None, int]:
    """The format an index file says it has, and how many records it holds; IndexCorrupt if it is none."""
    if not _header_looks_whole(path) or path.stat().st_size < 100:
        raise IndexCorrupt(_("not a whole SQLite file"))
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None)
    try:
        with _guard():
            if db.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise IndexCorrupt(_("the file fails SQLite's check"))
            found = RecordIndex._format(db)
            count = int(db.execute("SELECT count(*) FROM records").fetchone()[0]) if found == FORMAT else 0
            return found, count
    except sqlite3.DatabaseError as error:
        raise IndexCorrupt(str(error)) from None
    finally:
        db.close()


def remove_index(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


class RecordIndex:
    """One open index file (or an in-memory one where `.git` cannot be written)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._view_ids: dict[str, int] = {}
        self._open()

    def _open(self) -> None:
        try:
            self.db = self._connect()
        except sqlite3.DatabaseError as error:
            raise IndexCorrupt(str(error)) from None
        _OPEN.add(self)

    @classmethod
    def open(cls, path: Path) -> RecordIndex:
        """The index at `path`, rebuilt if damaged; in memory if it cannot be written."""
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError:
            return cls(None)
        if not os.access(path.parent, os.W_OK):
            return cls(None)
        if not _header_looks_whole(path):
            remove_index(path)
        try:
            return cls(path)
        except IndexCorrupt:
            remove_index(path)
            return cls(path)

    def _connect(self) -> sqlite3.Connection:
        target = str(self.path) if self.path else ":memory:"
        db = sqlite3.connect(target, timeout=_BUSY_SECONDS, isolation_level=None, check_same_thread=False)
        # Only a new, empty file takes these (an existing one keeps its layout until rebuilt): pages of
        # 16 KiB hold six 2 KB records where 4 KiB pages held one and wasted the rest (10,000 cases:
        # 45 MB -> 32 MB), and pages the clean-up frees go back to the file system.
        db.execute(f"PRAGMA page_size={PAGE_SIZE}")
        db.execute("PRAGMA auto_vacuum=INCREMENTAL")
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        found = self._format(db)
        if found != FORMAT:
            db.execute("BEGIN IMMEDIATE")
            if self._format(db) != FORMAT:  # nobody else rebuilt it meanwhile
                for table in _TABLES:
                    db.execute(f"DROP TABLE IF EXISTS {table}")
                for statement in _SCHEMA:
                    db.execute(statement)
                db.execute("INSERT INTO meta VALUES ('format', ?)", (FORMAT,))
            db.execute("COMMIT")
        return db

    @staticmethod
    def _format(db: sqlite3.Connection) -> str | None:
        try:
            row = db.execute("SELECT value FROM meta WHERE key = 'format'").fetchone()
        except sqlite3.OperationalError as error:
            if "no such table" in str(error):
                return None
            raise
        return str(row[0]) if row else None

    def close(self) -> None:
        self.db.close()
        _OPEN.discard(self)

    @contextmanager
    def closed_for_fork(self) -> Iterator[Path | None]:
        """This connection closed while the body runs, so processes forked meanwhile may open the file.

        SQLite forbids carrying a connection across `fork()`: the child inherits
        the parent's lock bookkeeping for the file, so even a connection it opens
        itself believes it holds locks it does not.  Yields the file, or None
        (and stays open) when that cannot be: an index in memory, or another
        connection of this process open (a read in progress further up).
        """
        if self.path is None or any(other is not self for other in _OPEN):
            yield None
            return
        self.close()
        try:
            yield self.path
        finally:
            self._open()

    # -- reading ---------------------------------------------------------------

    def base(self, folder: str) -> str | None:
        """The commit whose files `paths` holds for `folder`; None if never indexed."""
        with _guard():
            row = self.db.execute("SELECT commit_id FROM bases WHERE folder = ?", (folder,)).fetchone()
        return str(row[0]) if row else None

    def _of_blobs(self, columns: str, blobs: Iterable[str]) -> list[tuple[Any, ...]]:
        """(blob, *columns) of the records of those of `blobs` that are parsed already."""
        wanted = list(dict.fromkeys(blobs))
        found: list[tuple[Any, ...]] = []
        with _guard():
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                marks = ",".join("?" * len(chunk))
                found += self.db.execute(f"SELECT blob{columns} FROM records WHERE blob IN ({marks})", chunk)
        return found

    def known(self, blobs: Iterable[str]) -> set[str]:
        """Those of `blobs` that are parsed already."""
        return {row[0] for row in self._of_blobs("", blobs)}

    def stored(self, blobs: Iterable[str]) -> dict[str, IndexedRecord]:
        """Those of `blobs` that are parsed already, as stored."""
        return {blob: IndexedRecord(*row) for blob, *row in self._of_blobs(", status, data, body, problem", blobs)}

    def record(self, blob: str) -> tuple[int, IndexedRecord] | None:
        with _guard():
            row = self.db.execute(
                "SELECT id, status, data, body, problem FROM records WHERE blob = ?", (blob,)
            ).fetchone()
        return (int(row[0]), IndexedRecord(*row[1:])) if row else None

    def _view_id(self, view: str) -> int:
        """The number rows of `view` are kept under (`_NO_VIEW` if none was kept yet)."""
        found = self._view_ids.get(view)
        if found is None:
            with _guard():
                row = self.db.execute("SELECT id FROM view_names WHERE name = ?", (view,)).fetchone()
            if row is None:
                return _NO_VIEW
            found = self._view_ids[view] = int(row[0])
        return found

    def view_row(self, view: str, record_id: int, at: str | None = None) -> str | None:
        """The record's row of `view`, if there is one that holds `at` (a UTC key; None: any)."""
        with _guard():
            row = self.db.execute(
                f"SELECT row FROM views v WHERE view = ? AND record = ? AND {_HOLDS}",
                (self._view_id(view), record_id, at or "", at or "9"),
            ).fetchone()
        return str(row[0]) if row else None

    @contextmanager
    def pinned(self, folder: str, commit: str) -> Iterator[bool]:
        """A read transaction: while it lasts, every read sees one state of the index.

        Yields whether `folder` is indexed at `commit`; another process may
        move it on at any time, but not under this reader.
        """
        with _guard():
            self.db.execute("BEGIN")
            try:
                row = self.db.execute("SELECT commit_id FROM bases WHERE folder = ?", (folder,)).fetchone()
                yield bool(row) and str(row[0]) == commit
            finally:
                if self.db.in_transaction:
                    self.db.execute("COMMIT")

    def entries(
        self,
        folder: str,
        statuses: Collection[str] | None,
        after: str | None = None,
        skip: Collection[str] = (),
        view: str | None = None,
        at: str | None = None,
        quiet: str | None = None,
        contains: Sequence[str] = (),
    ) -> Iterator[IndexedPath]:
        """The base's records under `folder` in path order, from just after `after`.

        With `statuses`, only records in those statuses and broken ones.  With
        `view`, each path's row of that view; the record itself only where
        there is no row (so 100,000 rows are read without their records).
        With `at` (a timed view), only a row whose window holds that moment;
        paths whose kept row is `quiet` (a row that says "nothing here") are
        skipped inside SQLite, so 95,000 closed cases cost no Python at all.
        With `contains`, so are paths whose kept row's text lacks one of those
        strings (`search` passes its words, which it checks again).
        """
        low, high = folder_range(folder)
        if view is None:
            query = (
                "SELECT p.path, p.status, p.record, NULL, r.data, r.body, r.problem"
                " FROM paths p JOIN records r ON r.id = p.record"
            )
            args: list[object] = []
        else:
            query = (
                "SELECT p.path, p.status, p.record, v.row, r.data, r.body, r.problem FROM paths p"
                f" LEFT JOIN views v ON v.view = ? AND v.record = p.record AND {_HOLDS}"
                " LEFT JOIN records r ON r.id = p.record AND (v.row IS NULL OR p.status = ?)"
            )
            args = [self._view_id(view), at or "", at or "9", BROKEN]
        query += " WHERE p.path > ? AND p.path < ?"
        args += [max(low, after or ""), high]
        if view is not None and quiet is not None:
            query += " AND (v.row IS NULL OR v.row != ?)"
            args.append(quiet)
        if view is not None:
            for text in contains:
                query += " AND (v.row IS NULL OR p.status = ? OR instr(v.row, ?) > 0)"
                args += [BROKEN, text]
        if statuses is not None:
            wanted = sorted({*(str(s) for s in statuses), BROKEN})
            query += f" AND p.status IN ({','.join('?' * len(wanted))})"
            args += wanted
        query += " ORDER BY p.path"
        with _guard():
            cursor = self.db.execute(query, args)
        while True:
            with _guard():
                rows = cursor.fetchmany(256)
            if not rows:
                return
            for path, status, record_id, row, data, body, problem in rows:
                if path in skip:
                    continue
                has_record = row is None or status == BROKEN
                record = IndexedRecord(status, data, body or "", problem) if has_record else None
                yield IndexedPath(path, status, record, row, record_id)

    # -- writing ---------------------------------------------------------------

    def add(self, parsed: Mapping[str, IndexedRecord]) -> None:
        """Store parsed records (one transaction); blobs already there are kept."""
        rows = [(blob, r.status, r.data, r.body, r.problem) for blob, r in parsed.items()]
        with self._writing():
            cursor = self.db.executemany(
                "INSERT OR IGNORE INTO records (blob, status, data, body, problem) VALUES (?, ?, ?, ?, ?)", rows
            )
            self.db.execute(
                "INSERT INTO meta VALUES ('added_since_gc', ?) ON CONFLICT (key)"
                " DO UPDATE SET value = CAST(value AS INTEGER) + excluded.value",
                (max(cursor.rowcount, 0),),
            )

    def add_view_rows(self, view: str, rows: Iterable[tuple[int, str, Window]], family: str | None = None) -> None:
        """Keep rows of `view`; a row made again (a timed view's next window) replaces the old one.

        With `family` (a beginning of `view`'s name), the rows of every other view whose name begins
        so are dropped: they were made under what `view` replaces (a policy since edited), and no
        command reads them again.  A policy edit at 100,000 cases would otherwise leave 100,000 rows.
        """
        with self._writing():
            self.db.execute("INSERT OR IGNORE INTO view_names (name) VALUES (?)", (view,))
            number = int(self.db.execute("SELECT id FROM view_names WHERE name = ?", (view,)).fetchone()[0])
            self.db.executemany(
                "INSERT OR REPLACE INTO views VALUES (?, ?, ?, ?, ?)",
                ((number, record, row, window[0], window[1]) for record, row, window in rows),
            )
            if family and view.startswith(family):
                low, high = prefix_range(family)
                dropped = self.db.execute(
                    "DELETE FROM views WHERE view IN"
                    " (SELECT id FROM view_names WHERE name >= ? AND name < ? AND id != ?)",
                    (low, high, number),
                ).rowcount
                if dropped > 0:
                    self.db.execute("PRAGMA incremental_vacuum")  # give the freed pages back
        self._view_ids[view] = number

    def move_base(self, folder: str, old: str | None, new: str, files: Mapping[str, str | None], replace: bool) -> bool:
        """Point `folder` at commit `new`: set `files` (path -> blob, None to drop).

        With `replace`, `files` is the whole folder.  Applied only if the base
        is still `old` and every blob is parsed (another process may have moved
        the base, or cleaned up, meanwhile): False if not.  All or nothing.
        """
        low, high = folder_range(folder)
        present = [(path, blob) for path, blob in files.items() if blob is not None]
        with self._writing() as abort:
            row = self.db.execute("SELECT commit_id FROM bases WHERE folder = ?", (folder,)).fetchone()
            if (str(row[0]) if row else None) != old:
                abort()
                return False
            if replace:
                self.db.execute("DELETE FROM paths WHERE path >= ? AND path < ?", (low, high))
            self.db.executemany("DELETE FROM paths WHERE path = ?", [(p,) for p, b in files.items() if b is None])
            cursor = self.db.executemany(
                "INSERT OR REPLACE INTO paths (path, record, status) SELECT ?, id, status FROM records WHERE blob = ?",
                present,
            )
            if present and cursor.rowcount != len(present):
                abort()
                return False
            self.db.execute("INSERT OR REPLACE INTO bases VALUES (?, ?)", (folder, new))
            self._collect_garbage()
        return True

    @contextmanager
    def _writing(self) -> Iterator[Callable[[], None]]:
        """One write transaction; the body may call the function it gets to roll back."""
        aborted = []

        def abort() -> None:
            self.db.execute("ROLLBACK")
            aborted.append(True)

        with _guard():
            self.db.execute("BEGIN IMMEDIATE")
            try:
                yield abort
            except BaseException:
                if self.db.in_transaction:
                    self.db.execute("ROLLBACK")
                raise
            if not aborted:
                self.db.execute("COMMIT")

    def _collect_garbage(self) -> None:
        """Drop parsed records no path refers to (old versions, abandoned edits) now and then.

        Counted cheaply: records added since the last clean-up, against a fifth
        of the paths there were then, so a clean-up costs its ~0.1 s at 100,000
        cases once in thousands of commands.
        """
        added, paths = (int(self._meta(key) or 0) for key in ("added_since_gc", "paths_at_gc"))
        if added < max(1000, paths // 5):
            return
        self.db.execute("DELETE FROM records WHERE id NOT IN (SELECT record FROM paths)")
        self.db.execute("DELETE FROM views WHERE record NOT IN (SELECT record FROM paths)")
        self.db.execute("PRAGMA incremental_vacuum")  # give the freed pages back
        paths = self.db.execute("SELECT count(*) FROM paths").fetchone()[0]
        self.db.executemany(
            "INSERT OR REPLACE INTO meta VALUES (?, ?)", [("added_since_gc", "0"), ("paths_at_gc", str(paths))]
        )

    def _meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return str(row[0]) if row else None


@contextmanager
def _guard() -> Iterator[None]:
    """Turn any SQLite failure but a lock timeout into IndexCorrupt."""
    try:
        yield
    except sqlite3.OperationalError as error:
        if "locked" in str(error) or "busy" in str(error):
            raise
        raise IndexCorrupt(str(error)) from error
    except sqlite3.DatabaseError as error:
        raise IndexCorrupt(str(error)) from error


def indexed_paths(path: Path, folder: str, glob: str | None = None) -> list[tuple[str, str | None]] | None:
    """(path, status) of every record file under `folder` as the index last saw it, opened read-only and
    never rebuilt (shell completion reads this); None when there is no usable index for the folder.
    `glob` keeps only the paths matching it (SQLite's GLOB: `*/KMT-004*`), so a <Tab> on 100,000 cases
    reads the few it can offer."""
    if not path.is_file():
        return None
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=1.0, isolation_level=None)
        try:
            if RecordIndex._format(db) != FORMAT:
                return None
            if db.execute("SELECT 1 FROM bases WHERE folder = ?", (folder,)).fetchone() is None:
                return None
            low, high = folder_range(folder)
            query, values = "SELECT path, status FROM paths WHERE path >= ? AND path < ?", [low, high]
            if glob is not None:
                query, values = query + " AND path GLOB ?", [*values, glob]
            rows = db.execute(query, values).fetchall()
        finally:
            db.close()
    except sqlite3.Error:
        return None
    return [(str(p), None if s is None else str(s)) for p, s in rows]
