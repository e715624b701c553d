"""Options that mean the same on every command, and how results are printed."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, TypeVar

import click
from casefile.i18n import _

if TYPE_CHECKING:
    from casefile.desk import Desk

F = TypeVar("F", bound=Callable[..., Any])


def desk_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    """--repo, --now and --as; the command receives the opened `Desk` first."""

    @click.option(
        "--repo",
        metavar="PATH",
        envvar="CASEFILE_REPO",
        help="Case repository to work in (default: the current directory; env CASEFILE_REPO).",
    )
    @click.option(
        "--now",
        metavar="ISO-8601",
        envvar="CASEFILE_NOW",
        help="Take this as the current time, e.g. 2026-11-22T09:00+08:00 (env CASEFILE_NOW).",
    )
    @click.option(
        "--as",
        "actor",
        metavar="HANDLE",
        envvar="CASEFILE_ACTOR",
        help="Who is acting: a handle in people.yaml (env CASEFILE_ACTOR; default: git's user).",
    )
    @functools.wraps(fn)
    def wrapper(*args: Any, repo: str | None, now: str | None, actor: str | None, **kwargs: Any) -> Any:
        from casefile.desk import Desk

        return fn(Desk.open(desk_value("repo", repo), desk_value("now", now), desk_value("actor", actor)),
                  *args, **kwargs)

    return wrapper


def desk_value(name: str, value: str | None) -> str | None:
    """A desk option as given after the command, else before it (`casefile --repo X list`), else from the
    environment: the command line wins over the environment wherever on it the option stands."""
    ctx = click.get_current_context(silent=True)
    if ctx is None:
        return value
    source = ctx.get_parameter_source(name)
    if source is click.core.ParameterSource.COMMANDLINE:
        return value
    root = ctx.find_root()
    given = root.obj.get(name) if isinstance(root.obj, dict) else None
    return given if given is not None else value


def json_option(fn: F) -> F:
    return click.option(
        "--json", "as_json", is_flag=True, help="Print JSON (a stable shape, documented in the README)."
    )(fn)


def message_option(help_text: str, required: bool = False) -> Callable[[F], F]:
    def decorate(fn: F) -> F:
        return click.option("-m", "--message", "message", metavar="TEXT", required=required, help=help_text)(fn)

    return decorate


def read_message(message: str | None) -> str | None:
    """`-m -` reads the text from standard input."""
    if message == "-":
        return sys.stdin.read()
    return message


EDITOR_HINT = "Lines starting with # are ignored; an empty text records nothing."
NOTHING_WRITTEN = "nothing was written in the editor, so nothing was recorded"


def text_or_editor(message: str | None, prompt: str, flag: str = "-m") -> str:
    """`flag TEXT`, `flag -` (stdin), else — on a terminal — $EDITOR with `prompt`; without a terminal the
    option is required, as before."""
    if message is not None:
        return read_message(message) or ""
    if not sys.stdin.isatty():
        raise click.UsageError(_("Missing option '{flag}': give {flag} TEXT ('{flag} -' reads stdin)").format(flag=flag))
    edited = click.edit(f"\n# {prompt}\n# {EDITOR_HINT}\n")
    text = "\n".join(line for line in (edited or "").splitlines() if not line.startswith("#")).strip()
    if not text:
        from casefile.errors import CasefileError

        raise CasefileError(NOTHING_WRITTEN, _("write it in the editor, or give {flag} TEXT").format(flag=flag))
    return text


def emit_json(value: Any) -> None:
    """Indented JSON, written piece by piece (100,000 rows are never one string)."""
    from casefile.render.jsontext import pieces
    from casefile.render.printable import json_printable

    for piece in pieces(value):
        click.echo(json_printable(piece), nl=False)
    click.echo("")


def emit(value: Any, as_json: bool, text: Callable[[], str]) -> None:
    if as_json:
        emit_json(value)
    else:
        out = text()
        if out:
            say(out)


def say(text: str, err: bool = False, nl: bool = True) -> None:
    """Write `text` for a person: whatever a record holds, nothing the terminal would act on gets
    through raw (`render.printable`)."""
    from casefile.render.printable import printable

    if err or not nl:
        click.echo(printable(text), err=err, nl=nl)
        return
    from casefile.cli.terminal import write

    write(printable(text))


def say_lines(lines: Iterable[str]) -> None:
    """`say` for a long text made line by line: into a pipe or a file each chunk goes out as it is made
    (`terminal.write_lines`)."""
    from casefile.cli.terminal import write_lines
    from casefile.render.printable import printable

    write_lines(printable(line) for line in lines)


def instant(desk: Desk, text: str | None, what: str) -> Any:
    """Parse a time option in the desk's zone (None stays None)."""
    if text is None:
        return None
    from casefile.worktime.clock import parse_instant

    return parse_instant(text, desk.policy.zone, what=what)
