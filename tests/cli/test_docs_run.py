"""Every code block of README.md and docs/*.md is either run, as written, or is data — and says which.

How a block is treated is its fence's language:

* `sh` — run by bash (`set -e`: the first failing command fails the block), every line, as a reader would paste it;
* `console` — a transcript: the lines starting with `$ ` are run, the others are output (not compared);
* `python` — run by this interpreter;
* `yaml`, `json`, `ini`, `markdown`, `jinja`, `text`, `crontab` — data, shown, never run.

A fence without a language, or with another one, fails this test: say what the block is.

Each file runs in its own scratch desk, made as a new desk is: `casefile init --as wang.fang
--station KMT` with `CASEFILE_NOW` fixed at NOW, `CASEFILE_ACTOR=wang.fang`, the desk as the working
folder, and `casefile` on PATH.  The blocks of a file run in order in that one desk, so a walk-through
builds on what its earlier blocks did.

Two comments, directly before a fence (HTML comments: a reader of the rendered page never sees them):

* `<!-- docs-test: setup` ... `-->` — shell lines run before the block, to make the state it assumes
  (the people, customers and cases a reference block names).  Keep them short and realistic; `$TESTS`
  is the tests folder, for a fixture file (a State Council notice).
* `<!-- docs-test: write FILE -->` — a data block (a rota.yaml, a notice) is also written to FILE in the
  desk, as the reader would save it; a later setup commits it if the commands need it committed.
* `<!-- docs-test: skip: REASON -->` — the block must not run here (it installs a package, reaches a
  real server, needs root).  The reason is required and is printed by this test; SKIP_BUDGET bounds
  how many there are, so a new skip is a visible change of this file.

A failure names the file, the line of the command in it, and the command.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from clihelp import ROOT

NOW = "2026-12-02T10:00:00+08:00"  # a Wednesday: November's reports can be issued, the demo day is past
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
RUN = {"sh", "console", "python"}
DATA = {"yaml", "json", "ini", "markdown", "jinja", "text", "crontab"}
SKIP_BUDGET = 12  # raise it only with a reason in the block's skip comment

_FENCE = re.compile(r"^```(.*)$")
_SETUP = re.compile(r"<!--\s*docs-test:\s*setup\s*\n(.*?)-->", re.S)
_WRITE = re.compile(r"<!--\s*docs-test:\s*write\s+(\S+)\s*-->")
_SKIP = re.compile(r"<!--\s*docs-test:\s*skip:\s*(.+?)\s*-->")


@dataclass
class Block:
    path: Path
    line: int  # of the fence
    language: str
    lines: list[str]
    setup: str = ""
    skip: str | None = None
    write: str | None = None
    extra: list[str] = field(default_factory=list)

    @property
    def where(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}"


def blocks(path: Path) -> list[Block]:
    text = path.read_text(encoding="utf-8").splitlines()
    found, index = [], 0
    while index < len(text):
        match = _FENCE.match(text[index])
        if not match:
            index += 1
            continue
        start = index
        end = next(i for i in range(start + 1, len(text)) if text[i].startswith("```"))
        block = Block(path, start + 1, match.group(1).strip().split(" ")[0], text[start + 1 : end])
        before = "\n".join(text[max(0, start - 40) : start]).rstrip()
        comment = before[before.rfind("<!--"):] if before.endswith("-->") else ""  # the one right above
        if (setup := _SETUP.fullmatch(comment)) is not None:
            block.setup = setup.group(1)
        if (skip := _SKIP.fullmatch(comment)) is not None:
            block.skip = skip.group(1)
        if (write := _WRITE.fullmatch(comment)) is not None:
            block.write = write.group(1)
        found.append(block)
        index = end + 1
    return found


ALL = [block for path in DOCS for block in blocks(path)]


def test_every_block_says_whether_it_runs() -> None:
    unknown = [f"{b.where}: ```{b.language or '(none)'}" for b in ALL if b.language not in RUN | DATA]
    assert not unknown, "say what each block is (" + ", ".join(sorted(RUN | DATA)) + "):\n" + "\n".join(unknown)
    skipped = [f"{b.where}: {b.skip}" for b in ALL if b.skip is not None]
    assert len(skipped) <= SKIP_BUDGET, "too many blocks are not run:\n" + "\n".join(skipped)
    assert all(len(b.skip.split()) >= 3 for b in ALL if b.skip is not None), "a skip says why, in words"


def _script(block: Block) -> tuple[str, list[int]]:
    """The shell text of the block and, for each of its lines, the line in the Markdown file."""
    if block.language == "console":
        picked = [(i, line[2:]) for i, line in enumerate(block.lines) if line.startswith("$ ")]
    else:
        picked = list(enumerate(block.lines))
    return "\n".join(line for _i, line in picked) + "\n", [block.line + 1 + i for i, _line in picked]


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CASEFILE_", "GIT_"))}
    env.update({
        "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin", "HOME": str(home), "CASEFILE_NOW": NOW,
        "CASEFILE_ACTOR": "wang.fang", "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": str(home / ".gitconfig"),
        "PAGER": "cat", "EDITOR": "false", "CASEFILE_LOCK_WAIT": "10", "TESTS": str(ROOT / "tests"),
    })
    return env


# Runs the block's lines, and on the first failure says which line (of the script) and which command.
_PRELUDE = "set -eE\ntrap 'echo \"@@ $LINENO $BASH_COMMAND\" >> \"$DOCS_TEST_REPORT\"' ERR\n"


def _run_shell(block: Block, desk: Path, env: dict[str, str], text: str, lines: list[int], what: str) -> None:
    report = desk.parent / "failed.txt"
    report.write_text("")
    done = subprocess.run(["bash", "-c", _PRELUDE + text], cwd=desk, env={**env, "DOCS_TEST_REPORT": str(report)},
                          capture_output=True, text=True)
    if done.returncode == 0:
        return
    failed = report.read_text().strip().splitlines()
    at, command = block.line, text.strip().splitlines()[0] if text.strip() else ""
    if failed:
        number, _, command = failed[0].removeprefix("@@ ").partition(" ")
        offset = int(number) - 3  # the prelude's two lines, and lines count from 1
        at = lines[offset] if 0 <= offset < len(lines) else block.line
    where = f"{block.path.relative_to(ROOT)}:{at}"
    pytest.fail(f"{where}: {what} `{command}` failed (exit {done.returncode})\n--- stdout\n{done.stdout[-3000:]}"
                f"--- stderr\n{done.stderr[-3000:]}", pytrace=False)


@pytest.mark.parametrize("path", DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_commands_of_the_docs_run_as_written(path: Path, tmp_path: Path) -> None:
    home, desk = tmp_path / "home", tmp_path / "desk"
    home.mkdir()
    (home / ".gitconfig").write_text("[user]\n\tname = Wang Fang\n\temail = wang.fang@jinqiao-it.example\n")
    env = _env(home)
    made = subprocess.run(["casefile", "init", str(desk), "--as", "wang.fang", "--station", "KMT"], env=env,
                          capture_output=True, text=True, cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    for block in blocks(path):
        if block.write is not None:
            (desk / block.write).write_text("\n".join(block.lines) + "\n", encoding="utf-8")
        if block.skip is not None or block.language not in RUN:
            continue
        if block.setup:
            setup_lines = [block.line - 1] * len(block.setup.splitlines())
            _run_shell(block, desk, env, block.setup, setup_lines, "the setup of the block below, line")
        if block.language == "python":
            done = subprocess.run([sys.executable, "-c", "\n".join(block.lines)], cwd=desk, env=env,
                                  capture_output=True, text=True)
            assert done.returncode == 0, f"{block.where}: the Python block failed\n{done.stderr[-3000:]}"
            continue
        text, lines = _script(block)
        _run_shell(block, desk, env, text, lines, "the command")
