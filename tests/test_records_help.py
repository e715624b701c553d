"""Every new command has help with an example and a row in docs/readme-records.md; --help stays light."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click
import pytest

from casefile.cli import cli as root

DOC = (Path(__file__).parent.parent / "docs" / "readme-records.md").read_text(encoding="utf-8")
GROUPS = ("customer", "inspect", "survey", "kb")


def _commands() -> list[tuple[str, click.Command]]:
    context = click.Context(root)
    found = []
    for name in (*GROUPS, "search"):
        command = root.get_command(context, name)
        assert command is not None
        found.append((name, command))
        if isinstance(command, click.Group):
            found += [(f"{name} {sub}", command.commands[sub]) for sub in command.commands]
    return found


COMMANDS = _commands()


@pytest.mark.parametrize(("name", "command"), COMMANDS, ids=[name for name, _ in COMMANDS])
def test_every_new_command_has_help_with_an_example_and_a_readme_row(
    name: str, command: click.Command
) -> None:
    assert command.help and "Example:" in command.help
    example = command.help.split("Example:", 1)[1]
    assert f"casefile {name}" in example
    if not isinstance(command, click.Group):
        assert f"| `casefile {name} " in DOC or f"| `casefile {name}`" in DOC


def test_the_new_commands_are_all_there() -> None:
    names = {name for name, _ in COMMANDS}
    assert {
        "customer add",
        "customer edit",
        "customer show",
        "customer list",
        "inspect plan",
        "inspect record",
        "inspect report",
        "inspect list",
        "inspect show",
        "inspect due",
        "inspect schedule",
        "survey list",
        "survey show",
        "survey record",
        "survey issue",
        "survey letter",
        "kb add",
        "kb show",
        "kb search",
        "search",
    } <= names


@pytest.mark.parametrize(
    "args", [["--help"], ["--version"], ["survey", "--help"], ["inspect", "record", "--help"]]
)
def test_help_imports_neither_git_nor_jinja2(args: list[str]) -> None:
    code = (
        "import sys\n"
        "from casefile.cli import main\n"
        f"main({args!r})\n"
        "print(sorted(m for m in ('git', 'jinja2', 'ruamel.yaml') if m in sys.modules), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stderr.strip() == "[]"
