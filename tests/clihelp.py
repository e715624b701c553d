"""Driving casefile as a user does: the `casefile` command with arguments and env.

`CLI(...)("open", "Printer offline", "--level", "C")` runs the real command
line in-process (fast, for scenarios with hundreds of steps); `CLI.process`
runs it as a separate process (for locks, crashes and concurrency).  Both pass
the repository, the clock and the actor through CASEFILE_REPO, CASEFILE_NOW and
CASEFILE_ACTOR, exactly as a shell user or cron would.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent  # the checkout
GOLDEN_DIR = TESTS / "golden"


@dataclass
class Result:
    code: int
    out: str
    err: str

    @property
    def json(self) -> Any:
        return json.loads(self.out)

    def __str__(self) -> str:
        return f"exit {self.code}\n--- stdout\n{self.out}--- stderr\n{self.err}"


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, check=True)
    return done.stdout


def commit_count(repo: Path) -> int:
    return int(git(repo, "rev-list", "--count", "HEAD").strip())


def is_clean(repo: Path) -> bool:
    return git(repo, "status", "--porcelain") == ""


@dataclass
class CLI:
    repo: Path
    actor: str | None = "wang.fang"
    now: str | None = None
    env: dict[str, str] = field(default_factory=dict)

    def _env(self, now: str | None, actor: str | None) -> dict[str, str]:
        env = {"CASEFILE_REPO": str(self.repo), **self.env}
        if now or self.now:
            env["CASEFILE_NOW"] = str(now or self.now)
        if actor or self.actor:
            env["CASEFILE_ACTOR"] = str(actor or self.actor)
        return env

    def __call__(
        self, *args: str, now: str | None = None, actor: str | None = None, input: str = "", expect: int | None = 0
    ) -> Result:
        """Run in-process; assert the exit code unless expect is None."""
        from casefile.cli import main

        env = self._env(now, actor)
        saved = {k: os.environ.get(k) for k in env}
        os.environ.update(env)
        out, err = io.StringIO(), io.StringIO()
        stdin = sys.stdin
        sys.stdin = io.StringIO(input)
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                code = main(list(args))
        finally:
            sys.stdin = stdin
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
        result = Result(code, out.getvalue(), err.getvalue())
        if expect is not None:
            assert result.code == expect, str(result)
        return result

    def process(
        self, *args: str, now: str | None = None, actor: str | None = None, input: str = "",
        expect: int | None = 0, extra_env: dict[str, str] | None = None,
    ) -> Result:
        """Run `python -m casefile` as its own process."""
        env = {**os.environ, **self._env(now, actor), **(extra_env or {})}
        done = subprocess.run(
            [sys.executable, "-m", "casefile", *args], input=input, capture_output=True, text=True, env=env,
            cwd=self.repo if self.repo.exists() else None,
        )
        result = Result(done.returncode, done.stdout, done.stderr)
        if expect is not None:
            assert result.code == expect, str(result)
        return result

    def open(self, title: str = "Printer offline on 3F", level: str = "C", *extra: str, **kw: Any) -> str:
        """Open a case and return its number."""
        return self("open", title, "--level", level, "-m", "Shows E-04.", *extra, **kw).out.strip()
