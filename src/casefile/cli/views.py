"""`casefile views`: the saved views of `list --view NAME` (packaged, and views.yaml)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from casefile.cli.helptext import Command
from casefile.cli.options import desk_options, emit, json_option

if TYPE_CHECKING:
    from casefile.desk import Desk


@click.command(cls=Command)
@json_option
@desk_options
def views(desk: Desk, as_json: bool) -> None:
    """List the saved views: name, filter, sort and where each is defined (views.yaml or the package).

    A view is a named `--where` filter; add your own to views.yaml in the case
    repository (docs/filters.md).

    \b
    Example:
        casefile views
        casefile list --view my-breaching
    """
    found = sorted(desk.views().values(), key=lambda v: v.name)
    rows = [{"name": v.name, "where": v.where, "sort": v.sort, "about": v.about, "source": v.source} for v in found]
    width = max((len(v.name) for v in found), default=4)
    emit(rows, as_json, lambda: "\n".join(
        f"{v.name:<{width}}  {v.where}" + (f"  (sort: {v.sort})" if v.sort else "") + (f"  — {v.about}" if v.about else "")
        for v in found))
