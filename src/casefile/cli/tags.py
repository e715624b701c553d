"""`casefile tag CASE +vip -network`: the desk's own labels on a case."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from casefile.cli.helptext import Command
from casefile.cli.options import desk_options, json_option

if TYPE_CHECKING:
    from casefile.desk import Desk


@click.command(cls=Command, context_settings={"ignore_unknown_options": True, "help_option_names": ["--help"]})
@click.argument("case")
@click.argument("tags", nargs=-1, required=True)
@json_option
@desk_options
def tag(desk: Desk, case: str, tags: tuple[str, ...], as_json: bool) -> None:
    """Add (+TAG, or just TAG) and remove (-TAG) tags of CASE: one commit, logged as an event.

    Tags are the desk's own (never shown to the customer); `casefile list --tag
    vip` and `--where "tag = vip"` find them.

    \b
    Example:
        casefile tag KMT-00417 +vip -network
        casefile tag KMT-00417 outage-1202
    """
    from casefile.cases.tags import parse_tag_change, tag_step
    from casefile.cli.cases import _done

    done = desk.cases.update(case, tag_step(parse_tag_change(tags)))
    _done(done, as_json)
