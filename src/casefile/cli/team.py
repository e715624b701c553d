"""Commands for working as a team over a shared remote: sync, clone, setup, merge-driver, server-hook."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from casefile.cli.helptext import Command, Group
from casefile.i18n import _
from casefile.cli.options import desk_options, emit, json_option, say

if TYPE_CHECKING:
    from casefile.desk import Desk


@click.command("merge-driver", cls=Command)
@click.argument("base", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.argument("ours", type=click.Path(dir_okay=False, exists=True, writable=True, path_type=Path))
@click.argument("theirs", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.argument("path", default="record")
def merge_driver(base: Path, ours: Path, theirs: Path, path: str) -> None:
    """Merge one record for git (git runs this; `casefile setup` configures it).

    BASE is the common version, OURS the current one (the result is written
    there), THEIRS the one being merged in, PATH the record's path.  Exit 0
    when merged; 1 when a conflict is left in OURS with git's markers.

    \b
    Example (what git runs, from .git/config):
        python -m casefile merge-driver %O %A %B %P
    """
    from casefile.merge.driver import run_driver

    result = run_driver(base, ours, theirs, path)
    if result.message:
        say(f"casefile: {result.message}", err=True)
    if not result.clean:
        raise click.exceptions.Exit(1)


@click.command(cls=Command)
@json_option
@desk_options
def sync(desk: Desk, as_json: bool) -> None:
    """Send this clone's work to the shared remote and bring everyone's work here.

    Fetches, merges with the record merge driver (never a rebase), pushes
    (never forced), and tries again if someone pushed meanwhile.  Registers a
    station claimed offline.  If the remote cannot be reached or refuses the
    push, nothing here is lost and it says so (exit 7).

    \b
    Example:
        casefile sync
    """
    report = desk.sync()
    emit(report.as_json(), as_json, lambda: "\n".join(report.lines()))


@click.command(cls=Command)
@json_option
@desk_options
def setup(desk: Desk, as_json: bool) -> None:
    """Set up this clone for the team: merge driver, hooks, station.

    Run it once in a clone made with plain `git clone` (`casefile clone`
    does it for you).  Safe to run again.

    \b
    Example:
        git clone git@git.example.com:desk/cases.git && cd cases && casefile setup
    """
    result = desk.setup()
    emit(result.as_json(), as_json, lambda: "\n".join(result.lines()))


@click.command("clone", cls=Command)
@click.argument("url")
@click.argument("directory", required=False, type=click.Path(path_type=Path))
@click.option("--now", metavar="ISO-8601", envvar="CASEFILE_NOW", help="Take this as the current time.")
@click.option("--as", "actor", metavar="HANDLE", envvar="CASEFILE_ACTOR",
              help="Who is acting (a handle in people.yaml).")
@json_option
def clone_command(url: str, directory: Path | None, now: str | None, actor: str | None, as_json: bool) -> None:
    """Clone the shared case repository at URL into DIRECTORY and set it up.

    Like `git clone`, then `casefile setup` in the new clone.  If anything
    fails, the folder is removed again.

    \b
    Example:
        casefile clone git@git.example.com:desk/cases.git ~/cases
    """
    from casefile.cli.options import desk_value
    from casefile.team.setup import clone_desk, target_for

    result = clone_desk(url, directory or target_for(url), desk_value("now", now), desk_value("actor", actor), None)
    emit(result.as_json(), as_json, lambda: "\n".join([_("cloned {url}").format(url=url), *result.lines()]))


@click.group("server-hook", cls=Group)
def server_hook() -> None:
    """The pre-receive hook for the shared repository (on the git server).

    \b
    Example:
        casefile server-hook install /srv/git/cases.git
    """


@server_hook.command("install")
@click.argument("repository", type=click.Path(file_okay=False, exists=True, path_type=Path))
def server_hook_install(repository: Path) -> None:
    """Install the pre-receive hook into the shared (bare) REPOSITORY.

    It refuses pushes with invalid or deleted records, rewritten history, or
    changed station registrations.  casefile must be installed on the server.

    \b
    Example:
        casefile server-hook install /srv/git/cases.git
    """
    import sys

    from casefile.team.hook import install_server_hook

    click.echo(install_server_hook(repository.resolve(), sys.executable))


@server_hook.command("script")
def server_hook_script() -> None:
    """Print the pre-receive hook, to install it by hand (GitLab, Gitea).

    \b
    Example:
        casefile server-hook script > custom_hooks/pre-receive
    """
    import sys

    from casefile.team.hook import hook_text

    click.echo(hook_text(sys.executable), nl=False)


@server_hook.command("run")
def server_hook_run() -> None:
    """Check a push (git runs this from the pre-receive hook, with the updates on stdin).

    \b
    Example (what the hook runs, in the shared repository):
        echo "$OLD $NEW refs/heads/main" | casefile server-hook run
    """
    import os
    import sys

    from casefile.errors import ExitCode
    from casefile.team.hook import check_updates

    problems = check_updates(Path(os.environ.get("GIT_DIR", ".")).resolve(), sys.stdin.read())
    for problem in problems:
        say(_("casefile: refused {problem}").format(problem=problem), err=True)
    if problems:
        raise click.exceptions.Exit(int(ExitCode.INVALID))
