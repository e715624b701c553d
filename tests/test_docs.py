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

README = Path(__file__).parent.parent / "README.md"


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
    # README material of a branch waits in docs/readme-*.md until it is merged into the README.
    texts = [README.read_text(), *(p.read_text() for p in sorted(README.parent.glob("docs/readme-*.md")))]
    rows = [line for text in texts for line in text.splitlines() if line.startswith("| `casefile ")]
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
    assert "closed, confirmed by Zhang Wei" in done.stdout or "confirmed by Zhang Wei" in done.stdout
