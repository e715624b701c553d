"""`casefile attach`: keep files with a case."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from casefile.cli.helptext import Command
from casefile.cli.options import desk_options, emit, json_option, message_option, read_message

if TYPE_CHECKING:
    from casefile.desk import Desk


@click.command(cls=Command)
@click.argument("case")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--public", is_flag=True, help="The customer may see these files (the export shows them). Default: internal.")
@message_option("What the files are (default: 'Attached NAME').")
@click.option("--spent", metavar="DURATION", help="Time spent on this, e.g. 15m or 1h30m.")
@json_option
@desk_options
def attach(desk: Desk, case: str, files: tuple[Path, ...], public: bool, message: str | None, spent: str | None,
           as_json: bool) -> None:
    """Keep FILES with CASE: logs, photos, scanned sheets, in one commit.

    Files go to attachments/CASE/ in the repository (Git LFS when .gitattributes says so), at most
    attachments.max_size each (policy.yaml, default 10MB): a larger file refuses the command and
    nothing is written.  Files are internal unless --public; the customer's export shows only
    public ones.  `casefile show CASE` lists them.

    \b
    Examples:
        casefile attach KMT-00417 spooler.log
        casefile attach KMT-00417 --public fuser-replaced.jpg -m "Photo of the new fuser unit"
    """
    from casefile.cases.attachment_work import read_files
    from casefile.cases.views import case_json
    from casefile.worktime.duration import parse_spent

    took = parse_spent(spent) if spent is not None else None
    incoming = read_files(list(files), desk.policy.attachments.max_size)
    result = desk.attachments.attach(case, incoming, public, read_message(message) if message else None, took)
    done = result.done
    emit(case_json(done.entry, {"attached": list(result.files)}), as_json,
         lambda: "\n".join([done.subject, *done.notes]))
