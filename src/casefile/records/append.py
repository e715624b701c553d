"""Appending activity events to a record without the round-trip parser.

`casefile check` adds events to many records at once (the first run over
years of history adds some to thousands), and reading each record with the
round-trip parser, which keeps comments and layout, is most of that cost.
When the activity log is the last entry of the front matter — as casefile
writes every record — the new events go at its end: written by the same YAML
writer with the record's own indentation, they are the lines the round-trip
path would write.  The result is read back with the fast parser and must mean
exactly the old record plus the new events; anything else (a hand-written
comment after the log, another key after it, a flow-style list) is left to
the round-trip path.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from casefile.records import yamlio
from casefile.records.file import FIRST_YAML_LINE, RecordText, split

_LOG_KEY = "events:\n"


def append_events(text: str, source: str, events: Sequence[Mapping[str, Any]]) -> tuple[str, dict[str, Any]] | None:
    """(new text, its plain front matter) with `events` appended; None where this cannot be shown to be right."""
    parts = split(text, source)
    header = parts.header
    start = header.rfind("\n" + _LOG_KEY) + 1
    if start == 0 and not header.startswith(_LOG_KEY):
        return None
    log = header[start + len(_LOG_KEY):]
    if not log or header.endswith("\n\n") or any(
        line[:1] not in (" ", "-") or line.lstrip().startswith("#") for line in log.splitlines()
    ):
        return None  # another key or a comment after the log, or a blank line at its end
    written = yamlio.dump(
        yamlio.new_map({"events": yamlio.new_seq([yamlio.new_map(dict(e)) for e in events])}),
        yamlio.guess_indent(header),
    )
    if not written.startswith(_LOG_KEY):
        return None
    new_header = header + written[len(_LOG_KEY):]
    old = yamlio.load_plain(header, source, FIRST_YAML_LINE)
    new = yamlio.load_plain(new_header, source, FIRST_YAML_LINE)
    if not isinstance(old, dict) or not isinstance(old.get("events"), list):
        return None
    expected = {**old, "events": [*old["events"], *yamlio.plain(list(events))]}
    if new != expected or list(new) != list(old):
        return None
    return RecordText(new_header, parts.body).join(), new
