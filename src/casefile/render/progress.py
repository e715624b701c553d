"""Progress bars for long work, shown on a terminal only.

Indexing 100,000 records the first time takes about half a minute; a person
at a terminal should see it move.  Cron, pipes and tests see nothing: a bar
draws only when its stream is a terminal and the work is big enough to be
worth watching.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import Protocol, TextIO

MIN_ITEMS = 1000  # below this the work takes well under a second


class Bar(Protocol):
    def update(self, done: int) -> None: ...

    def close(self) -> None: ...


Progress = Callable[[str, int], Bar]  # (what is being done, how many items) -> a bar


class _Silent:
    def update(self, done: int) -> None:
        return None

    def close(self) -> None:
        return None


class _TerminalBar:
    WIDTH = 30

    def __init__(self, stream: TextIO, label: str, total: int) -> None:
        self.stream, self.label, self.total = stream, label, total
        self.done = 0
        self.shown_at = 0.0
        self.started = time.monotonic()
        self._draw()

    def update(self, done: int) -> None:
        self.done = done
        if time.monotonic() - self.shown_at >= 0.1:
            self._draw()

    def close(self) -> None:
        self._draw()
        self.stream.write("\n")
        self.stream.flush()

    def _draw(self) -> None:
        share = self.done / self.total if self.total else 1.0
        filled = int(share * self.WIDTH)
        elapsed = time.monotonic() - self.started
        self.stream.write(
            f"\rcasefile: {self.label} [{'#' * filled}{'.' * (self.WIDTH - filled)}] "
            f"{self.done:,}/{self.total:,} {elapsed:.0f}s"
        )
        self.stream.flush()
        self.shown_at = time.monotonic()


def terminal_progress(stream: TextIO | None = None, min_items: int = MIN_ITEMS) -> Progress:
    """Bars on `stream` (standard error by default) when it is a terminal."""

    def start(label: str, total: int) -> Bar:
        target = stream or sys.stderr
        if total < min_items or not target.isatty():
            return _Silent()
        return _TerminalBar(target, label, total)

    return start


def no_progress(label: str, total: int) -> Bar:
    return _Silent()
