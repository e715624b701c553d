"""The `casefile` command line: a thin layer over the library.

Commands are loaded lazily, so `casefile --help`, `--version` and shell
completion import click and little else; each command imports the library
parts it needs when it runs.  Expected failures (`CasefileError`) become one
line on stderr and their exit code here, in one place.
"""

from __future__ import annotations

import os
import sys
from importlib import import_module
from typing import Any

import click

from casefile.cli.completion import COMPLETE_VAR
from casefile.cli.helptext import Group
from casefile.errors import CasefileError, ExitCode
from casefile.i18n import N_, translate
from casefile.version import __version__


# name -> "module:function" under casefile.cli
COMMANDS = {
    "init": "repo:init",
    "demo": "repo:demo",
    "validate": "repo:validate",
    "edit": "repo:edit",
    "open": "cases:open_case",
    "assign": "cases:assign",
    "respond": "cases:respond",
    "note": "cases:note",
    "reply": "reply:reply",
    "attach": "attach:attach",
    "workorder": "workorders:workorder",
    "intake": "intake:intake",
    "pend": "cases:pend",
    "resume": "cases:resume",
    "resolve": "cases:resolve",
    "close": "cases:close",
    "reopen": "cases:reopen",
    "change": "cases:change",
    "link": "cases:link",
    "incident-report": "cases:incident_report",
    "show": "reading:show",
    "list": "reading:list_cases",
    "history": "reading:history",
    "explain": "sla:explain",
    "escalate": "sla:escalate",
    "check": "sla:check",
    "calendar": "calendars:calendar",
    "policy": "policy:policy",
    "customer": "customers:customer",
    "vendor": "vendors:vendor",
    "problem": "problems:problem",
    "asset": "assets:asset",
    "rfc": "rfc:rfc",
    "inspect": "inspections:inspect",
    "survey": "surveys:survey",
    "kb": "kb:kb",
    "search": "kb:search_all",
    "merge-driver": "team:merge_driver",
    "sync": "team:sync",
    "setup": "team:setup",
    "clone": "team:clone_command",
    "server-hook": "team:server_hook",
    "export": "sharing:export",
    "report": "report:report",
    "index": "index:index",
    "audit": "repo:audit",
    "doctor": "repo:doctor",
    "rota": "rota:rota",
    "ack": "ack:ack",
    "board": "board:board",
    "verify": "verify:verify",
    "tag": "tags:tag",
    "bulk": "bulk:bulk",
    "phrase": "phrases:phrase",
    "views": "views:views",
    "people": "people:people",
    "completion": "completion:completion",
}

# Bare `casefile`: the commands a desk uses most, one line each (a message: said in the reader's language).
OVERVIEW = N_("""casefile — a Git-backed, plain-text case tracker for IT service desks.

Most used:
  casefile open TITLE --level C      open a case and print its number
  casefile list                      open and pending cases with their next deadline
  casefile show KMT-00417            one case: fields, clocks, activity log
  casefile note KMT-00417 -m TEXT    an internal note (a call, a visit, progress)
  casefile assign KMT-00417 li.na    give a case to an engineer
  casefile respond KMT-00417 -m TEXT the first response to the customer
  casefile pend KMT-00417 --reason   pause the clocks while waiting on the customer
  casefile resolve KMT-00417 -m TEXT service restored
  casefile close KMT-00417           the customer confirmed; issues the survey
  casefile check                     warnings, breaches and escalations (cron runs it)

New here? `casefile demo` builds a desk with a day of work in it.
Every command: `casefile COMMAND --help`.  All commands: `casefile --help`.""")

UNKNOWN_COMMAND = N_("no command {name!r}")  # translated where said
DID_YOU_MEAN = N_("did you mean: {choices}?")


class LazyGroup(Group):
    """A group whose commands are imported only when they are used or listed."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        name = args[0] if args else ""
        if name and not name.startswith("-") and name not in COMMANDS and not ctx.resilient_parsing:
            import difflib

            close = difflib.get_close_matches(name, list(COMMANDS), n=3, cutoff=0.6)
            close += [c for c in COMMANDS if c.startswith(name) and c not in close][: 3 - len(close)]
            message = translate(UNKNOWN_COMMAND).format(name=name)
            if close:
                message += "; " + translate(DID_YOU_MEAN).format(choices=", ".join(close))
            raise click.UsageError(message, ctx)
        return super().resolve_command(ctx, args)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attribute = target.split(":")
        command = getattr(import_module(f"{__name__}.{module_name}"), attribute)
        assert isinstance(command, click.Command)
        if os.environ.get(COMPLETE_VAR):
            from casefile.cli.completion import attach

            attach(command)
        return command


@click.group(cls=LazyGroup, invoke_without_command=True,
             context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "--version", prog_name="casefile")
@click.option("--repo", metavar="PATH", help="Case repository to work in (also after the command; env CASEFILE_REPO).")
@click.option("--now", metavar="ISO-8601", help="Take this as the current time (env CASEFILE_NOW).")
@click.option("--as", "actor", metavar="HANDLE", help="Who is acting (env CASEFILE_ACTOR).")
@click.option("--color", "--colour", "color", type=click.Choice(("auto", "always", "never")), default="auto",
              show_default=True, help="Colour: on a terminal (auto, honouring NO_COLOR and CLICOLOR_FORCE), always, never.")
@click.pass_context
def cli(ctx: click.Context, repo: str | None, now: str | None, actor: str | None, color: str) -> None:
    """casefile — a Git-backed, plain-text case tracker for IT service desks.

    Every case is a Markdown file with YAML front matter in a git repository;
    every change is one commit, so `git log` is the audit trail.

    \b
    Start with:
        casefile demo                 build a demo desk and work a day through it
        casefile init ~/desk          make a case repository
        casefile open "Printer offline" --level C --caller-name "Zhang Wei"

    Every command takes --repo PATH (CASEFILE_REPO), --now ISO-8601
    (CASEFILE_NOW) and --as HANDLE (CASEFILE_ACTOR); reading commands take
    --json.  Exit status: 0 ok, 1 refused/bad input, 2 usage, 3 not found,
    4 busy, 5 invalid records, 6 breach (check --fail-on-breach), 7 remote failed.

    \b
    Example:
        casefile --repo ~/desk list --level A
    """
    ctx.obj = {"repo": repo, "now": now, "actor": actor, "color": color}
    if ctx.invoked_subcommand is None:
        click.echo(translate(OVERVIEW))


def main(argv: list[str] | None = None) -> int:
    if os.environ.get(COMPLETE_VAR):
        from click.shell_completion import shell_complete

        return shell_complete(cli, {}, "casefile", COMPLETE_VAR, os.environ[COMPLETE_VAR])
    args = sys.argv[1:] if argv is None else list(argv)
    from casefile import i18n
    from casefile.i18n import _

    # CASEFILE_LANG, the desk's language (read again with the policy), the locale: a usage error, found before
    # the desk is opened, speaks the desk's language too.
    i18n.use(i18n.choose(_desk_language(args)))
    _click_speaks_casefile()
    try:
        # click's own main() turns a closed pipe into exit 1; making the context here keeps EPIPE ours
        with cli.make_context("casefile", args) as ctx:
            result: Any = cli.invoke(ctx)
    except click.exceptions.Exit as done:
        return int(done.exit_code)
    except click.UsageError as error:
        where = error.ctx.command_path if error.ctx else "casefile"
        click.echo(_printable(_("casefile: {message} (see: {command} --help)").format(message=error.format_message(), command=where)), err=True)
        return int(ExitCode.USAGE)
    except click.ClickException as error:
        click.echo(_printable(f"casefile: {error.format_message()}"), err=True)
        return int(error.exit_code)
    except click.Abort:
        click.echo(_("casefile: aborted"), err=True)
        return int(ExitCode.ERROR)
    except CasefileError as error:
        said = _("{message} ({hint})").format(message=error.message, hint=error.hint) if error.hint else error.message
        click.echo(_printable(f"casefile: {said}"), err=True)
        return int(error.exit_code)
    except KeyboardInterrupt:
        click.echo(_("casefile: interrupted"), err=True)
        return 130
    except BrokenPipeError:
        _quiet_stdout()
        return 0
    finally:
        from casefile.cli.terminal import close_pager

        close_pager()
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _quiet_stdout()
    return result if isinstance(result, int) else int(ExitCode.OK)


def _desk_language(argv: list[str]) -> str | None:
    """`desk.language` of the desk the command runs in (--repo, CASEFILE_REPO or the current folder), read from
    policy.yaml's text without parsing it; None outside a desk.  The policy's parser reads it properly later."""
    import re
    from pathlib import Path

    given = next((argv[i + 1] for i, arg in enumerate(argv[:-1]) if arg == "--repo"), None)
    given = given or next((arg.split("=", 1)[1] for arg in argv if arg.startswith("--repo=")), None)
    start = Path(given or os.environ.get("CASEFILE_REPO") or ".")
    try:
        folder = start.resolve()
        for candidate in (folder, *folder.parents):
            policy = candidate / "policy.yaml"
            if policy.is_file():
                desk = re.search(r"(?m)^desk:\s*\n((?:[ \t]+.*\n|[ \t]*\n)*)", policy.read_text(encoding="utf-8"))
                found = re.search(r"(?m)^[ \t]+language:[ \t]*['\"]?(\w+)", desk.group(1)) if desk else None
                return found.group(1) if found else None
            if (candidate / ".git").exists():
                return None
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    return None


def _click_speaks_casefile() -> None:
    """click's own words (a usage error, "Missing option") come through the standard library's gettext: answer
    them from casefile's catalog of them (locale/<lang>/LC_MESSAGES/click.po) in the reader's language."""
    import gettext

    from casefile import i18n

    if getattr(gettext.dgettext, "casefile", False):
        return
    plain, plural = gettext.dgettext, gettext.dngettext

    def dgettext(domain: str, message: str) -> str:
        return i18n.translate(message, domain="click") if domain == "messages" else plain(domain, message)

    def dngettext(domain: str, singular: str, plural_form: str, n: int) -> str:
        if domain == "messages":
            return i18n.ngettext(singular, plural_form, n, domain="click")
        return plural(domain, singular, plural_form, n)

    dgettext.casefile = True  # type: ignore[attr-defined]
    gettext.dgettext, gettext.dngettext = dgettext, dngettext  # type: ignore[assignment]


def _printable(text: str) -> str:
    """An error message can quote what was typed or read from a record: never raw escapes."""
    from casefile.render.printable import printable

    return printable(text)


def _quiet_stdout() -> None:
    """The reader went away (`casefile list | head`): not an error, and no noise at exit."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
