"""How incident reports look as JSON (the text is the record's body, a Markdown report)."""

from __future__ import annotations

from typing import Any

from casefile.records.file import RecordEntry


def report_json(entry: RecordEntry) -> dict[str, Any]:
    """`incident-report --json`: the front matter, the report's text and its file."""
    return {**entry.data, "text": entry.body, "path": entry.path}
