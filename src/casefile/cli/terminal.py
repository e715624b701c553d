"""Manners on a terminal: colour, a pager for long output, the terminal's width — and none of it in a pipe.

- Colour (`--color auto|always|never`): `auto` colours when standard output is a terminal, unless
  `NO_COLOR` is set (https://no-color.org); `CLICOLOR_FORCE` (not `0`) colours a pipe too.  Colour is
  laid over text already made printable (`render.printable`), so nothing a record holds reaches the
  terminal raw: only the escapes added here do.
- A pager for output longer than the screen, as git does: `CASEFILE_PAGER`, else `PAGER`, else
  `less -FRX` (`LESS=FRX` unless set); an empty value or `cat` means none.  Only when standard output
  is a terminal.
- The width: tables are fitted to the terminal's columns (`COLUMNS` wins), by display width; in a
  pipe rows are never cut.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterable
from typing import IO, Any

import click

DEFAULT_PAGER = "less -FRX"

RESET = "\x1b[0m"
STYLES = {
    "breach": "\x1b[1;31m",  # bold red: a breached commitment, an overdue deadline
    "warning": "\x1b[33m",  # yellow: a warning, a level-B case
    "paused": "\x1b[36m",  # cyan: a clock paused, a pending case
    "level-a": "\x1b[1;31m",
    "level-b": "\x1b[33m",
}

# What is coloured where: (pattern, style); the first group is coloured when there is one.
_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^[A-Z]{3}-\d{5}\s+(A)\s", re.M), "level-a"),
    (re.compile(r"^[A-Z]{3}-\d{5}\s+(B)\s", re.M), "level-b"),
    (re.compile(r"(?<=\s)(![a-z][\w-]*(?: \d\d-\d\d \d\d:\d\d)?)"), "breach"),
    (re.compile(r"\b(BREACH(?:ED)?|OVERDUE|breached|overdue)\b"), "breach"),
    (re.compile(r"\b(WARNING|WARN|warning)\b"), "warning"),
    (re.compile(r"\b(paused|pending)\b"), "paused"),
)


def _settings() -> dict[str, Any]:
    ctx = click.get_current_context(silent=True)
    root = ctx.find_root() if ctx else None
    return root.obj if root is not None and isinstance(root.obj, dict) else {}


def _is_tty(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def colour_wanted(stream: IO[str] | None = None) -> bool:
    choice = _settings().get("color", "auto")
    if choice == "always":
        return True
    if choice == "never":
        return False
    if os.environ.get("NO_COLOR"):
        return False
    force = os.environ.get("CLICOLOR_FORCE")
    if force and force != "0":
        return True
    return _is_tty(stream or sys.stdout) and os.environ.get("TERM") != "dumb"


def paint(text: str) -> str:
    """`text` (already printable) with breaches, warnings, paused clocks and levels A and B coloured."""
    spans: list[tuple[int, int, str]] = []
    for pattern, style in _PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span(1) if match.groups() else match.span()
            if not any(s < end and start < e for s, e, _ in spans):
                spans.append((start, end, style))
    out, at = [], 0
    for start, end, style in sorted(spans):
        out += [text[at:start], STYLES[style], text[start:end], RESET]
        at = end
    out.append(text[at:])
    return "".join(out)


def columns() -> int | None:
    """The terminal's width when standard output is one (`COLUMNS` wins), else None: a pipe is never cut."""
    if not _is_tty(sys.stdout):
        return None
    return shutil.get_terminal_size().columns


class _Pager:
    process: subprocess.Popen[bytes] | None = None
    gone = False


_pager = _Pager()


def pager_command() -> str | None:
    for name in ("CASEFILE_PAGER", "PAGER"):
        if name in os.environ:
            value = os.environ[name].strip()
            return None if value in ("", "cat") else value
    return DEFAULT_PAGER


def _start_pager() -> subprocess.Popen[bytes] | None:
    command = pager_command()
    if command is None:
        return None
    try:
        program = shlex.split(command)[0]
    except (ValueError, IndexError):
        return None
    if shutil.which(program) is None:
        return None
    env = {**os.environ}
    env.setdefault("LESS", "FRX")
    env.setdefault("LV", "-c")
    sys.stdout.flush()
    try:
        return subprocess.Popen(command, shell=True, stdin=subprocess.PIPE, env=env)
    except OSError:
        return None


def write(text: str) -> None:
    """Print `text` (already printable) for a person on standard output: coloured when wanted, through the
    pager when it is longer than the screen and standard output is a terminal."""
    coloured = colour_wanted()
    if coloured:
        text = paint(text)
    if _pager.gone:
        return
    if _pager.process is None and _is_tty(sys.stdout) and text.count("\n") + 1 >= shutil.get_terminal_size().lines:
        _pager.process = _start_pager()
    process = _pager.process
    if process is not None and process.stdin is not None:
        try:
            process.stdin.write((text + "\n").encode("utf-8"))
        except BrokenPipeError:
            _pager.gone = True  # the reader quit the pager: the rest is not wanted
        return
    click.echo(text, color=coloured or None)


_CHUNK_LINES = 1000  # lines a chunk `write_lines` sends into a pipe or a file


def write_lines(lines: Iterable[str]) -> None:
    """`write` for a text made line by line (already printable).  For a terminal the whole text, which
    decides the pager and the colours; into a pipe or a file (cron) lines go out as they come, a chunk
    at a time, so a report of 200,000 lines is never held whole."""
    if colour_wanted() or _pager.process is not None or _is_tty(sys.stdout):
        text = "\n".join(lines)
        if text:
            write(text)
        return
    chunk: list[str] = []
    for line in lines:
        chunk.append(line)
        if len(chunk) == _CHUNK_LINES:
            click.echo("\n".join(chunk))
            chunk.clear()
    if chunk:
        click.echo("\n".join(chunk))


def close_pager() -> None:
    """Wait for the pager to finish (the person reads, then quits it)."""
    process, _pager.process = _pager.process, None
    _pager.gone = False
    if process is None:
        return
    try:
        if process.stdin is not None:
            process.stdin.close()
    except BrokenPipeError:
        pass
    while True:
        try:
            process.wait()
            return
        except KeyboardInterrupt:  # as git does: ^C belongs to the pager while it runs
            continue
