"""Reading records from the work tree: one case by number, or all of them.

The work tree is the truth: hand edits, committed or not, are what every
command shows.  Reads use the fast (C) YAML reader.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .casemodel import CaseDoc
from .errors import NotFound
from .numbering import CASES_DIR, find_case_file, parse_case_number
from .recordfile import read_plain
from .yamlio import RecordError


@dataclass(frozen=True)
class CaseEntry:
    """A parsed record file: its path, plain front matter and Markdown body."""

    path: str  # relative to the repository, with /
    data: dict[str, Any]
    body: str

    @property
    def doc(self) -> CaseDoc:
        return CaseDoc(self.data, self.body)


class CaseNotFound(NotFound):
    def __init__(self, case_id: str) -> None:
        super().__init__(f"no case {case_id}", "try `casefile list --all`")


def record_files(root: Path, folder: str) -> Iterator[Path]:
    """Every record file (*.md) under `folder`, in path order, at any depth."""
    top = root / folder
    if not top.is_dir():
        return
    for current, dirs, files in os.walk(top):
        dirs.sort()
        for name in sorted(files):
            if name.endswith(".md"):
                yield Path(current) / name


def case_files(root: Path) -> Iterator[Path]:
    """Every case file, oldest month first (cases/YYYY/MM/*.md)."""
    return record_files(root, CASES_DIR)


def read_record_file(root: Path, path: Path) -> CaseEntry:
    rel = path.relative_to(root).as_posix()
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise RecordError(rel, None, "the file is not UTF-8 text") from None
    data, body = read_plain(text, rel)
    return CaseEntry(rel, data, body)


class Catalog:
    def __init__(self, root: Path) -> None:
        self.root = root

    def locate(self, case_number: str) -> tuple[str, Path]:
        case_id = parse_case_number(case_number)
        path = find_case_file(self.root, case_id)
        if path is None:
            raise CaseNotFound(case_id)
        return case_id, path

    def case(self, case_number: str) -> CaseEntry:
        _case_id, path = self.locate(case_number)
        return read_record_file(self.root, path)

    def records(self, folder: str, on_error: Callable[[RecordError], None]) -> Iterator[CaseEntry]:
        """Every record under `folder` (cases, customers, ...), parsed; broken ones go to `on_error`."""
        for path in record_files(self.root, folder):
            try:
                yield read_record_file(self.root, path)
            except RecordError as error:
                on_error(error)

    def cases(self, on_error: Callable[[RecordError], None]) -> Iterator[CaseEntry]:
        return self.records(CASES_DIR, on_error)
