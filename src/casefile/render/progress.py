"""Progress on a terminal for long work — and nothing at all in cron, pipes and tests.

Two shapes, one owner:

* a *bar* (`Progress`): indexing 100,000 records the first time takes about half
  a minute; a person at a terminal should see it move.  It draws only when its
  stream is a terminal and the work is big enough to be worth watching.
* a *stage line* (`Stages`): a long report says what it is reading
  (`reading cases 2026/11 4000`, `evaluating service levels [####....] 812/3000`),
  only once a read has taken longer than a moment (`CASEFILE_PROGRESS_DELAY`
  seconds, default 0.5), so short reports do not flicker; it is cleared when
  the report is done.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from typing import Protocol, TextIO

MIN_ITEMS = 1000  # below this the work takes well under a second


class Bar(Protocol):
    def update(self, done: int) -> None: ...

    def close(self) -> None: ...


Progress = Callable[[str, int], Bar]  # (what is being done, how many items) -> a bar
Stages = Callable[[str, int, "int | None"], None]  # (stage, done, total or None): how far a long read has come


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


def no_stages(stage: str, done: int, total: int | None) -> None:
    return None


LINE_WIDTH = 24


class TerminalStages:
    def __init__(self, stream: TextIO, delay: float) -> None:
        self.stream = stream
        self.started = time.monotonic()
        self.delay = delay
        self.shown = False

    def __call__(self, stage: str, done: int, total: int | None) -> None:
        if time.monotonic() - self.started < self.delay:
            return
        if total:
            filled = LINE_WIDTH * done // total
            line = f"{stage} [{'#' * filled}{'.' * (LINE_WIDTH - filled)}] {done}/{total}"
        else:
            line = f"{stage} {done}"
        self.stream.write("\r\x1b[2K" + line)
        self.stream.flush()
        self.shown = True

    def finish(self) -> None:
        if self.shown:
            self.stream.write("\r\x1b[2K")
            self.stream.flush()


def terminal_stages(stream: TextIO | None = None) -> TerminalStages | None:
    """A stage line if `stream` (default stderr) is a terminal, else None."""
    stream = stream or sys.stderr
    if not stream.isatty():
        return None
    try:
        delay = float(os.environ.get("CASEFILE_PROGRESS_DELAY", "0.5"))
    except ValueError:
        delay = 0.5
    return TerminalStages(stream, delay)
