"""`casefile reply`: what the customer is told — a reply, a progress report, the incident report."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from casefile.cases.vocabulary import ReplyKind
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


@click.command()
@click.argument("case")
@message_option("What the customer is told ('-' reads stdin). Default: stdin if piped, else $EDITOR.")
@click.option("-k", "--kind", default="reply", show_default=True, type=click.Choice(REPLY_KINDS),
              help="reply; progress (the progress report of seed 003, restarts the progress clock); "
                   "report (the incident report after restore).")
@json_option
@desk_options
def reply(desk: Desk, case: str, message: str | None, kind: str, as_json: bool) -> None:
    """Reply to the customer on CASE: a customer-visible entry, mailed to the caller.

    A note (`casefile note`) stays internal; a reply is what the customer sees in
    mails, status answers and the export.  Who is mailed, and for which levels,
    is the policy's `notify:` section.

    \b
    Examples:
        casefile reply KMT-00417 -m "The replacement switch is on its way; on site by 03:30."
        casefile reply KMT-00417 -k progress -m "Core switch replaced; links coming up one by one."
    """
    from casefile.cli.cases import _done
    from casefile.cli.mailing import deliver

    done = desk.cases.reply(case, _text(message), ReplyKind(kind))
    _done(done, as_json)
    deliver(desk, done, to_stderr=as_json)
