"""`casefile completion bash|zsh|fish`, and what each kind of parameter completes.

The scripts are click's shell completion: the shell runs `casefile` with `_CASEFILE_COMPLETE` set, and
`casefile.cli.main` answers before opening anything.  Dynamic values come from `repo.completion`
(the index, people.yaml, policy.yaml): case ids, handles, customers, levels and article slugs; statuses,
report kinds and other fixed choices complete from the commands themselves.
"""

from __future__ import annotations

from typing import Any

import click

from casefile.cli.helptext import Command
from click.shell_completion import CompletionItem, get_completion_class

SHELLS = ("bash", "zsh", "fish")
COMPLETE_VAR = "_CASEFILE_COMPLETE"  # what the scripts set when they ask for candidates

# Which parameters complete what, by the parameter's name: one table for every command.
BY_NAME = {
    "case": "case", "cases": "case", "concerns": "case", "parent": "case", "related": "case",
    "duplicate_of": "case",
    "engineer": "handle", "assignee": "handle", "actor": "handle", "inspector": "handle", "handle": "handle",
    "giver": "handle", "taker": "handle", "against": "handle",
    "customer": "customer",
    "level": "level", "levels": "level",
    "article": "article", "slug": "article",
}



def _completer(kind: str) -> Any:
    def complete(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
        from casefile.repo.completion import complete as candidates

        import os

        root = ctx.find_root()
        repo = ctx.params.get("repo") or root.params.get("repo") or os.environ.get("CASEFILE_REPO")
        return [CompletionItem(value) for value in candidates(kind, incomplete, repo)]

    return complete


def attach(command: click.Command) -> click.Command:
    """Give the parameters of `command` (and of its subcommands) their completion, by name."""
    for param in command.params:
        kind = BY_NAME.get(param.name or "")
        if kind and param._custom_shell_complete is None and not isinstance(param.type, click.Choice):
            param._custom_shell_complete = _completer(kind)
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            attach(sub)
    return command


@click.command(cls=Command)
@click.argument("shell", type=click.Choice(SHELLS))
@click.pass_context
def completion(ctx: click.Context, shell: str) -> None:
    """Print the completion script for SHELL (bash, zsh or fish).

    It completes commands, options, case ids (this clone's own first), handles,
    customers, levels, statuses, article slugs and report kinds.

    \b
    Examples:
        eval "$(casefile completion bash)"      # in ~/.bashrc
        eval "$(casefile completion zsh)"       # in ~/.zshrc
        casefile completion fish > ~/.config/fish/completions/casefile.fish
    """
    script_class = get_completion_class(shell)
    assert script_class is not None
    root = ctx.find_root().command
    click.echo(script_class(root, {}, "casefile", COMPLETE_VAR).source())
