"""Test fixtures: real git in temporary folders, the CLI driven as users drive it.

Every test runs with its own empty $HOME, no system or global git config, an
empty git template folder, and no CASEFILE_* variables from the developer's
shell, so nothing can read or write the developer's files.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from clihelp import CLI

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def isolated(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    home = tmp_path_factory.mktemp("home")
    templates = tmp_path_factory.mktemp("git-templates")
    (home / ".gitconfig").write_text("")
    for name in list(os.environ):
        if name.startswith(("CASEFILE_", "GIT_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(home / ".gitconfig"))
    monkeypatch.setenv("GIT_TEMPLATE_DIR", str(templates))
    monkeypatch.setenv("CASEFILE_LOCK_WAIT", "10")
    monkeypatch.delenv("EDITOR", raising=False)
    monkeypatch.delenv("VISUAL", raising=False)
    yield


@pytest.fixture
def desk_path(tmp_path: Path) -> Path:
    """A case repository with the demo team, set up on 2026-11-02 (a Monday)."""
    from casefile.repo.demo import create_desk

    root = tmp_path / "desk"
    create_desk(root, datetime(2026, 11, 2, 8, 0, tzinfo=SHANGHAI))
    return root


@pytest.fixture
def cases_only_desk(tmp_path: Path) -> Path:
    """The same desk without customers: no inspections or scheduled surveys for `check` to handle."""
    from casefile.repo.demo import create_desk

    root = tmp_path / "desk"
    create_desk(root, datetime(2026, 11, 2, 8, 0, tzinfo=SHANGHAI), customers=False)
    return root


@pytest.fixture
def cli(desk_path: Path) -> CLI:
    """Run casefile in-process in the desk as wang.fang; set `cli.now` to move the clock."""
    return CLI(desk_path, actor="wang.fang", now="2026-11-02T09:00:00+08:00")


@pytest.fixture
def bare_remote(tmp_path: Path) -> Path:
    remote = tmp_path / "remote.git"
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(remote)], check=True)
    return remote
