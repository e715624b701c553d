"""`casefile bulk assign|tag|close|note`: one step on many cases, in one commit, or on none."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

from casefile.cases.vocabulary import NoteKind, Tier
from casefile.cli.helptext import Group
from casefile.cli.options import desk_options, emit, json_option, message_option, read_message
from casefile.i18n import _

if TYPE_CHECKING:
    from casefile.cases.bulk import BulkDone
    from casefile.desk import Desk

F = TypeVar("F", bound=Callable[..., Any])
TIERS = tuple(str(value) for value in Tier)
NOTE_KINDS = tuple(str(value) for value in NoteKind)


@click.group(cls=Group)
def bulk() -> None:
    """One step on many cases: assign, tag, close or note, as ONE commit naming every case.

    The cases are those `casefile list --where FILTER` shows, or case numbers on
    standard input.  Every case is checked as the single command checks it; a
    refusal for one case leaves every case untouched and names it.  --dry-run
    shows what would change and writes nothing.

    \b
    Example:
        casefile bulk assign --where "assignee = li.na and status = open" --to wang.fang --dry-run
        casefile list --tag vip --json | jq -r '.[].id' | casefile bulk tag +escalated
    """


def _cases(fn: F) -> F:
    fn = click.option("--dry-run", is_flag=True, help="Show what would change; write nothing.")(fn)
    return click.option("--where", metavar="FILTER",
                        help="The cases `list --where FILTER` shows (docs/filters.md); default: case numbers on stdin.")(fn)


def _chosen(desk: Desk, where: str | None) -> list[str]:
    numbers: list[str] = []
    if where is None:
        if sys.stdin.isatty():
            from casefile.errors import CasefileError

            raise CasefileError(_("which cases?"), _("give --where FILTER, or pipe case numbers: echo KMT-00417 | casefile bulk ..."))
        numbers = [word for line in sys.stdin.read().splitlines() if not line.lstrip().startswith("#")
                   for word in line.split()]
    return desk.bulk.select(where, numbers)


def _report(done: BulkDone, as_json: bool) -> None:
    value = {"dry_run": done.dry_run, "action": done.action, "subject": done.subject, "commit": done.commit,
             "cases": [{"id": ident, "change": words} for ident, words in done.changes]}

    def text() -> str:
        head = f"would commit: {done.subject}" if done.dry_run else done.subject
        lines = [head, *(f"  {ident}: {words}" for ident, words in done.changes)]
        if done.dry_run:
            lines.append(f"(dry run: {len(done.changes)} case(s), nothing written)")
        return "\n".join([*lines, *done.notes])

    emit(value, as_json, text)


@bulk.command("assign")
@click.option("--to", "engineer", required=True, metavar="HANDLE", help="The engineer (a handle in people.yaml).")
@click.option("--tier", type=click.Choice(TIERS), help="Move the cases to this tier too.")
@_cases
@json_option
@desk_options
def bulk_assign(desk: Desk, engineer: str, tier: str | None, where: str | None, dry_run: bool, as_json: bool) -> None:
    """Assign every case chosen to one engineer, in one commit.

    \b
    Example:
        casefile bulk assign --where "assignee = li.na and status = open" --to wang.fang
    """
    _report(desk.bulk.assign(_chosen(desk, where), engineer, Tier(tier) if tier else None, dry_run), as_json)


@bulk.command("tag", context_settings={"ignore_unknown_options": True, "help_option_names": ["--help"]})
@click.argument("tags", nargs=-1, required=True)
@_cases
@json_option
@desk_options
def bulk_tag(desk: Desk, tags: tuple[str, ...], where: str | None, dry_run: bool, as_json: bool) -> None:
    """Add (+TAG) and remove (-TAG) tags of every case chosen, in one commit.

    \b
    Example:
        casefile bulk tag +outage-1202 --where "customer = sz-metro and category ~ network"
    """
    from casefile.cases.tags import parse_tag_change

    _report(desk.bulk.tag(_chosen(desk, where), parse_tag_change(tags), dry_run), as_json)


@bulk.command("close")
@click.option("--confirmed-by", metavar="NAME", help="The customer who confirmed (required, as for close).")
@click.option("--early", is_flag=True, help="Close before resolution, at the customer's request.")
@message_option("A closing remark ('-' reads stdin only with --where).")
@_cases
@json_option
@desk_options
def bulk_close(desk: Desk, confirmed_by: str | None, early: bool, message: str | None, where: str | None,
               dry_run: bool, as_json: bool) -> None:
    """Close every case chosen with the customer's confirmation, in one commit; each issues its survey.

    \b
    Example:
        casefile bulk close --where "customer = sz-metro and status = resolved" --confirmed-by "Chen Jing"
    """
    cases = _chosen(desk, where)
    _report(desk.bulk.close(cases, confirmed_by, read_message(message), early, dry_run), as_json)


@bulk.command("note")
@message_option("The note ('-' reads stdin only with --where); with --phrase, added after the phrase.")
@click.option("--phrase", metavar="NAME", help="A standard phrase, filled in for each case (casefile phrase list).")
@click.option("-k", "--kind", default="note", show_default=True, type=click.Choice(NOTE_KINDS),
              help="What kind of activity this was.")
@_cases
@json_option
@desk_options
def bulk_note(desk: Desk, message: str | None, phrase: str | None, kind: str, where: str | None, dry_run: bool,
              as_json: bool) -> None:
    """Add the same internal note to every case chosen, in one commit.

    \b
    Example:
        casefile bulk note --where "tag = outage-1202" -k progress -m "Core switch replaced; links coming up."
    """
    from casefile.errors import CasefileError

    if message is None and phrase is None:
        raise CasefileError(_("the note is empty"), _("say it with -m TEXT or --phrase NAME"))
    cases = _chosen(desk, where)
    _report(desk.bulk.note(cases, read_message(message), NoteKind(kind), phrase, dry_run), as_json)
