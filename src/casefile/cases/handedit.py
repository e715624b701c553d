"""What a person typed in $EDITOR and casefile did not take: kept, and offered again.

A rejected `casefile edit CASE` (the record does not validate, or the case changed meanwhile) keeps the
edit in `.git/casefile/edits/CASE.md` with the committed text it started from (`CASE.base.md`); the next
`edit CASE` starts from it, and refuses when the case has changed since (the kept edit would undo that).
A description typed for `casefile open` that then failed is kept as `edits/open.md` for the next `open`.
These files are never in the work tree or a commit; a taken edit or `--discard` removes them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from casefile.cases.model import CaseDoc, EventKind
from casefile.errors import CasefileError
from casefile.records.change import Change, Done
from casefile.records.file import EditableRecord, read_plain, split
from casefile.records.kinds import CASES
from casefile.records.numbers import CaseNotFound
from casefile.render.output import write_atomic
from casefile.session import Edit, Session
from casefile.i18n import _
from casefile.values import Struct

OPEN = "open"  # the kept description of a case not opened


class Kept(Struct, frozen=True):
    path: Path  # what the person typed, to read or copy
    text: str
    base: str | None  # the committed record the edit started from (None: a description for `open`)


class KeptEdits:
    """The kept edits of this clone, by name: a case id, or OPEN."""

    def __init__(self, state_dir: Path) -> None:
        self.folder = state_dir / "edits"

    def _paths(self, name: str) -> tuple[Path, Path]:
        return self.folder / f"{name}.md", self.folder / f"{name}.base.md"

    def keep(self, name: str, text: str, base: str | None = None) -> Path:
        path, base_path = self._paths(name)
        self.folder.mkdir(parents=True, exist_ok=True)
        if base is not None:
            write_atomic(base_path, base.encode("utf-8"))
        else:
            base_path.unlink(missing_ok=True)
        write_atomic(path, text.encode("utf-8"))
        return path

    def get(self, name: str) -> Kept | None:
        path, base_path = self._paths(name)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None
        try:
            base: str | None = base_path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            base = None
        return Kept(path, text, base)

    def discard(self, name: str) -> bool:
        path, base_path = self._paths(name)
        had = path.exists()
        path.unlink(missing_ok=True)
        base_path.unlink(missing_ok=True)
        return had


def kept_edits(session: Session) -> KeptEdits:
    return KeptEdits(session.state_dir)


class HandEdits:
    """`desk.hand_edits`: the kept edit of a case, the kept description of a case not opened."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.store = kept_edits(session)

    def kept(self, case_number: str) -> Kept | None:
        """The kept edit of a case, if there is one that `edit` would start from (not one the case has
        moved on from since: `edit` refuses that one)."""
        case_id, path = self.session.catalog.locate(case_number)
        kept = self.store.get(case_id)
        if kept is None or kept.base is None:
            return kept
        try:
            current = (self.session.root / path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None
        return kept if kept.base == current else None

    def kept_description(self) -> Kept | None:
        return self.store.get(OPEN)

    def keep_description(self, text: str) -> Path:
        return self.store.keep(OPEN, text)

    def drop_description(self) -> None:
        self.store.discard(OPEN)


def edit(session: Session, case_number: str, run_editor: Callable[[str], str], discard: bool = False) -> Done | None:
    """Let a person edit the record in $EDITOR — from the kept edit of a rejected one, unless `discard` —
    then validate and commit it, or keep it aside again.  None: nothing changed."""
    store = kept_edits(session)
    case_id, path = session.catalog.locate(case_number)
    before = (session.root / path).read_text(encoding="utf-8")
    if discard:
        store.discard(case_id)
    kept = store.get(case_id)
    if kept is not None and kept.base is not None and kept.base != before:
        raise CasefileError(
            _("{case_id} changed since your edit of it was kept").format(case_id=case_id),
            _("your edit is in {path}; `casefile edit {case_id} --discard` starts again from the case as it is now")
            .format(path=kept.path, case_id=case_id))
    start = kept.text if kept is not None else before
    after = run_editor(start)
    if after == start:
        return None  # not saved: a kept edit stays kept
    if after == before:
        store.discard(case_id)
        return None

    def rejected(error: CasefileError) -> CasefileError:
        where = store.keep(case_id, after, before)
        error.hint = _("your edit is kept in {path}; `casefile edit {case_id}` reopens it").format(
            path=where, case_id=case_id)
        return error

    try:
        old, __ = read_plain(before, path)
        record = EditableRecord.parse(after, path)
        if record.data.get("id") != case_id:
            raise CasefileError(_("the case number cannot change (it is {case_id})").format(case_id=case_id), _("put the id back"))
        session.validate(CASES, record)
    except CasefileError as error:
        raise rejected(error) from None
    changed = sorted(k for k in set(old) | set(record.data) if old.get(k) != record.data.get(k))
    if record.body != split(before, path).body:
        changed.append("description")

    def take_edit(edit: Edit) -> Change:
        committed = edit.txn.committed(path)
        if committed is None or committed.decode("utf-8") != before:
            raise CasefileError(_("{case_id} changed while you were editing").format(case_id=case_id))
        edit.record.data, edit.record.body, edit.record.indent = record.data, record.body, record.indent
        CaseDoc(edit.record.data, edit.record.body).add_event(
            edit.at, edit.by, EventKind.EDITED, fields={"changed": changed})
        return Change("edit", "edit by hand: " + (", ".join(changed) or "layout"))

    try:
        done = session.change(CASES, case_id, take_edit, path=path, missing=CaseNotFound(case_id))
    except CasefileError as error:
        raise rejected(error) from None
    store.discard(case_id)
    return done
