"""Lazy start-up (issue 7, acceptance 3): `--version`, `--help` and shell
completion import click and little else — not GitPython, jinja2, the holiday
library, ruamel.yaml, sqlite3 or msgspec (the value classes: `Said` lives
apart from `i18n` so that the words load without them).  Checked in a real `casefile` process by
recording `sys.modules` when it exits.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from clihelp import CLI

HEAVY = ("git", "jinja2", "chinese_calendar", "holidays", "ruamel", "sqlite3", "multiprocessing", "msgspec")

# Runs the real entry point (`python -m casefile ...`) and writes the names of
# the modules it imported to a file when the process ends.
RECORDER = """
import atexit, json, runpy, sys
out, args = sys.argv[1], sys.argv[2:]
atexit.register(lambda: open(out, "w").write(json.dumps(sorted(sys.modules))))
sys.argv = ["casefile", *args]
runpy.run_module("casefile", run_name="__main__", alter_sys=True)
"""


def imported(tmp_path: Path, *args: str, env: dict[str, str] | None = None) -> tuple[set[str], str]:
    record = tmp_path / "modules.json"
    done = subprocess.run([sys.executable, "-c", RECORDER, str(record), *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    return set(json.loads(record.read_text())), done.stdout


def heavy(modules: set[str]) -> list[str]:
    return sorted(m for m in modules if m.split(".")[0] in HEAVY)


def test_version_imports_neither_git_nor_jinja2_nor_the_holiday_library(tmp_path: Path) -> None:
    modules, out = imported(tmp_path, "--version")
    assert out.strip() == "casefile, version 0.1.0"
    assert "click" in modules
    assert heavy(modules) == []


@pytest.mark.parametrize("args", [("--help",), ("list", "--help"), ("open", "--help")])
def test_help_imports_click_and_little_else(tmp_path: Path, args: tuple[str, ...]) -> None:
    modules, out = imported(tmp_path, *args)
    assert "Usage: casefile" in out
    assert heavy(modules) == []


def test_shell_completion_imports_click_and_little_else(tmp_path: Path) -> None:
    env = {"_CASEFILE_COMPLETE": "bash_complete", "COMP_WORDS": "casefile li", "COMP_CWORD": "1"}
    modules, out = imported(tmp_path, env=env)
    assert "plain,list" in out.splitlines()
    assert heavy(modules) == []


def test_the_recorder_sees_heavy_imports_when_there_are_some(tmp_path: Path) -> None:
    """The check above can fail: a command that reads cases does import them."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from casefile.repo.demo import create_desk

    desk = tmp_path / "desk"
    create_desk(desk, datetime(2026, 11, 2, 8, 0, tzinfo=ZoneInfo("Asia/Shanghai")))
    modules, _out = imported(tmp_path, "list", env={"CASEFILE_REPO": str(desk)})
    assert {"ruamel", "sqlite3"} <= {m.split(".")[0] for m in modules}


# What one everyday command must not load: the layers it has no business with (issue 11, acceptance 4).
NOTE_NEVER = ("casefile.reports", "casefile.check", "casefile.export", "casefile.team",
              "casefile.render.templates", "casefile.sla.explain", "jinja2")
REPORT_BUILDERS = ("casefile.reports.build", "casefile.reports.source", "casefile.reports.kinds",
                   "casefile.reports.facts", "casefile.reports.render")


def _loaded(modules: set[str], prefixes: tuple[str, ...]) -> list[str]:
    return sorted(m for m in modules if m in prefixes or m.startswith(tuple(p + "." for p in prefixes)))


def test_note_loads_no_report_check_export_team_template_or_explainer(cli: CLI, tmp_path: Path) -> None:
    case = cli.open("Printer offline at ACME Shenzhen, 3F", "C")
    env = {"CASEFILE_REPO": str(cli.repo), "CASEFILE_ACTOR": "li.na", "CASEFILE_NOW": "2026-11-02T10:00:00+08:00"}
    modules, out = imported(tmp_path, "note", case, "-k", "call", "-m", "Called Zhang Wei back.", env=env)
    assert out.strip() == f"{case}: call note"
    assert "casefile.cases.work" in modules  # the recorder saw the command run
    assert _loaded(modules, NOTE_NEVER) == []


def test_check_loads_no_report_builder(cli: CLI, tmp_path: Path) -> None:
    cli.open("Core switch down at Shekou Port", "A")
    env = {"CASEFILE_REPO": str(cli.repo), "CASEFILE_NOW": "2026-11-02T12:00:00+08:00"}
    modules, out = imported(tmp_path, "check", env=env)
    assert "recorded" in out and "casefile.check.run" in modules
    assert _loaded(modules, REPORT_BUILDERS) == []


# What `show CASE` (one file read, one page printed) must not load (issue 17): the index, the cron run,
# reports, mail, templates, the explainer, GitPython, SQLite, worker pools, and `importlib.metadata`
# (with it email, zipfile and csv: ~9 ms of every start-up, for one version string); the transaction (it
# writes nothing) and the work orders of a case that has none; and `dataclasses`: casefile's values are
# msgspec Structs (`casefile.values`), as a dataclass each of the ~76 classes on the way cost ~1 ms to define;
# and ruamel.yaml: the case is read by the house reader, the policy and people from their kept values.
SHOW_NEVER = (*NOTE_NEVER, "casefile.index.store", "casefile.index.reader", "casefile.index.sync", "casefile.mail",
              "casefile.notify", "casefile.intake", "git", "sqlite3", "multiprocessing", "importlib.metadata",
              "email", "zipfile", "casefile.records.transaction", "casefile.cases.workorders", "dataclasses",
              "ruamel.yaml")


def test_show_loads_nothing_on_its_deny_list(cli: CLI, tmp_path: Path) -> None:
    case = cli.open("Printer offline at ACME Shenzhen, 3F", "C")
    env = {"CASEFILE_REPO": str(cli.repo), "CASEFILE_NOW": "2026-11-02T10:00:00+08:00"}
    modules, out = imported(tmp_path, "show", case, env=env)
    assert case in out and "casefile.cases.views" in modules  # the recorder saw the command run
    assert _loaded(modules, SHOW_NEVER) == []


def test_show_of_a_chinese_case_measures_its_columns_without_wcwidth(cli: CLI, tmp_path: Path) -> None:
    """Labels and titles of CJK ideographs and Chinese punctuation are measured by `render.width`'s own
    table (checked against wcwidth in tests/render/test_width.py); wcwidth is for other texts."""
    case = cli.open("3楼打印机无法打印（财务部）", "C")
    env = {"CASEFILE_REPO": str(cli.repo), "CASEFILE_NOW": "2026-11-02T10:00:00+08:00", "CASEFILE_LANG": "zh"}
    modules, out = imported(tmp_path, "show", case, env=env)
    assert "3楼打印机无法打印（财务部）" in out and "首次响应" in out
    assert _loaded(modules, ("wcwidth",)) == []
