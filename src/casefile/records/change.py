"""How a record changes: what an operation did, the one commit message builder, and what a command hands back.

Every change is one commit whose message names the record and the action:

    KMT-00417: assign to li.na (L2)

    Casefile-Action: assign
    Casefile-Case: KMT-00417

The subject is `<record id>: <action words>`; a commit of several records of a
kind says `<folder>: <words>` and a `check` run `check: <words>` (`init` and
the first people file are the desk's own); an optional paragraph
says why; the last paragraph holds the trailers, `Casefile-Action` first, then
the record's own trailer (`Casefile-Case`, `Casefile-Customer`, ...), then any
others.  `CommitMessage` is the only place these lines are written.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from casefile.errors import CasefileError
from casefile.records.file import EditableRecord, RecordEntry, read_plain
from casefile.records.kinds import RecordKind
from casefile.render.printable import one_line, printable
from casefile.values import Struct

if TYPE_CHECKING:
    from casefile.records.problems import Problem
    from casefile.records.transaction import Transaction

Trailers = tuple[tuple[str, str], ...]  # in order; a key may repeat (one Casefile-Case per case)


def trailers_of(pairs: Mapping[str, str] | Iterable[tuple[str, str]]) -> Trailers:
    items = pairs.items() if isinstance(pairs, Mapping) else pairs
    return tuple((str(key), str(value)) for key, value in items)


class CommitMessage(Struct, frozen=True):
    subject: str
    action: str  # the Casefile-Action trailer: assign, customer-add, check, ...
    trailers: Trailers = ()
    detail: str | None = None

    @classmethod
    def for_record(
        cls, kind: RecordKind, ident: str, words: str, action: str,
        trailers: Mapping[str, str] | Iterable[tuple[str, str]] = (), detail: str | None = None,
        scope: str | None = None,
    ) -> CommitMessage:
        """`<ident>: <words>` (or `<scope>: <words>`), naming the record in its kind's trailer."""
        own = (kind.trailer, ident)
        rest = tuple(pair for pair in trailers_of(trailers) if pair != own)
        return cls(f"{scope or ident}: {words}", action, (own, *rest), detail)

    @classmethod
    def for_records(
        cls, kind: RecordKind, idents: Iterable[str], words: str, action: str, detail: str | None = None,
        trailers: Mapping[str, str] | Iterable[tuple[str, str]] = (),
    ) -> CommitMessage:
        """One commit for several records of a kind: `<ident>: <words>` for one, `<folder>: <words>` for more."""
        ids = list(idents)
        scope = ids[0] if len(ids) == 1 else kind.folder
        return cls(f"{scope}: {words}", action, (*((kind.trailer, ident) for ident in ids), *trailers_of(trailers)),
                   detail)

    def text(self) -> str:
        """The message: the subject and every trailer one line whatever the values in them (a newline in a
        title cannot fake a line or a trailer), control characters shown escaped."""
        lines = [one_line(self.subject), ""]
        if self.detail and self.detail.strip():
            lines += [printable(self.detail.strip()), ""]
        lines.append(f"Casefile-Action: {one_line(self.action)}")
        lines += [f"{one_line(key)}: {one_line(str(value))}" for key, value in self.trailers if key != "Casefile-Action"]
        return "\n".join(lines) + "\n"


class Change(Struct, frozen=True):
    """What one operation did to a record: its action, the words after `ID: `, and what goes with it."""

    action: str
    words: str
    trailers: Trailers = ()
    notes: tuple[str, ...] = ()  # for the person at the terminal: "issued survey SV-KMT-00417"
    detail: str | None = None  # the commit's paragraph (a note's text, a reason)
    scope: str | None = None  # what the subject names, when not the record's id (a report's month, a person)

    def with_(self, trailers: Mapping[str, str] | Iterable[tuple[str, str]] = (), notes: Iterable[str] = ()) -> Change:
        return Change(self.action, self.words, (*self.trailers, *trailers_of(trailers)),
                      (*self.notes, *notes), self.detail, self.scope)


class Done(Struct, frozen=True):
    """A committed command: the record as it is now, the commit subject and id, and notes for the user."""

    entry: RecordEntry
    subject: str
    commit: str
    notes: tuple[str, ...] = ()


def done(path: str, text: str, message: CommitMessage, commit: str, notes: tuple[str, ...] = ()) -> Done:
    data, body = read_plain(text, path)
    return Done(RecordEntry(path, data, body), message.subject, commit, notes)


def open_committed(txn: Transaction, path: str, missing: CasefileError) -> EditableRecord:
    """The committed record at `path` (as this transaction changed it already, if it did), ready to change;
    `missing` if there is none."""
    content = txn.staged(path)
    if content is None:
        raise missing
    return EditableRecord.parse(content.decode("utf-8"), path)


def refuse_existing(txn: Transaction, path: str, clash: CasefileError) -> None:
    """Raise `clash` if `path` is committed already (or lies in the work tree uncommitted)."""
    if txn.committed(path) is not None:
        raise clash


def raise_problems(record: EditableRecord, problems: list[Problem], hint: str | None = None) -> None:
    """Refuse to write a record that does not validate, naming the first problem and its line."""
    from casefile.records.problems import record_error  # the lines of a record, only when it is wrong

    if problems:
        error = record_error(record.render(), record.source, problems[0])
        if hint:
            error.hint = hint
        raise error
