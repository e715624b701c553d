"""A progress line on stderr for long reports — only when stderr is a terminal.

cron, pipes and tests (stderr not a TTY) get nothing.  The line appears only
once a read has taken longer than a moment (`CASEFILE_PROGRESS_DELAY`
seconds, default 0.5), so short reports do not flicker, and is cleared when
the report is done.
"""

from __future__ import annotations

import os
import sys
import time
from typing import TextIO

WIDTH = 24


class TerminalProgress:
    def __init__(self, stream: TextIO, delay: float) -> None:
        self.stream = stream
        self.started = time.monotonic()
        self.delay = delay
        self.shown = False

    def __call__(self, stage: str, done: int, total: int | None) -> None:
        if time.monotonic() - self.started < self.delay:
            return
        if total:
            filled = WIDTH * done // total
            line = f"{stage} [{'#' * filled}{'.' * (WIDTH - filled)}] {done}/{total}"
        else:
            line = f"{stage} {done}"
        self.stream.write("\r\x1b[2K" + line)
        self.stream.flush()
        self.shown = True

    def finish(self) -> None:
        if self.shown:
            self.stream.write("\r\x1b[2K")
            self.stream.flush()


def progress_for(stream: TextIO | None = None) -> TerminalProgress | None:
    """A progress line if `stream` (default stderr) is a terminal, else None."""
    stream = stream or sys.stderr
    if not stream.isatty():
        return None
    try:
        delay = float(os.environ.get("CASEFILE_PROGRESS_DELAY", "0.5"))
    except ValueError:
        delay = 0.5
    return TerminalProgress(stream, delay)
