"""Commands about the repository itself: init, validate, edit, demo."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from casefile.cli.helptext import Command
from casefile.cli.options import desk_options, desk_value, emit, emit_json, json_option, say
from casefile.i18n import _

if TYPE_CHECKING:
    from casefile.desk import Desk


@click.command(cls=Command)
@click.argument("path", default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option("--as", "actor", metavar="HANDLE", envvar="CASEFILE_ACTOR",
              help="Your handle in the new people.yaml (default: from git's user.email).")
@click.option("--now", metavar="ISO-8601", envvar="CASEFILE_NOW", help="Take this as the current time.")
@click.option("--station", metavar="CODE",
              help="This clone's case-number prefix, e.g. KMT (three of BCDFGHJKMNPQRSTVWXYZ; default: claimed "
                   "at random by the first `open`).")
@json_option
def init(path: Path, actor: str | None, now: str | None, station: str | None, as_json: bool) -> None:
    """Make PATH (default: here) a case repository; safe to run again.

    Creates the git repository if needed, writes policy.yaml (the default
    service levels), people.yaml (you, holding every role until you add your
    team) and .gitattributes in one commit, and installs the pre-commit hook.

    With --station, this clone's cases are numbered KMT-00001, KMT-00002, ...
    (the station's record goes into the same commit); without it, the first
    `open` claims a free code at random.

    \b
    Examples:
        casefile init ~/desk --as wang.fang
        casefile init ~/desk --as wang.fang --station KMT
    """
    from zoneinfo import ZoneInfo

    from casefile.repo.init import init_repository
    from casefile.worktime.clock import Clock

    when = Clock.from_option(desk_value("now", now), ZoneInfo("Asia/Shanghai")).now()
    result = init_repository(path, desk_value("actor", actor), when, station=station)
    summary = {
        "root": str(result.root),
        "created_repository": result.created_repo,
        "added": result.added,
        "kept": result.kept,
        "hook": result.hook,
        "merge_driver": result.merge_driver,
        "commit": result.commit,
        "station": result.station,
    }

    def text() -> str:
        lines = [(_("created case repository {root}") if result.created_repo
                  else _("adopted case repository {root}")).format(root=result.root)]
        if result.added:
            lines.append(_("  added {files} (commit {commit})").format(files=", ".join(result.added),
                                                                         commit=result.commit[:10] if result.commit else "-"))
        if result.kept:
            lines.append(_("  kept {files} as they are").format(files=", ".join(result.kept)))
        if result.station:
            lines.append(_("  case numbers of this clone: {station}-00001, {station}-00002, ...").format(
                station=result.station))
        lines.append(f"  {result.hook}")
        lines.append(f"  {result.merge_driver}")
        if not result.added:
            lines.append("  nothing to change: it was a case repository already")
        return "\n".join(lines)

    emit(summary, as_json, text)


@click.command(cls=Command)
@click.option("--staged", is_flag=True, help="Check the staged versions instead (the pre-commit hook runs this).")
@click.option("--repo", metavar="PATH", envvar="CASEFILE_REPO", help="Case repository (default: here).")
@click.option("--now", metavar="ISO-8601", envvar="CASEFILE_NOW", help="Take this as the current time.")
@json_option
def validate(staged: bool, repo: str | None, now: str | None, as_json: bool) -> None:
    """Check every record against its schema; print each problem with file and line.

    Also checks policy.yaml, people.yaml and calendars/official/*.yaml, and warns
    on stderr (exit status unchanged) when a year's official days are missing:
    this year, and next year from desk.next_year_reminder (default 12-01).

    \b
    Examples:
        casefile validate
        casefile validate --json
    """
    from casefile.errors import ExitCode
    from casefile.repo.validate import validate as check_repository
    from casefile.repo.validate import year_warnings

    repo = desk_value("repo", repo)
    where = Path(repo) if repo else Path.cwd()
    findings = check_repository(where, staged)
    if not staged:
        for warning in year_warnings(where, now):
            click.echo(_("casefile: warning: {warning}").format(warning=warning), err=True)
    if as_json:
        emit_json([f.as_json() for f in findings])
    else:
        for finding in findings:
            say(str(finding), err=staged)
    if findings:
        raise click.exceptions.Exit(int(ExitCode.INVALID))


@click.command(cls=Command)
@click.argument("case")
@click.option("--discard", is_flag=True,
              help="Throw away the edit kept from a rejected `edit` of CASE and start from the case as committed.")
@desk_options
def edit(desk: Desk, case: str, discard: bool) -> None:
    """Edit CASE by hand in $EDITOR; it is validated, then committed.

    An edit that does not validate is not committed: it is kept aside (under
    .git/casefile/edits/, never in a commit) and the error says where.  The
    next `edit CASE` starts from the kept edit (on a terminal it asks first);
    --discard starts again from the case as committed.

    \b
    Examples:
        EDITOR=nano casefile edit KMT-00417
        casefile edit KMT-00417 --discard
    """
    import sys

    from casefile.errors import CasefileError

    kept = None if discard else desk.hand_edits.kept(case)
    if kept is not None:
        if sys.stdin.isatty() and not click.confirm(
                _("{case} has an edit that was not taken, kept in {path}: start from it?").format(case=case, path=kept.path),
                default=True, err=True):
            discard = True
        else:
            say(_("starting from your kept edit ({path}); `--discard` starts from the case as committed").format(path=kept.path), err=True)

    def run_editor(text: str) -> str:
        edited = click.edit(text, extension=".md", require_save=True)
        if edited is None:
            return text
        return edited

    try:
        done = desk.cases.edit(case, run_editor, discard=discard)
    except click.ClickException as error:
        raise CasefileError(_("the editor failed: {error}").format(error=error.format_message()), _("set EDITOR to an editor you have")) from None
    if done:
        say(done.subject)
        return
    still = desk.hand_edits.kept(case)  # left without saving: it stays
    if still is not None:
        say(_("no change; nothing committed (your kept edit stays in {path})").format(path=still.path))
    else:
        say(_("no change; nothing committed"))


@click.command(cls=Command)
@click.argument("path", required=False, type=click.Path(file_okay=False, path_type=Path))
@json_option
def demo(path: Path | None, as_json: bool) -> None:
    """Build a demo desk and work a realistic day through it.

    Creates a case repository (default: ./casefile-demo, or -2, -3, ... if that
    exists), with a team, and works a day of cases of every level and type:
    opened, assigned, noted, paused, resolved, closed, reopened — each step
    one commit.  Then it tells you where to look.  With --json, the day's
    steps go to standard error and standard output is a summary: the desk's
    path, its cases, customers, inspections and surveys by status, commits.

    \b
    Example:
        casefile demo
        casefile demo /tmp/desk --json
    """
    import shutil
    import sys

    from casefile.repo.demo import run_demo, summary

    root = run_demo(path, (lambda line: click.echo(line, err=True)) if as_json else click.echo)
    if as_json:
        emit_json(summary(root))
        return
    if shutil.which("casefile") is None:
        click.echo(_("  (casefile is not on your PATH: run `source {folder}/activate` first)").format(
            folder=Path(sys.executable).parent))


@click.command(cls=Command)
@click.option("--since", metavar="REV", help="Only the commits after REV (a commit, tag or branch).")
@desk_options
@json_option
def audit(desk: Desk, since: str | None, as_json: bool) -> None:
    """Replay the history and name every commit that rewrote an activity log.

    An event is never changed, inserted before the last or removed, and a
    record's id and opened_at never change; the server hook refuses such a
    push. For a repository without the hook, audit checks every commit
    (since REV) and exits 5 if one broke the rule.

    \b
    Examples:
        casefile audit
        casefile audit --since v2026.11 --json
    """
    from casefile.errors import ExitCode

    if since is not None and since.startswith("-"):
        raise click.BadParameter(_("give a revision, not an option"), param_hint="--since")
    report = desk.audit(since)
    emit(report.as_json(), as_json, lambda: "\n".join(report.lines()))
    if report.rewrites:
        raise click.exceptions.Exit(int(ExitCode.INVALID))


@click.command(cls=Command)
@desk_options
@json_option
def doctor(desk: Desk, as_json: bool) -> None:
    """Put this clone right after a crash: stale git locks, interrupted commands, gc.

    Removes git lock files (index.lock, HEAD.lock, refs/heads/*.lock) older than
    a minute while no git process works here, finishes a casefile command that
    was cut off after its commit, and runs `git gc --auto`.

    \b
    Example:
        casefile doctor
    """
    report = desk.doctor()
    emit(report.as_json(), as_json, lambda: "\n".join(report.lines()))
