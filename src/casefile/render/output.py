"""Writing a file whole or not at all: the one place a file is written beside and renamed.

Used for everything casefile writes outside git's objects: the work-tree files
of a commit, the journal, the station state, the outbox, reports given `-o`.
A reader (or a crash) sees the old file or the new one, never half of one.
"""

from __future__ import annotations

import os
from pathlib import Path


def write_atomic(path: Path, data: bytes, *, scratch: Path | None = None, sync: bool = False) -> None:
    """Write `data` to `path` by way of a file beside it (or in `scratch`, on the same file system),
    renamed over it; with `sync`, on disk before the rename (mail that must survive a power cut)."""
    tmp = (scratch or path.parent) / f".{path.name}.{os.getpid()}.tmp"
    try:
        with open(tmp, "wb") as handle:
            handle.write(data)
            if sync:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
