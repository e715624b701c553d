"""`casefile attach`: files kept with a case, in one commit with the entry that lists them.

Every file is checked before anything is written: it must be a readable file, no larger than
`attachments.max_size`; one that is not refuses the whole command (nothing written).  A path that
`.gitattributes` puts in Git LFS is stored through git-lfs (`git.lfs`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

from casefile.cases.attachments import AttachmentRefused, attachments_of, files_entry, free_path, safe_name
from casefile.cases.model import CaseDoc, EventKind, Visibility
from casefile.cases.timespent import record_spent
from casefile.cases.work import CaseWork
from casefile.policy.attachments import size_text
from casefile.records import yamlio
from casefile.records.change import Change, Done
from casefile.session import Edit, Session
from casefile.i18n import _
from casefile.values import Struct


class Incoming(Struct, frozen=True):
    """A file to keep: its name as given and its bytes."""

    name: str
    data: bytes


class Attached(Struct, frozen=True):
    done: Done
    files: tuple[dict[str, Any], ...]


def read_files(paths: Sequence[Path], limit: int) -> list[Incoming]:
    """The files to attach, refused before any is read whole when one is over `limit` or unreadable."""
    if not paths:
        raise AttachmentRefused(_("name at least one file to attach"), _("casefile attach KMT-00417 printer-log.txt"))
    for path in paths:
        if not path.is_file():
            raise AttachmentRefused(_("{path} is not a file").format(path=path), _("name files (a folder: zip it first)"))
        size = path.stat().st_size
        if size > limit:
            raise AttachmentRefused(
                _("{name} is {size_text}, over the attachment limit of {size_text2}").format(name=path.name, size_text=size_text(size), size_text2=size_text(limit)),
                _("shrink or split it, or raise attachments.max_size in policy.yaml"))
    found = []
    for path in paths:
        try:
            data = path.read_bytes()
        except OSError as error:
            raise AttachmentRefused(_("cannot read {path}: {strerror}").format(path=path, strerror=error.strerror)) from None
        if len(data) > limit:  # it grew while we looked
            raise AttachmentRefused(_("{name} is over the attachment limit of {size_text}").format(name=path.name, size_text=size_text(limit)))
        found.append(Incoming(path.name, data))
    return found


def store_file(edit: Edit, path: str, data: bytes) -> bool:
    """Write a kept file in `edit`'s commit — through Git LFS when `.gitattributes` puts `path` there
    (refused when git-lfs is not set up in this clone); whether it went to LFS."""
    from casefile.git import lfs

    if not lfs.wants_lfs(edit.txn.repo, path):
        edit.txn.write_bytes(path, data)
        return False
    lfs.require_lfs(edit.txn.repo, path)
    edit.txn.write_stored(path, data, lfs.store(edit.txn.repo, path, data))
    return True


class AttachmentWork:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.cases = CaseWork(session)

    @property
    def limit(self) -> int:
        return self.session.policy.attachments.max_size

    def attach(self, case_number: str, files: Sequence[Incoming], public: bool = False, text: str | None = None,
               spent: timedelta | None = None) -> Attached:
        kept: list[dict[str, Any]] = []

        def step(doc: CaseDoc, at: str, by: str) -> Change:
            names = ", ".join(safe_name(f.name) for f in files)
            description = (text or "").strip() or f"Attached {names}" + (" (the customer may see it)" if public else "")
            doc.add_event(at, by, EventKind.ATTACHED, description, {"files": []}, Visibility.INTERNAL)
            record_spent(doc.data["events"][-1], spent)
            count = f"{len(files)} files" if len(files) > 1 else names
            return Change("attach", f"attach {count}" + (" (public)" if public else ""))

        def write(edit: Edit, doc: CaseDoc) -> Change:
            kept.extend(self.keep(edit, doc.id, files, public))
            doc.data["events"][-1]["fields"]["files"] = yamlio.to_block(kept)
            return Change("", "", notes=tuple(f"kept {k['path']} ({size_text(k['size'])}{', Git LFS' if k.get('lfs') else ''})"
                                               for k in kept))

        done = self.cases.update(case_number, step, text, also=write)
        return Attached(done, tuple(kept))

    def keep(self, edit: Edit, case_id: str, files: Sequence[Incoming], public: bool) -> list[dict[str, Any]]:
        """Write `files` into the case's folder in `edit`'s commit; their `files` entries."""
        kept = []
        for item in files:
            if len(item.data) > self.limit:
                raise AttachmentRefused(_("{name} is {size_text}, over the attachment limit of {size_text2}").format(name=item.name, size_text=size_text(len(item.data)), size_text2=size_text(self.limit)), _("raise attachments.max_size in policy.yaml"))
            path = free_path(case_id, item.name, lambda p: p in edit.txn.writes or (self.session.root / p).exists())
            in_lfs = store_file(edit, path, item.data)
            kept.append(files_entry(path, path.rsplit("/", 1)[1], len(item.data), public, in_lfs))
        return kept

    def listed(self, case_number: str) -> list[dict[str, Any]]:
        return [a.as_json() for a in attachments_of(self.cases.entry(case_number).data)]
