"""Writing records inside a transaction, for every record kind.

The pattern of CONTRIBUTING: read the committed version (refusing uncommitted
hand edits), change the round-trip mapping, schema-check, write, and commit
with a subject naming the record and `Casefile-*` trailers.  `Done` is what a
committed command hands back to the CLI.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from casefile.index.catalog import CaseEntry
from casefile.errors import CasefileError
from casefile.records.file import EditableRecord, read_plain
from casefile.records.problems import Problem, record_error
from casefile.records.transaction import Transaction


@dataclass(frozen=True)
class Done:
    """A committed command: the record as it is now, the commit subject and id, and notes for the user."""

    entry: CaseEntry
    subject: str
    commit: str
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Extra:
    """What a step wrote beside its record: trailers for the commit, notes for the user."""

    trailers: Mapping[str, str] = field(default_factory=dict)
    notes: tuple[str, ...] = ()


def done(path: str, text: str, message: str, commit: str, notes: tuple[str, ...] = ()) -> Done:
    data, body = read_plain(text, path)
    return Done(CaseEntry(path, data, body), message.splitlines()[0], commit, notes)


def open_committed(txn: Transaction, path: str, missing: CasefileError) -> EditableRecord:
    """The committed record at `path`, ready to change; `missing` if there is none."""
    content = txn.committed(path)
    if content is None:
        raise missing
    return EditableRecord.parse(content.decode("utf-8"), path)


def refuse_existing(txn: Transaction, path: str, clash: CasefileError) -> None:
    """Raise `clash` if `path` is committed already (or lies in the work tree uncommitted)."""
    if txn.committed(path) is not None:
        raise clash


def raise_problems(record: EditableRecord, problems: list[Problem], hint: str | None = None) -> None:
    """Refuse to write a record that does not validate, naming the first problem and its line."""
    if problems:
        error = record_error(record.render(), record.source, problems[0])
        if hint:
            error.hint = hint
        raise error


def commit_message(subject: str, action: str, trailers: Mapping[str, str], detail: str | None = None) -> str:
    """`subject`, an optional paragraph, then `Casefile-*: value` trailers and `Casefile-Action`."""
    lines = [subject, ""]
    if detail and detail.strip():
        lines += [detail.strip(), ""]
    lines += [f"{key}: {value}" for key, value in trailers.items()]
    lines.append(f"Casefile-Action: {action}")
    return "\n".join(lines) + "\n"
