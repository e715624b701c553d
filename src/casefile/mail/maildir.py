"""A Maildir to poll: the messages not yet seen, and marking one seen once it is taken.

fetchmail, getmail and an MTA's local delivery write each message into `new/` (as a
whole file, renamed into place); a mail client moves it to `cur/` and adds flags.  A
message is unseen when it is in `new/`, or in `cur/` without the `S` flag.  Taking one
ends by moving it to `cur/` with `S` added; a run that dies before that leaves it unseen,
and the next run finds its Message-ID in the case that took it (so it is taken once).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from casefile.errors import CasefileError
from casefile.i18n import _
from casefile.values import Struct


class Delivered(Struct, frozen=True):
    key: str  # the file's name in new/ or cur/
    path: Path


class Maildir:
    def __init__(self, root: Path) -> None:
        self.root = root.expanduser()
        if not all((self.root / sub).is_dir() for sub in ("new", "cur", "tmp")):
            raise CasefileError(_("{root} is not a Maildir (it needs new/, cur/ and tmp/)").format(root=self.root),
                                _("point --maildir at the folder fetchmail or getmail delivers to"))

    def unseen(self) -> Iterator[Delivered]:
        """The unseen messages, oldest delivery first."""
        found = []
        for sub in ("new", "cur"):
            for entry in os.scandir(self.root / sub):
                if entry.name.startswith(".") or not entry.is_file():
                    continue
                if sub == "cur" and "S" in _flags(entry.name):
                    continue
                found.append((entry.stat().st_mtime, entry.name, Path(entry.path)))
        for _mtime, name, path in sorted(found):
            yield Delivered(name, path)

    def read(self, message: Delivered) -> bytes:
        return message.path.read_bytes()

    def mark_seen(self, message: Delivered) -> None:
        base, _sep, _info = message.key.partition(":2,")
        flags = "".join(sorted(set(_flags(message.key)) | {"S"}))
        target = self.root / "cur" / f"{base}:2,{flags}"
        try:
            os.replace(message.path, target)
        except FileNotFoundError:
            pass  # another reader moved it meanwhile: it is seen


def _flags(name: str) -> str:
    _base, sep, info = name.partition(":2,")
    return info if sep else ""
