"""After a command that queued mail to a customer: send it now when this clone has an SMTP server."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import click

from casefile.i18n import _
if TYPE_CHECKING:
    from casefile.desk import Desk, Done


def deliver(desk: Desk, done: Done | None = None) -> None:
    """Send the outbox now (if SMTP is set up) and say on stderr what went and what waits."""
    if done is not None and not any(note.startswith("mail to ") for note in done.notes):
        return
    result = desk.deliver(os.environ)
    if result is None:
        if done is not None:
            click.echo(_("casefile: the mail waits in the outbox: `casefile check --notify` sends it"), err=True)
        return
    if result.sent:
        click.echo(_("casefile: mail: {count} sent").format(count=len(result.sent)), err=True)
    for message in result.failed:
        click.echo(_("casefile: mail to {to} NOT sent ({error}); kept in the outbox, `casefile check --notify` "
                     "retries it").format(to=", ".join(message.to), error=message.last_error), err=True)
