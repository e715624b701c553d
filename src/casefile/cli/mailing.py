"""After a command that queued mail to a customer: send it now when this clone has an SMTP server."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import click

from casefile.i18n import N_, _

if TYPE_CHECKING:
    from casefile.desk import Desk, Done


MAIL_WAITS = N_("the mail waits in the outbox: `casefile check --notify` sends it")  # _() where said
MAIL_SENT = N_("mail: {count} sent")


def deliver(desk: Desk, done: Done | None = None, to_stderr: bool = False) -> None:
    """Send the outbox now (if SMTP is set up) and say what went and what waits (standard output, or standard
    error after `open`, whose output is the case number); a message not sent is an error, on stderr."""
    from casefile.cli.options import say

    def tell(text: str) -> None:
        say(f"casefile: {text}" if to_stderr else text, err=to_stderr)

    from casefile.mail.queued import queued_mail

    if done is not None and not queued_mail(done.notes):
        return
    result = desk.deliver(os.environ)
    if result is None:
        if done is not None:
            tell(_(MAIL_WAITS))
        return
    if result.sent:
        tell(_(MAIL_SENT).format(count=len(result.sent)))
    for message in result.failed:
        click.echo(_("casefile: mail to {to} NOT sent ({error}); kept in the outbox, `casefile check --notify` "
                     "retries it").format(to=", ".join(message.to), error=message.last_error), err=True)
