"""Parsing record files into the form the index stores, in parallel when there are many.

A record is parsed with the fast reader (`recordfile.read_plain`, the C YAML
parser) and stored as JSON, which keeps every value the reader can produce
(text, numbers, booleans, null, lists, mappings) exactly — except mapping
keys that are not text (`1: x` by hand), which JSON would turn into text:
such a record is stored as its whole text and parsed again when read.

The first indexing of 100,000 records is ~20 s of parsing on one core, so big
batches go to a pool of worker processes (one per core, forked, Linux only).
Committed blobs (`index_in_workers`, a fresh clone's first command) are read,
parsed and stored by the workers themselves — each its own `git cat-file` and
its own connection to the index — so no record passes through this process
twice; work-tree files (`parse_all`) are sent to them and come back parsed, at
most a few chunks in flight, so memory stays flat.
"""

from __future__ import annotations

import json
import os
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from casefile.errors import CasefileError
from casefile.index.store import BROKEN, IndexCorrupt, IndexedRecord, RecordIndex
from casefile.records.file import read_plain, read_plain_keyed, screened
from casefile.records.yamlio import RecordError
from casefile.values import from_json, to_json
from casefile.i18n import _

PARALLEL_MIN = 2000  # below this a pool costs more than it saves
_CHUNK = 100

_STORED_CHUNK = 1000  # blobs a worker reads with one `cat-file`, parses and stores in one transaction

Item = tuple[str, bytes, str]  # (blob id, content, path it was found at)
BlobReader = Callable[[Sequence[str]], Iterator[tuple[str, bytes]]]  # blob ids -> (id, content), from git

def parse_record(content: bytes, source: str) -> IndexedRecord:
    """What the index stores for one file's content."""
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        return broken(RecordError(source, None, "the file is not UTF-8 text"))
    try:
        data, body, house = read_plain_keyed(text, source)
    except RecordError as error:
        return broken(error)
    return stored(text, data, body, source, house=house)


def stored(text: str, data: dict[str, Any], body: str, source: str, passed_screen: bool = False,
           house: bool = False) -> IndexedRecord:
    """What the index stores for a text whose `read_plain` parse is `data` and `body` (`passed_screen`:
    its writer has shown that the screen lets it through; `house`: the house reader read it, so every
    key is text, every float finite and every integer within 64 bits — `read_plain_keyed`)."""
    refused = None if passed_screen else screened(source, data, lambda: text)
    if refused is not None:
        return broken(refused)
    status = data.get("status")
    status = status if isinstance(status, str) and status != BROKEN else None
    if house:  # reads back as json.dumps's text would, written ~5x faster (100,000 in a fresh clone)
        return IndexedRecord(status, to_json(data), body, None)
    if _keys_are_text(data):
        try:
            encoded = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
            encoded.encode("utf-8")  # lone surrogates from "\ud800" escapes cannot be stored
            return IndexedRecord(status, encoded, body, None)
        except (ValueError, UnicodeEncodeError):
            pass
    return IndexedRecord(status, None, text, None)


def broken(error: RecordError) -> IndexedRecord:
    return IndexedRecord(BROKEN, None, "", json.dumps([error.line, error.problem, error.hint]))


def restore_error(path: str, record: IndexedRecord) -> RecordError:
    """The RecordError of a broken record, naming the file it is at now."""
    try:
        line, problem, hint = json.loads(record.problem or "")
    except ValueError:
        raise IndexCorrupt(_("a stored problem is not JSON")) from None
    return RecordError(path, line, problem, hint)


def restore(path: str, record: IndexedRecord) -> tuple[dict[str, Any], str]:
    """Front matter and body of a stored record that parsed."""
    if record.data is None:
        return read_plain(record.body, path)
    try:
        data = from_json(record.data)
    except ValueError:
        raise IndexCorrupt(_("a stored record is not JSON")) from None
    if not isinstance(data, dict):
        raise IndexCorrupt(_("a stored record is not a mapping"))
    return data, record.body


def _keys_are_text(value: Any) -> bool:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            for key, child in item.items():
                if type(key) is not str:
                    return False
                if isinstance(child, (dict, list)):
                    stack.append(child)
        elif isinstance(item, list):
            stack.extend(child for child in item if isinstance(child, (dict, list)))
    return True


def _parse_chunk(chunk: list[Item]) -> list[tuple[str, IndexedRecord]]:
    return [(blob, parse_record(content, path)) for blob, content, path in chunk]


def _workers() -> int:
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        cores = os.cpu_count() or 1
    return cores


def in_parallel(count: int) -> bool:
    """Whether `count` records are worth a pool of workers here."""
    return count >= PARALLEL_MIN and _workers() >= 2 and sys.platform.startswith("linux")


def index_in_workers(blobs: Sequence[tuple[str, str]], read: BlobReader, index: RecordIndex,
                     done: Callable[[int], None]) -> bool:
    """Parse the committed `blobs` (id, a path it is at) and store them in `index`, by forked workers that
    each read blobs with `read` and write to the index file themselves; `done` hears how many so far.
    False, with nothing done, when the index cannot be shared so (see `RecordIndex.closed_for_fork`)."""
    import multiprocessing  # only here: they cost ~10 ms to import
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    with index.closed_for_fork() as shared:
        if shared is None:
            return False
        chunks = [list(blobs[start : start + _STORED_CHUNK]) for start in range(0, len(blobs), _STORED_CHUNK)]
        # An executor, not a `multiprocessing.Pool`: a worker killed mid-chunk (the kernel's OOM killer) breaks
        # it, where a pool would wait for that chunk for ever.
        pool = ProcessPoolExecutor(_workers(), mp_context=multiprocessing.get_context("fork"),
                                   initializer=_begin_storing, initargs=(read, shared))
        try:
            stored_so_far = 0
            for count in pool.map(_store_chunk, chunks):
                stored_so_far += count
                done(stored_so_far)
        except BrokenProcessPool:
            raise CasefileError(
                _("a worker process indexing the records stopped before it was done (killed: out of memory?)"),
                _("run the command again: the records stored so far are kept"),
            ) from None
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
    return True


_worker: dict[str, Any] = {}  # in a worker of `index_in_workers`: how it reads blobs, its index


def _begin_storing(read: BlobReader, index_file: Path) -> None:
    _worker["read"] = read
    _worker["file"] = index_file


def _store_chunk(chunk: list[tuple[str, str]]) -> int:
    index = _worker.get("index")
    if index is None:
        index = _worker["index"] = RecordIndex.open(_worker["file"])
    where = dict(chunk)
    index.add({blob: parse_record(content, where[blob]) for blob, content in _worker["read"](list(where))})
    return len(where)


def parse_all(items: Iterable[Item], count: int) -> Iterator[tuple[str, IndexedRecord]]:
    """Parse every item; `count` says how many there are (to choose serial or parallel).

    The pool is started before `items` is first read, so worker processes do
    not inherit the pipes of a `git cat-file` that `items` may be reading.
    """
    if not in_parallel(count):
        for blob, content, path in items:
            yield blob, parse_record(content, path)
        return
    import multiprocessing  # only here: it costs ~10 ms to import

    workers = _workers()
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        in_flight: deque[Any] = deque()
        chunk: list[Item] = []
        for item in items:
            chunk.append(item)
            if len(chunk) == _CHUNK:
                in_flight.append(pool.apply_async(_parse_chunk, (chunk,)))
                chunk = []
                while len(in_flight) >= workers * 3:
                    yield from in_flight.popleft().get()
        if chunk:
            in_flight.append(pool.apply_async(_parse_chunk, (chunk,)))
        while in_flight:
            yield from in_flight.popleft().get()
