"""What a hand-written YAML file reads as, kept by its text, so it is not parsed on every command.

`policy.yaml` and `people.yaml` have comments, so the house reader leaves them to ruamel: the policy
alone takes ruamel 3-7 ms, and every command reads both.  `load_kept` keeps what `yamlio.load_plain`
gave for a text in the clone's state folder (`.git/casefile/plain/`, never committed):

* keyed by the SHA-1 of the text and by `yamlio.reader_stamp()` (the Python, ruamel and the reader's
  own files), so an edit, an upgrade or a changed reader never meets an old value;
* in marshal, which gives back the plain types exactly: integer keys stay integers, `True` stays a
  bool, a float keeps every bit (JSON would give none of these);
* only a text that read without a problem is kept, so a mistake is found, and said, every time;
* an entry starts with the SHA-1 of what follows; a missing, unreadable or damaged entry is read again
  from the text and written anew, and a clone whose state folder cannot be written to reads every time.
"""

from __future__ import annotations

import hashlib
import marshal
import os
from pathlib import Path
from typing import Any

from casefile.records.yamlio import load_plain, reader_stamp
from casefile.render.output import write_atomic

FOLDER = "plain"
KEEP = 64  # entries kept: a desk's policy and people, their older versions and the calendars


def load_kept(text: str, source: str, state_dir: Path | None) -> Any:
    """`load_plain(text, source)`, from the entry kept for this text when there is one."""
    stamp = reader_stamp()
    if state_dir is None or stamp is None:
        return load_plain(text, source)
    digest = hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()
    path = state_dir / FOLDER / f"{digest}-{stamp}"
    try:
        kept = path.read_bytes()
        if hashlib.sha1(kept[20:]).digest() == kept[:20]:
            return marshal.loads(kept[20:])
    except (OSError, EOFError, ValueError, TypeError):
        pass
    # Not kept yet, or damaged (the entry's own SHA-1 is checked: a flipped byte is not a new value).
    value = load_plain(text, source)  # a problem is raised here, and nothing is kept
    data = marshal.dumps(value)
    _keep(path, hashlib.sha1(data).digest() + data)
    return value


def _keep(path: Path, data: bytes) -> None:
    """Write the entry whole or not at all (another command reading it sees all or nothing)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, data)
        _prune(path.parent)
    except OSError:  # a clone whose state folder cannot be written to reads the text every time
        pass


def _prune(folder: Path) -> None:
    """Keep the `KEEP` entries written last (a desk that edits its policy daily for years); one pruned
    while still in use is read from its text once more and written again."""
    entries = [entry for entry in os.scandir(folder) if not entry.name.startswith(".")]
    if len(entries) <= KEEP:
        return
    entries.sort(key=lambda entry: entry.stat().st_mtime_ns)
    for entry in entries[: len(entries) - KEEP]:
        Path(entry.path).unlink(missing_ok=True)
