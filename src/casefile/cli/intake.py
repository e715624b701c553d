"""`casefile intake`: mail in — from standard input (an MTA alias, procmail, getmail), a Maildir, or IMAP."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from casefile.cli.helptext import Command
from casefile.cli.options import desk_options, emit, json_option
from casefile.i18n import _

if TYPE_CHECKING:
    from casefile.desk import Desk


@click.command(cls=Command)
@click.argument("message", required=False, type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--maildir", metavar="DIR", type=click.Path(file_okay=False),
              help="Take every unseen message of this Maildir (for cron; fetchmail or getmail fill it).")
@click.option("--imap", is_flag=True,
              help="Take every unseen message of the IMAP mailbox (TLS; CASEFILE_IMAP_* or git config casefile.imap.*).")
@json_option
@desk_options
def intake(desk: Desk, message: str | None, maildir: str | None, imap: bool, as_json: bool) -> int:
    """Take in customer mail: new cases, replies on cases, status queries.

    One RFC 5322 message is read from MESSAGE or standard input; --maildir and
    --imap poll a mailbox.  A message from a customer's contact opens a case (and
    the caller gets its number), a stranger's waits for triage, a reply becomes a
    customer-visible entry on its case (reopening a resolved one), a subject that
    is a case number gets the status back.  Auto-replies, bounces and our own mail
    are ignored; a message delivered twice is taken once.  Exit 0 when every
    message was taken (or ignored); 1 when one could not be (it stays unseen for
    the next run; on standard input the MTA keeps it and tries again); 7 when the
    IMAP server could not be reached.

    \b
    Examples:
        casefile intake < message.eml
        casefile intake --maildir ~/Maildir/servicedesk
        CASEFILE_IMAP_HOST=imap.jinqiao-it.example CASEFILE_IMAP_USER=servicedesk \\
            CASEFILE_IMAP_PASSWORD_FILE=~/.imap-password casefile intake --imap
    """
    from casefile.cli.mailing import deliver
    from casefile.errors import CasefileError

    if sum(bool(x) for x in (message, maildir, imap)) > 1:
        raise CasefileError(_("give one of MESSAGE, --maildir or --imap"), _("see casefile intake --help"))
    if maildir:
        run = desk.intake_maildir(Path(maildir))
    elif imap:
        run = desk.intake_imap(os.environ)
    else:
        if message and message != "-":
            raw = Path(message).read_bytes()
        else:
            stream = getattr(sys.stdin, "buffer", None)
            raw = stream.read() if stream is not None else sys.stdin.read().encode("utf-8", "surrogateescape")
        if not raw.strip():
            raise CasefileError(_("no message on standard input"), _("pipe one in: casefile intake < message.eml"))
        run = desk.intake_message(raw)
    emit(run.as_json(), as_json, lambda: "\n".join(run.lines()))
    deliver(desk, to_stderr=as_json)
    return int(run.exit_code())
