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

        return [CompletionItem(value) for value in candidates(kind, incomplete, _repo(ctx))]

    complete.casefile_kind = kind  # type: ignore[attr-defined]  # what the table of the fast path records
    return complete


def _repo(ctx: click.Context) -> str | None:
    """The desk a completion reads, as a command finds it (`options.desk_value`): --repo after the command,
    else before it, else CASEFILE_REPO, else the folder the shell is in."""
    import os

    at: click.Context | None = ctx
    while at is not None:
        if "repo" in at.params and at.get_parameter_source("repo") is click.core.ParameterSource.COMMANDLINE:
            return str(at.params["repo"]) if at.params["repo"] is not None else None
        at = at.parent
    return os.environ.get("CASEFILE_REPO") or None


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


# --- the table the fast path answers from (repo/quicktable.json) -------------------------------------------


def table(command: click.Command) -> dict[str, Any]:
    """What `repo.quickcomplete` needs to know of the command tree to answer as click does: for every command
    its options (names, whether they take a value, what the value completes), its arguments and its
    subcommands, in click's order.  The options are stored once each (`OPTIONS`: most commands share
    --repo, --now, --as, --json, --help) and a command lists their numbers.
    `tests/repo/test_quickcomplete.py` fails when the stored table is not this one."""
    options: list[tuple[Any, ...]] = []
    tree = _node(command, click.Context(command, info_name="casefile", **command.context_settings), options)
    return {"OPTIONS": options, "TREE": tree}


def _node(command: click.Command, ctx: click.Context, options: list[tuple[Any, ...]]) -> dict[str, Any]:
    """{"o": option numbers, "a": arguments (name, nargs, values), "i": interspersed, "c": subcommands,
    "h": hidden, "s": short help}; an option is (name, opts, secondary opts, takes: 0 a flag / 1 a value /
    None unusual, multiple, hidden, values, help)."""
    numbers, arguments = [], []
    for param in command.get_params(ctx):
        if isinstance(param, click.Option):
            usual = param.nargs == 1 and not param._flag_needs_value and all(o.startswith("-") for o in param.opts)
            takes = (0 if param.is_flag or param.count else 1) if usual else None
            spec = (param.name, tuple(param.opts), tuple(param.secondary_opts), takes, param.multiple, param.hidden,
                    _values(param), param.help)
            if spec not in options:
                options.append(spec)
            numbers.append(options.index(spec))
        elif isinstance(param, click.Argument):
            arguments.append((param.name, param.nargs, _values(param)))
    node: dict[str, Any] = {"o": numbers, "a": arguments, "i": ctx.allow_interspersed_args}
    if isinstance(command, click.Group):
        if command.chain:
            node["chain"] = True  # none is; the fast path leaves a chained group to click
        commands = {}
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            if sub is not None:
                commands[name] = {**_node(sub, click.Context(sub, parent=ctx, info_name=name, **sub.context_settings), options),
                                  "h": sub.hidden, "s": sub.get_short_help_str()}
        node["c"] = commands
    return node


def _values(param: click.Parameter) -> tuple[Any, ...]:
    """What the parameter's value completes: ("records", kind) from the index, ("choices", words,
    case-sensitive), ("path", "file" | "dir"), () nothing, or ("click",): left to click."""
    custom = param._custom_shell_complete
    kind = getattr(custom, "casefile_kind", None)
    if custom is None and not isinstance(param.type, click.Choice):
        kind = BY_NAME.get(param.name or "")  # what attach() gives it
    if kind is not None:
        return ("records", kind)
    if custom is not None:
        return ("click",)
    if isinstance(param.type, click.Choice):
        words = tuple(param.type.normalize_choice(choice, None) for choice in param.type.choices)
        return ("choices", words, param.type.case_sensitive)
    if isinstance(param.type, click.Path):
        return ("path", "dir" if param.type.dir_okay and not param.type.file_okay else "file")
    if isinstance(param.type, click.File):
        return ("path", "file")
    if type(param.type).shell_complete is click.ParamType.shell_complete:
        return ()
    return ("click",)


TABLE_FILE = "repo/quicktable.json"  # under the casefile package; read by repo/quicktable.py


def table_source(command: click.Command) -> str:
    """repo/quicktable.json as `write_table()` writes it: JSON, which a <Tab> reads in a millisecond whether
    or not Python may write its bytecode (a generated module would be compiled on every <Tab> then)."""
    import json

    from casefile.repo.completion import record_folders

    made = table(command)
    whole = {
        "about": "The command tree as shell completion sees it (cli/completion.py: table), for repo/quickcomplete.py. "
                 "Generated: do not edit. After changing a command's options or arguments, write it again: "
                 '.venv/bin/python -c "from casefile.cli import cli, completion; completion.write_table(cli)" '
                 "(tests/repo/test_quickcomplete.py fails while this file and the commands differ).",
        "complete_var": COMPLETE_VAR,
        "shells": list(SHELLS),
        "records": record_folders(),  # folder and suffix of each kind (records.kinds)
        "options": made["OPTIONS"],
        "tree": made["TREE"],
    }
    return json.dumps(whole, ensure_ascii=False, indent=1) + "\n"


def write_table(root: click.Command) -> None:
    """Write repo/quicktable.json from the commands under `root` (`casefile.cli.cli`) as they are."""
    from pathlib import Path

    target = Path(__file__).resolve().parents[1] / TABLE_FILE
    target.write_text(table_source(root), encoding="utf-8")
