"""`casefile merge-driver`: git's merge driver for records.

`casefile setup` (and `sync`, `clone`, `init`) configure it for this clone,

    git config merge.casefile.driver "'/path/to/python' -m casefile merge-driver %O %A %B %P"

and `.gitattributes` sends every `*.md` file to it (`*.md merge=casefile`).
git runs it for each file changed on both sides of a merge: %O is the common
version (an empty file when there is none), %A ours — the result is written
there —, %B theirs, %P the file's path.  Exit 0 means merged; anything else
leaves a conflict in %A with git's usual markers, which `validate` and the
pre-commit hook refuse.  A file that is not a record (no front matter) is
merged as plain text, exactly as git would.  What it says (on stderr, and the `merged` event's and the body's
words) is in the desk's language: git runs it in the working tree, where `casefile` reads the language from
policy.yaml (or CASEFILE_LANG), as for any command.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from casefile.git.history import merge_texts
from casefile.i18n import _
from casefile.merge.body import MARKER_SIZE
from casefile.merge.record import DifferentRecords, NotARecord, merge_record
from casefile.values import Struct

LABELS = ("ours", "common version", "theirs")


class DriverResult(Struct, frozen=True):
    clean: bool
    message: str | None = None


def _read(path: Path) -> str | None:
    try:
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        return None


def run_driver(base: Path, ours: Path, theirs: Path, path: str) -> DriverResult:
    """Merge `theirs` into `ours` (written in place); clean or left in conflict."""
    texts = [_read(p) for p in (base, ours, theirs)]
    if any(text is None for text in texts):
        return DriverResult(False, _("{path}: not UTF-8 text; left for you to merge").format(path=path))
    base_text, ours_text, theirs_text = (text or "" for text in texts)
    try:
        merged = merge_record(base_text or None, ours_text, theirs_text, path,
                              partial(merge_texts, labels=LABELS, marker_size=MARKER_SIZE))
    except NotARecord:
        return _as_text(base_text, ours_text, theirs_text, ours, None)
    except DifferentRecords as error:
        return _as_text(base_text, ours_text, theirs_text, ours, _("{path}: {error}; left in conflict").format(path=path, error=error))
    ours.write_bytes(merged.text.encode("utf-8"))
    if not (merged.resolutions or merged.notes):
        return DriverResult(True)
    count = len(merged.resolutions) + len(merged.notes)
    return DriverResult(True, _("merged {path}: settled {count} difference(s) by the merge rules (see its 'merged' "
                                "event)").format(path=path, count=count))


def _as_text(base: str, ours: str, theirs: str, target: Path, message: str | None) -> DriverResult:
    merged = merge_texts(base, ours, theirs, LABELS)
    target.write_bytes(merged.text.encode("utf-8"))
    return DriverResult(merged.conflicts == 0, message)
