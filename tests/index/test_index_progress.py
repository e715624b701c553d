"""The first indexing of a big repository: parsed in parallel, with a progress
bar on a terminal and nothing at all in a pipe or in cron."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
import tempfile

import pytest

from casefile.cases.listing import CaseFilter, select
from casefile.index.parse import PARALLEL_MIN
from casefile.records.file import read_record_file
from casefile.records.kinds import CASES
from clihelp import CLI, git

NOW = "2026-11-02T10:00:00+08:00"


@pytest.fixture
def big(cli: CLI) -> CLI:
    """A desk with PARALLEL_MIN + 100 cases (copies of one opened case), committed with plain git."""
    case = cli.open("Printer offline", "C", now=NOW)
    template = (cli.repo / f"cases/2026/11/{case}.md").read_text(encoding="utf-8")
    folder = cli.repo / "cases" / "2026" / "10"
    folder.mkdir(parents=True)
    for n in range(1, PARALLEL_MIN + 101):
        number = f"BCD-{n:05d}"
        text = template.replace(case, number).replace("Printer offline", f"Printer {n} offline")
        (folder / f"{number}.md").write_text(text, encoding="utf-8")
    git(cli.repo, "add", "cases")
    git(cli.repo, "-c", "user.name=Import", "-c", "user.email=import@casefile.invalid",
        "commit", "-q", "--no-verify", "-m", "Import old cases")
    return cli


def run_on_terminal(cli: CLI, *args: str) -> tuple[int, str, str]:
    """Run casefile with its standard error on a pseudo-terminal; stdout stays a pipe."""
    master, slave = pty.openpty()
    env = {**os.environ, "CASEFILE_REPO": str(cli.repo), "CASEFILE_NOW": NOW}
    with tempfile.TemporaryFile("w+") as out:  # a file, so a long answer cannot block on a full pipe
        process = subprocess.Popen([sys.executable, "-m", "casefile", *args], env=env, stdout=out, stderr=slave)
        os.close(slave)
        seen = b""
        while True:
            try:
                chunk = os.read(master, 4096)
            except OSError:  # the terminal closed: the process is done
                break
            if not chunk:
                break
            seen += chunk
        process.wait()
        os.close(master)
        out.seek(0)
        return process.returncode, out.read(), seen.decode("utf-8", "replace")


def test_first_indexing_in_a_pipe_prints_nothing_but_the_answer(big: CLI) -> None:
    root = big.repo
    expected = select((read_record_file(root, p) for p in CASES.files(root)), CaseFilter(everything=True))
    done = big.process("list", "--all", "--json")
    assert done.err == ""
    # The rows as parsed (their clocks are the SLA engine's business, tested elsewhere).
    assert [{k: v for k, v in row.items() if k != "sla"} for row in done.json] == json.loads(
        json.dumps(expected, default=str))


def test_first_indexing_on_a_terminal_shows_progress_and_then_none(big: CLI) -> None:
    code, out, terminal = run_on_terminal(big, "list")
    assert code == 0
    assert f"indexing cases/ [{'#' * 30}] {PARALLEL_MIN + 101:,}/{PARALLEL_MIN + 101:,}" in terminal
    assert "Printer 7 offline" in out and "indexing" not in out
    code, _out, terminal = run_on_terminal(big, "list")
    assert code == 0 and terminal == ""
