"""Carrying the record index between clones: `casefile index export FILE` and `index import FILE`.

The index is a cache keyed by git blob id (a record's content), so one made in
another clone, at an older commit, or in a shallow clone is still right for
every record whose content it holds: the next command lists the commit's
files (`git diff-tree` from the index's commit when this clone has it, else
`git ls-tree`) and parses only the contents it has not seen.  A scheduled
`check` in CI restores the file its last run exported instead of parsing the
whole repository again (`examples/ci/`).

The file is a compact copy (`VACUUM INTO`) compressed with gzip.  An import
checks the file is a whole index of this casefile version before it replaces
the clone's own, under the clone's write lock; a file from another version is
refused (the index would be rebuilt anyway).
"""

from __future__ import annotations

import gzip
import os
import shutil
import tempfile
from pathlib import Path

from casefile.errors import CasefileError, NotFound
from casefile.index.store import FORMAT, IndexCorrupt, compact_copy, copy_format, remove_index
from casefile.i18n import _
from casefile.values import Struct


class Carried(Struct, frozen=True):
    path: Path
    records: int
    size: int  # bytes of the compressed file


def export_index(index: Path, target: Path) -> Carried:
    """Write the index at `index` to `target`, compressed; the clone's index is left as it is."""
    if not index.is_file():
        raise NotFound(_("this clone has no record index yet"), _("run any reading command (casefile list) first"))
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=index.parent, prefix="export-") as folder:
        copy = Path(folder) / "index.sqlite"
        try:
            records = compact_copy(index, copy)
        except IndexCorrupt as error:
            raise CasefileError(_("the record index cannot be exported: {error}").format(error=error),
                          _("run casefile list to rebuild it, then export again")) from None
        partial = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        try:
            with open(copy, "rb") as raw, gzip.open(partial, "wb", compresslevel=6) as packed:
                shutil.copyfileobj(raw, packed, 1 << 20)
            os.replace(partial, target)
        finally:
            partial.unlink(missing_ok=True)
    return Carried(target, records, target.stat().st_size)


def import_index(archive: Path, index: Path) -> Carried:
    """Replace the index at `index` with the one in `archive` (written by `export_index`)."""
    if not archive.is_file():
        raise NotFound(_("{archive}: no such file").format(archive=archive), _("give the file `casefile index export` wrote"))
    index.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=index.parent, prefix="import-", suffix=".sqlite")
    unpacked = Path(name)
    try:
        try:
            with os.fdopen(handle, "wb") as out, gzip.open(archive, "rb") as packed:
                shutil.copyfileobj(packed, out, 1 << 20)
        except (OSError, EOFError) as error:
            raise CasefileError(_("{archive}: not an index export ({error})").format(archive=archive, error=error),
                          _("give the file `casefile index export` wrote")) from None
        try:
            found, records = copy_format(unpacked)
        except IndexCorrupt as error:
            raise CasefileError(_("{archive}: not a whole record index ({error})").format(archive=archive, error=error),
                          _("export it again with casefile index export")) from None
        if found != FORMAT:
            raise CasefileError(_("{archive}: an index of {value}, this is {FORMAT}").format(archive=archive, value=found or 'an unknown format', FORMAT=FORMAT),
                          _("export it again with this version of casefile (or just run it: the index is rebuilt)"))
        remove_index(index)
        os.replace(unpacked, index)
    finally:
        unpacked.unlink(missing_ok=True)
    return Carried(index, records, archive.stat().st_size)
