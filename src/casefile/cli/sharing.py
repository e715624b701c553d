"""Sharing with customers: export."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from casefile.cli.options import desk_options, emit, json_option

if TYPE_CHECKING:
    from casefile.desk import Desk


@click.command("export")
@click.option("--customer", required=True, metavar="ID", help="The customer whose history to export (e.g. acme-sz).")
@click.option("--format", "fmt", type=click.Choice(["html", "md"]), default="html", show_default=True,
              help="Static HTML pages, or Markdown files.")
@click.option("-o", "--output", required=True, metavar="DIR", type=click.Path(path_type=Path),
              help="A new (or empty) folder to write the site into.")
@json_option
@desk_options
def export(desk: Desk, customer: str, fmt: str, output: Path, as_json: bool) -> None:
    """Export one customer's cases, surveys and inspections as a static site.

    Only that customer's records, and nothing that identifies any other
    customer: their names, phones, e-mail addresses, companies and contract
    ids are redacted wherever they appear in the text.

    \b
    Example:
        casefile export --customer acme-sz --format html -o ~/share/acme-sz
    """
    result = desk.export(customer, fmt, output)
    emit(result.as_json(), as_json, lambda: "\n".join(result.lines()))
