"""The documentation stays true: every command has help with an example and a README
row, and the README's tour runs as written."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import click
import pytest

from casefile.cli import COMMANDS, cli
from clihelp import ROOT

README = ROOT / "README.md"


def _commands() -> list[tuple[str, click.Command]]:
    found = []
    ctx = click.Context(cli)
    for name in COMMANDS:
        command = cli.get_command(ctx, name)
        assert command is not None, name
        if isinstance(command, click.Group):
            found += [(f"{name} {sub}", command.commands[sub]) for sub in command.commands]
        else:
            found.append((name, command))
    return found


@pytest.mark.parametrize("name, command", _commands(), ids=lambda v: v if isinstance(v, str) else "")
def test_every_command_has_help_with_an_example_and_a_readme_row(name: str, command: click.Command) -> None:
    assert command.help and command.help.strip(), f"{name} has no help"
    assert "Example" in command.help, f"`casefile {name} --help` shows no example"
    example = command.help.split("Example", 1)[1]
    assert f"casefile {name}" in example, f"the example of casefile {name} does not use it"
    rows = [line for line in README.read_text().splitlines() if line.startswith("| `casefile ")]
    assert any(row.startswith(f"| `casefile {name}") for row in rows), f"README has no row for casefile {name}"


def test_the_readme_tour_runs_as_written(tmp_path: Path) -> None:
    text = README.read_text()
    tour = re.search(r"## A short tour.*?```sh\n(.*?)```", text, re.S)
    assert tour
    checkout = tmp_path / "checkout"  # like a clone of casefile: itself a git repository
    (checkout / ".venv").mkdir(parents=True)
    subprocess.run(["git", "init", "-q", str(checkout)], check=True)
    (checkout / ".venv" / "bin").symlink_to(Path(sys.executable).parent)
    subprocess.run([str(checkout / ".venv" / "bin" / "casefile"), "demo"], cwd=checkout, check=True,
                   capture_output=True)
    done = subprocess.run(["bash", "-eu", "-c", tour.group(1)], cwd=checkout, capture_output=True,
                          text=True, env={**os.environ, "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    # the case opened in the tour is closed, shows it, and its history lists every step as a commit
    assert any(re.fullmatch(r"[A-Z]{3}-\d{5}: closed, confirmed by Zhang Wei", line) for line in lines), done.stdout
    assert any(re.search(r" · closed · phone · hardware/printer$", line) for line in lines), done.stdout
    actions = [line.split()[3] for line in lines if re.match(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}  [0-9a-f]{10}  ", line)]
    assert actions == ["open", "assign", "respond", "note", "pend", "resume", "resolve", "close"], done.stdout


def test_the_readme_library_lines_run_as_written(demo_day: tuple[Path, list[str]], tmp_path: Path) -> None:
    import shutil

    code = re.search(r"### From Python.*?```python\n(.*?)```", README.read_text(), re.S)
    assert code
    shutil.copytree(demo_day[0], tmp_path / "casefile-demo", symlinks=True)
    done = subprocess.run([sys.executable, "-c", code.group(1)], cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    log = subprocess.run(["git", "log", "-1", "--format=%an|%s"], cwd=tmp_path / "casefile-demo",
                         capture_output=True, text=True, check=True).stdout
    assert re.fullmatch(r"Li Na 李娜\|[A-Z]{3}-\d{5}: note\n", log), log


@pytest.mark.parametrize("args", [["--help"], ["--version"], ["survey", "--help"], ["inspect", "record", "--help"],
                                  ["check", "--help"], ["report", "--help"]])
def test_help_and_version_import_neither_git_nor_jinja2_nor_the_holiday_library(args: list[str]) -> None:
    code = (
        "import sys\n"
        "from casefile.cli import main\n"
        f"main({args!r})\n"
        "print(sorted(m for m in ('git', 'jinja2', 'chinese_calendar') if m in sys.modules), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stderr.strip().splitlines()[-1] == "[]"
