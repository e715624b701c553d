"""casefile run on a pseudo-terminal, as a person at a terminal runs it (colour, pager, prompts)."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path


def on_pty(args: list[str], cwd: Path, env: dict[str, str], columns: int = 80, rows: int = 10,
           answer: bytes | None = None) -> tuple[int, str]:
    """(exit code, everything it or its pager wrote) on a terminal of the given size; `answer` is typed the
    first time it asks (prints a `?`)."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    process = subprocess.Popen([sys.executable, "-m", "casefile", *args], cwd=cwd, env=env,
                               stdin=slave, stdout=slave, stderr=slave, close_fds=True)
    os.close(slave)
    out, deadline, answered = b"", time.monotonic() + 60, answer is None
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            if not chunk:
                break
            out += chunk
            if not answered and b"?" in out:
                assert answer is not None
                os.write(master, answer)
                answered = True
        elif process.poll() is not None:
            break
    os.close(master)
    return process.wait(timeout=30), out.decode("utf-8", "replace")
