"""A fresh clone's first indexing: worker processes read, parse and store the committed records themselves
(`index_in_workers`), each with its own `git cat-file` and its own connection to the index file."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

import casefile.index.parse as parse
from casefile.errors import CasefileError
from casefile.git.process import GitFailed
from casefile.git.repo import GitRepo
from casefile.index.parse import index_in_workers, parse_record
from casefile.index.store import RecordIndex
from clihelp import CLI

NOW = "2026-11-02T10:00:00+08:00"


def _blobs(cli: CLI) -> tuple[GitRepo, dict[str, tuple[bytes, str]]]:
    """blob id -> (content, path) of 40 case files: good ones, a broken one, one that is not UTF-8."""
    case = cli.open("Printer offline at the Pudong branch", "C", now=NOW)
    template = (cli.repo / f"cases/2026/11/{case}.md").read_text(encoding="utf-8")
    contents = {}
    for n in range(1, 39):
        number = f"BCD-{n:05d}"
        contents[f"cases/2026/10/{number}.md"] = template.replace(case, number).replace("Printer", f"Printer {n}").encode()
    contents["cases/2026/10/BCD-00039.md"] = template.replace(case, "BCD-00039").replace("events:", "events: just a string\nx:").encode()
    contents["cases/2026/10/BCD-00040.md"] = "打印机".encode("gbk") + template.encode()
    repo = GitRepo(cli.repo)
    return repo, {repo.write_blob(content): (content, path) for path, content in contents.items()}


def test_the_workers_store_what_this_process_would_parse(cli: CLI, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    repo, blobs = _blobs(cli)
    monkeypatch.setattr(parse, "_STORED_CHUNK", 7)  # several chunks, so both workers store some
    index = RecordIndex.open(tmp_path / "index.sqlite")
    heard: list[int] = []
    assert index_in_workers([(blob, path) for blob, (_, path) in blobs.items()], repo.blob_contents, index,
                            heard.append)
    stored = index.stored(blobs)  # the connection closed for the fork is open again
    assert stored == {blob: parse_record(content, path) for blob, (content, path) in blobs.items()}
    assert sum(1 for record in stored.values() if record.broken) == 2
    assert heard == sorted(heard) and heard[-1] == len(blobs)
    index.close()


def test_a_read_in_progress_keeps_the_work_in_this_process(cli: CLI, tmp_path: Path) -> None:
    """A second connection of this process would be carried across the fork: nothing is done, the caller
    parses the records itself, and both connections still work."""
    repo, blobs = _blobs(cli)
    index = RecordIndex.open(tmp_path / "index.sqlite")
    reading = RecordIndex.open(tmp_path / "index.sqlite")
    assert not index_in_workers([(blob, path) for blob, (_, path) in blobs.items()], repo.blob_contents, index,
                                lambda done: None)
    assert index.known(blobs) == set() and reading.known(blobs) == set()
    reading.close()
    index.close()


def test_an_index_in_memory_keeps_the_work_in_this_process(cli: CLI) -> None:
    repo, blobs = _blobs(cli)
    index = RecordIndex(None)
    assert not index_in_workers([(blob, path) for blob, (_, path) in blobs.items()], repo.blob_contents, index,
                                lambda done: None)
    assert index.known(blobs) == set()
    index.close()


def test_a_worker_that_fails_fails_the_caller_and_the_index_stays_open(cli: CLI, tmp_path: Path) -> None:
    repo, blobs = _blobs(cli)
    index = RecordIndex.open(tmp_path / "index.sqlite")
    items = [(blob, path) for blob, (_, path) in blobs.items()] + [("0" * 40, "cases/2026/10/GONE-00001.md")]
    with pytest.raises(GitFailed, match="0{40} is missing"):
        index_in_workers(items, repo.blob_contents, index, lambda done: None)
    assert index.base("cases") is None  # open again, and usable
    index.close()


def test_a_worker_killed_midway_fails_the_command_in_one_line_instead_of_waiting_for_ever(
        cli: CLI, tmp_path: Path) -> None:
    """The kernel's OOM killer ends a worker in the middle of a chunk: the caller hears so (a pool of
    `multiprocessing` would wait for that chunk's answer for ever), and the index stays usable."""
    repo, blobs = _blobs(cli)

    def killed(oids: Sequence[str]) -> Iterator[tuple[str, bytes]]:
        os.kill(os.getpid(), signal.SIGKILL)  # runs in the worker, at its first blob
        yield from repo.blob_contents(oids)

    index = RecordIndex.open(tmp_path / "index.sqlite")
    with pytest.raises(CasefileError, match="stopped before it was done") as failure:
        index_in_workers([(blob, path) for blob, (_, path) in blobs.items()], killed, index, lambda done: None)
    assert failure.value.hint == "run the command again: the records stored so far are kept"
    assert index.base("cases") is None
    index.close()
