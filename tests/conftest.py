"""Test fixtures: real git in temporary folders, the CLI driven as users drive it.

Every test runs with its own empty $HOME, no system or global git config, an
empty git template folder, and no CASEFILE_* variables from the developer's
shell, so nothing can read or write the developer's files.

The demo desks are built once per test run, in the same isolation, and each
test gets a copy (a git repository copies as files): building one takes half
a second, and most tests start from one.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from casefile import i18n
from clihelp import CLI

SHANGHAI = ZoneInfo("Asia/Shanghai")
DESK_DAY = datetime(2026, 11, 2, 8, 0, tzinfo=SHANGHAI)  # the desks are set up on a Monday


@contextmanager
def isolation(home: Path, templates: Path) -> Iterator[None]:
    """The environment every test and fixture runs in: its own HOME and git config, no CASEFILE_* or GIT_*."""
    (home / ".gitconfig").write_text("")
    with pytest.MonkeyPatch.context() as mp:
        for name in list(os.environ):
            if name.startswith(("CASEFILE_", "GIT_")):
                mp.delenv(name)
        mp.setenv("HOME", str(home))
        mp.setenv("XDG_CONFIG_HOME", str(home / ".config"))
        mp.setenv("GIT_CONFIG_NOSYSTEM", "1")
        mp.setenv("GIT_CONFIG_GLOBAL", str(home / ".gitconfig"))
        mp.setenv("GIT_TEMPLATE_DIR", str(templates))
        mp.setenv("CASEFILE_LOCK_WAIT", "10")
        mp.delenv("EDITOR", raising=False)
        mp.delenv("VISUAL", raising=False)
        # The suite reads casefile's messages in English (the message ids); a test of another language
        # takes CASEFILE_LANG away or sets it (tests/i18n/).  Every test starts in English, as a new process would.
        mp.setenv("CASEFILE_LANG", "en")
        i18n.use("en")
        try:
            yield
        finally:
            i18n.use("en")


@pytest.fixture(autouse=True)
def isolated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    with isolation(tmp_path_factory.mktemp("home"), tmp_path_factory.mktemp("git-templates")):
        yield


def _template_desk(factory: pytest.TempPathFactory, name: str, customers: bool) -> Path:
    from casefile.repo.demo import create_desk

    root = factory.mktemp(name) / "desk"
    with isolation(factory.mktemp(f"{name}-home"), factory.mktemp(f"{name}-git-templates")):
        create_desk(root, DESK_DAY, customers=customers)
    return root


@pytest.fixture(scope="session")
def desk_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _template_desk(tmp_path_factory, "desk-template", customers=True)


@pytest.fixture(scope="session")
def cases_only_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _template_desk(tmp_path_factory, "cases-only-template", customers=False)


@pytest.fixture(scope="session")
def demo_day(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """`casefile demo`'s desk after its day (Thursday 2026-11-19), built once, and what the demo said.
    Read it, or copy it (`shutil.copytree`) to change it."""
    from casefile.repo.demo import run_demo

    said: list[str] = []
    with isolation(tmp_path_factory.mktemp("demo-home"), tmp_path_factory.mktemp("demo-git-templates")):
        root = run_demo(tmp_path_factory.mktemp("demo-day") / "demo", said.append)
    return root, said


@pytest.fixture
def desk_path(tmp_path: Path, desk_template: Path) -> Path:
    """A case repository with the demo team and its two customers, set up on 2026-11-02 (a Monday)."""
    return Path(shutil.copytree(desk_template, tmp_path / "desk", symlinks=True))


@pytest.fixture
def cases_only_desk(tmp_path: Path, cases_only_template: Path) -> Path:
    """The same desk without customers: no inspections or scheduled surveys for `check` to handle."""
    return Path(shutil.copytree(cases_only_template, tmp_path / "desk", symlinks=True))


@pytest.fixture
def cli(desk_path: Path) -> CLI:
    """Run casefile in-process in the desk as wang.fang; set `cli.now` to move the clock."""
    return CLI(desk_path, actor="wang.fang", now="2026-11-02T09:00:00+08:00")


@pytest.fixture
def bare_remote(tmp_path: Path) -> Path:
    remote = tmp_path / "remote.git"
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(remote)], check=True)
    return remote
