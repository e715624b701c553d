"""Appending activity events to a record without the round-trip parser.

`casefile check` adds events to many records at once (the first run over
years of history adds some to thousands), and reading each record with the
round-trip parser, which keeps comments and layout, is most of that cost.
When the activity log is the last entry of the front matter — as casefile
writes every record — the new events go at its end: written by the same YAML
writer with the record's own indentation (`yamlio.dump_list`: the house
writer, else ruamel), they are the lines the round-trip path would write.  The
old text is read whole once; the new lines are read back alone and must mean
exactly the new events, at the column of the old items, after a log whose every
line is indented — so the record means the old one plus the new events, and is
within the readers' limits (the text is marked `ParsedText`, with that meaning:
neither the commit nor the record index after it reads it a third time).
Anything else (a hand-written comment after the log, another key after it, a
flow-style list) is left to the round-trip path.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from casefile.records import yamlio
from casefile.records.file import FIRST_YAML_LINE, ParsedText, RecordText, split

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
    written = yamlio.dump_list("events", [dict(e) for e in events], yamlio.guess_indent(header))
    if not written.startswith(_LOG_KEY) or not _siblings(log, written[len(_LOG_KEY):]):
        return None
    # The old text read whole: by the parser, or once before (a `ParsedText` with the index's parse of it).
    old = text.front if isinstance(text, ParsedText) else yamlio.load_plain(header, source, FIRST_YAML_LINE)
    if not isinstance(old, dict) or not isinstance(old.get("events"), list) or list(old)[-1] != "events":
        return None
    # The new lines alone, read back under the same key: at the old items' column, after a log whose
    # every line is indented, they can only be more items of the same list (the old text read whole,
    # so nothing of it is left open), and within the limits wherever they stand in the record.
    added = yamlio.load_plain(written, source, FIRST_YAML_LINE)
    if added != {"events": yamlio.plain(list(events))}:
        return None
    new_header = header + written[len(_LOG_KEY):]
    yamlio.check_size(new_header, source)
    new = {**old, "events": [*old["events"], *added["events"]]}
    return ParsedText(RecordText(new_header, parts.body).join(), new, parts.body), new


def _siblings(log: str, items: str) -> bool:
    """Whether `items` start at the column of the log's first item and no line of the log is left of it."""
    first = log.split("\n", 1)[0]
    column = len(first) - len(first.lstrip(" "))
    if not first[column:].startswith("- ") or not items.startswith(" " * column + "- "):
        return False
    return all(len(line) - len(line.lstrip(" ")) >= column for line in log.splitlines() if line)
