"""`casefile index export|import`: carry the record index (a cache of parsed records) to another clone."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from casefile.cli.helptext import Group
from casefile.i18n import _
from casefile.cli.options import desk_options, emit, json_option

if TYPE_CHECKING:
    from casefile.desk import Desk


@click.group(cls=Group)
def index() -> None:
    """The record index: parsed records kept in .git/casefile/ so commands need not parse every file.

    A fresh clone parses every record once.  A scheduled `check` in CI, or a
    new clone of a large desk, can start from an index another clone exported
    instead: it is keyed by each record's content, so an index from an older
    commit, a shallow clone or another clone is right for every record it has,
    and only records it has not seen are parsed.

    \b
    Examples:
        casefile check && casefile index export ~/.cache/casefile/index.gz
        casefile index import ~/.cache/casefile/index.gz && casefile check
    """


@index.command("export")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@json_option
@desk_options
def export_command(desk: Desk, file: Path, as_json: bool) -> None:
    """Write this clone's record index to FILE (compressed, compact).

    It holds what commands run so far have read: export after `check`, which reads every record kind.

    \b
    Example:
        casefile index export ~/.cache/casefile/index.gz
    """
    done = desk.export_index(file)
    emit({"file": str(done.path), "records": done.records, "bytes": done.size}, as_json,
         lambda: _("{path}: {records:,} parsed records, {megabytes:,.1f} MB").format(
             path=done.path, records=done.records, megabytes=done.size / 1e6))


@index.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@json_option
@desk_options
def import_command(desk: Desk, file: Path, as_json: bool) -> None:
    """Replace this clone's record index with the one `index export` wrote to FILE.

    Refused, with nothing changed, when FILE is not a whole index of this version of casefile.

    \b
    Example:
        casefile index import ~/.cache/casefile/index.gz
    """
    done = desk.import_index(file)
    emit({"file": str(file), "records": done.records, "bytes": done.size}, as_json,
         lambda: _("index imported from {file}: {records:,} parsed records; the next command parses only "
                   "what it has not seen").format(file=file, records=done.records))
