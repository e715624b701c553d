"""Timing whole `casefile` processes: wall time, CPU time and peak memory of each run.

Each run is a fresh `python -m casefile ...` process, as a user or cron runs
it.  Peak memory is the `ru_maxrss` that `os.wait4` reports for that one
child (the largest resident size of the process and of the git processes it
waited for); CPU time is its user + system time, the git processes' included.  Output goes to a file, not a pipe, so a long `--json` is not
slowed by the reader.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Sample:
    seconds: float
    peak_kb: int
    code: int
    error: str
    cpu_seconds: float = 0.0


@dataclass(frozen=True)
class Summary:
    median_ms: float
    peak_mb: float
    runs: int
    failed: str | None  # the first failure's message, if any run failed
    median_cpu_ms: float = 0.0

    def cell(self) -> str:
        if self.failed:
            return f"failed: {self.failed}"
        return f"{self.median_ms:,.0f}"


def run_once(argv: list[str], env: dict[str, str], cwd: Path) -> Sample:
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen([sys.executable, "-m", "casefile", *argv], cwd=cwd, env=env,
                                   stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        _pid, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        message = err.read().decode("utf-8", "replace").strip().splitlines()
    return Sample(seconds, int(usage.ru_maxrss), process.returncode, message[-1] if message else "",
                  usage.ru_utime + usage.ru_stime)


def summarise(samples: list[Sample]) -> Summary:
    failed = next((s for s in samples if s.code != 0), None)
    return Summary(
        median_ms=statistics.median(s.seconds for s in samples) * 1000,
        peak_mb=max(s.peak_kb for s in samples) / 1024,
        runs=len(samples),
        failed=f"exit {failed.code}: {failed.error[:80]}" if failed else None,
        median_cpu_ms=statistics.median(s.cpu_seconds for s in samples) * 1000,
    )
