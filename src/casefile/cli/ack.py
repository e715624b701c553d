"""`casefile ack CASE`: take the page, so it is not sent again or passed up."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from casefile.cli.helptext import Command
from casefile.cli.options import desk_options, emit, json_option

if TYPE_CHECKING:
    from casefile.desk import Desk


@click.command(cls=Command)
@click.argument("case")
@json_option
@desk_options
def ack(desk: Desk, case: str, as_json: bool) -> None:
    """Acknowledge the pages of CASE as the person acting (--as): re-paging stops (one commit).

    \b
    Example:
        casefile ack KMT-00417 --as li.na
    """
    from casefile.oncall.work import paged_json

    subject, paged = desk.oncall.ack(case)
    zone = desk.policy.zone
    emit({"subject": subject, "pages": paged_json(paged, zone)}, as_json, lambda: subject)
