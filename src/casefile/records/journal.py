"""The commit journal, `.git/casefile/journal.json`: the commit a command made and the files it changed,
written before the branch moves and removed once the work tree matches (see `transaction`).

Its own module because every command asks whether one was left behind, and most commands write nothing.
"""

from __future__ import annotations

import json
from pathlib import Path

from casefile.render.output import write_atomic

JOURNAL_FILE = "journal.json"


def pending_repair(state_dir: Path) -> bool:
    """A command was cut off after its commit: the next one finishes it (`transaction.repair`)."""
    return (state_dir / JOURNAL_FILE).exists()


class Journal:
    def __init__(self, state_dir: Path) -> None:
        self.path = state_dir / JOURNAL_FILE

    def write(self, commit: str, ref: str, blobs: dict[str, str | None], action: str) -> None:
        record = {"commit": commit, "ref": ref, "paths": blobs, "action": action}
        write_atomic(self.path, json.dumps(record).encode("utf-8"))

    def read(self) -> dict[str, object] | None:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except ValueError:
            return {}
        return data if isinstance(data, dict) else {}

    def remove(self) -> None:
        self.path.unlink(missing_ok=True)
