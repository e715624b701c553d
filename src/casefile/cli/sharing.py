"""Sharing with customers: export."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from casefile.cli.helptext import Command
from casefile.cli.options import desk_options, emit, json_option

if TYPE_CHECKING:
    from casefile.desk import Desk


@click.command("export", cls=Command)
@click.option("--customer", required=True, metavar="ID", help="The customer whose history to export (e.g. acme-sz).")
@click.option("--format", "fmt", type=click.Choice(["html", "md"]), default="html", show_default=True,
              help="Static HTML pages, or Markdown files.")
@click.option("-o", "--output", required=True, metavar="DIR", type=click.Path(path_type=Path),
              help="A new (or empty) folder to write the site into.")
@click.option("--evidence", is_flag=True, help="Write the customer's evidence bundle instead: what `casefile verify "
              "--bundle DIR STATEMENT` needs to check its SLA statements without the desk's repository.")
@click.option("--lang", type=click.Choice(("zh", "en")), help="Language of the pages (default: the customer's `lang:`, else desk.language).")
@json_option
@desk_options
def export(desk: Desk, customer: str, fmt: str, output: Path, lang: str | None, evidence: bool, as_json: bool) -> None:
    """Export one customer's cases, surveys and inspections as a static site.

    Only that customer's records, and of them what the customer may see
    (no internal events, roles or paging lists); nothing that identifies any
    other customer: their names, phones (in any format), e-mail addresses and
    domains, companies (with or without Co., Ltd.), contract ids and assets
    are redacted wherever they appear in the text.

    \b
    Example:
        casefile export --customer acme-sz --format html -o ~/share/acme-sz
        casefile export --customer acme-sz --format md --lang en -o /tmp/acme-md
        casefile export --customer acme-sz --evidence -o acme-sz-evidence
    """
    if evidence:
        found = desk.export_evidence(customer, output)
        emit(found.as_json(), as_json, lambda: "\n".join(found.lines()))
        return
    result = desk.export(customer, fmt, output, lang)
    emit(result.as_json(), as_json, lambda: "\n".join(result.lines()))
