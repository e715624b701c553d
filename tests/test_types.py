"""The library and the benchmarks type-check (mypy, configured in pyproject.toml): part of the suite, so
the README's one test command and `.ci/run` run it too."""

from __future__ import annotations

import subprocess
import sys

from clihelp import ROOT


def test_mypy_finds_no_error_in_the_library_or_the_bench() -> None:
    done = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("Success: no issues found")
