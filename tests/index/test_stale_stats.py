"""A checkout whose git index has stale stat data (copied, restored from a backup, files touched) makes
every `git status` hash every file; a read never writes the index, so the first slow status refreshes it
once — unless a casefile command is writing at that moment."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from casefile.index import reader
from tests.clihelp import CLI


def _stat_dirty(root: Path) -> list[str]:
    # diff-files compares stat data only and never refreshes: a file listed has stale stat data
    out = subprocess.run(["git", "-C", str(root), "diff-files", "--name-only"], check=True,
                         capture_output=True, text=True).stdout
    return out.split()


@pytest.fixture
def copied(desk_path: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "restored"
    shutil.copytree(desk_path, copy, symlinks=True)  # new inodes: every entry's stat data is stale
    assert _stat_dirty(copy)
    return copy


def test_the_first_slow_status_refreshes_the_index_once(copied: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reader, "STALE_STATUS_SECONDS", 0.0)
    cli = CLI(copied, actor="wang.fang", now="2026-11-02T09:00:00+08:00")
    listed = cli("list", "--json").json
    assert _stat_dirty(copied) == []
    assert cli("list", "--json").json == listed


def test_no_refresh_while_another_command_writes(copied: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reader, "STALE_STATUS_SECONDS", 0.0)
    cli = CLI(copied, actor="wang.fang", now="2026-11-02T09:00:00+08:00")
    before = _stat_dirty(copied)
    script = ("import fcntl, sys, time; h = open(sys.argv[1], 'a+'); fcntl.flock(h, fcntl.LOCK_EX); "
              "print('held', flush=True); time.sleep(30)")
    holder = subprocess.Popen(["python3", "-c", script, str(copied / ".git" / "casefile" / "lock")],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        assert cli("list", "--json").code == 0  # reading goes on; the refresh waits for another time
        assert _stat_dirty(copied) == before
    finally:
        holder.kill()
        holder.wait()
