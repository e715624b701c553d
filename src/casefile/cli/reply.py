"""`casefile reply`: what the customer is told — a reply, a progress report, the incident report."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from casefile.cases.vocabulary import ReplyKind
from casefile.cli.helptext import Command
from casefile.cli.options import desk_options, json_option, message_option, read_message

if TYPE_CHECKING:
    from casefile.desk import Desk

REPLY_KINDS = tuple(str(kind) for kind in ReplyKind)


def _text(message: str | None) -> str:
    """-m TEXT, `-m -` or piped stdin, else $EDITOR on a terminal."""
    if message is not None:
        return read_message(message) or ""
    if not sys.stdin.isatty():
        return sys.stdin.read()
    edited = click.edit("\n# What the customer is told (mailed to them). Lines starting with # are ignored.\n")
    return "\n".join(line for line in (edited or "").splitlines() if not line.startswith("#")).strip()


@click.command(cls=Command)
@click.argument("case")
@message_option("What the customer is told ('-' reads stdin). Default: stdin if piped, else $EDITOR.")
@click.option("-k", "--kind", default="reply", show_default=True, type=click.Choice(REPLY_KINDS),
              help="reply; progress (the progress report of seed 003, restarts the progress clock); "
                   "report (the incident report after restore).")
@click.option("--phrase", metavar="NAME",
              help="A standard phrase filled in for the case, in the customer's language (casefile phrase list).")
@click.option("--spent", metavar="DURATION", help="Time spent on this, e.g. 20m (never mailed; report engineers).")
@json_option
@desk_options
def reply(desk: Desk, case: str, message: str | None, kind: str, phrase: str | None, spent: str | None,
          as_json: bool) -> None:
    """Reply to the customer on CASE: a customer-visible entry, mailed to the caller.

    A note (`casefile note`) stays internal; a reply is what the customer sees in
    mails, status answers and the export.  Who is mailed, and for which levels,
    is the policy's `notify:` section.

    \b
    Examples:
        casefile reply KMT-00417 -m "The replacement switch is on its way; on site by 03:30."
        casefile reply KMT-00417 -k progress -m "Core switch replaced; links coming up one by one."
        casefile reply KMT-00417 --phrase chase-3
        casefile reply KMT-00417 --spent 20m -m "The new toner cartridge is on its way."
    """
    from casefile.cli.cases import _done
    from casefile.cli.mailing import deliver
    from casefile.worktime.duration import parse_spent

    if phrase is not None:
        from casefile.cli.phrases import phrased

        text = phrased(desk, case, phrase, message, for_customer=True)
    else:
        text = _text(message)
    took = parse_spent(spent) if spent is not None else None
    done = desk.cases.reply(case, text, ReplyKind(kind), took)
    _done(done, as_json)
    deliver(desk, done, to_stderr=as_json)
