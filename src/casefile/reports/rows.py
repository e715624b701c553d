"""Report rows: the few fields of a record that reports aggregate, kept in the record index beside it.

A report over three years at 100,000 cases needs a dozen fields of each case,
not its activity log: reading whole records costs ~15 KB of Python objects a
case (1.5 GB).  So each record kind a report reads declares its `ReportRow`
here — the front-matter keys the report looks at, and the keys it needs only
of some records (`detail`, e.g. the activity log of a major case) — and the
report reads `SourceReader.rows(folder, ROW)`: the index makes the row once
per record content and keeps it, like `list`'s summaries.

A row is the record's front matter cut down to those keys, values as they
are, so the report's pure code reads it exactly as it reads a whole record.
It is exact by refusal: a value JSON cannot hold exactly (a date a hand edit
left unquoted, a mapping with number keys) makes the row `{}`, and the reader
reads that record whole instead.  The view's name carries a digest of the
keys, so changing them makes new rows (no version number to forget).

A new report over another kind: declare its row below with the keys its
builder reads, and read it with `SourceReader.rows`.  `tests/reports/
test_report_rows.py` compares a report from rows with one from whole records.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable, Mapping
from functools import cached_property
from typing import Any

from casefile.index.catalog import RecordView
from casefile.reports.kinds.stats import MAJOR_LEVELS
from casefile.values import Struct

WHOLE: dict[str, Any] = {}  # the row of a record the report must read whole


def _exact(value: Any) -> bool:
    """True if JSON gives back exactly this value, of this type."""
    kind = type(value)
    if value is None or kind is str or kind is bool or kind is int:
        return True
    if kind is float:
        return math.isfinite(value)
    if kind is list:
        return all(_exact(item) for item in value)
    if kind is dict:
        return all(type(key) is str and _exact(item) for key, item in value.items())
    return False


class ReportRow(Struct, frozen=True, dict=True):
    """What reports read of one kind of record: `keys` always, `detail` where `detailed(front matter)`."""

    kind: str  # e.g. "case"
    keys: tuple[str, ...]
    detail: tuple[str, ...] = ()
    detailed: Callable[[Mapping[str, Any]], bool] = lambda _data: False

    @cached_property
    def view(self) -> RecordView:
        """The index's view of these rows, named by the kind and a digest of the keys."""
        digest = hashlib.sha1(json.dumps([self.keys, self.detail]).encode()).hexdigest()[:10]
        return RecordView(f"report-{self.kind}/{digest}", self.make)

    def make(self, data: dict[str, Any], _body: str) -> dict[str, Any]:
        """The row of one record: its front matter cut down to the keys, or WHOLE."""
        keys = self.keys + self.detail if self.detail and self.detailed(data) else self.keys
        row = {key: data[key] for key in keys if key in data}
        if not _exact(row):
            return WHOLE
        try:
            json.dumps(row, ensure_ascii=False).encode("utf-8")  # a lone surrogate cannot be kept
        except (ValueError, UnicodeEncodeError):
            return WHOLE
        return {"front": row}


def front(row: Mapping[str, Any]) -> dict[str, Any] | None:
    """The cut-down front matter a kept row holds; None: read the record whole."""
    found = row.get("front")
    return found if isinstance(found, dict) else None


def _major(data: Mapping[str, Any]) -> bool:
    return str(data.get("level")) in MAJOR_LEVELS


# Cases, for `report stats`: what `reports.kinds.stats` and `SourceReader` (period, customer, the cases
# counted with another) read; the outcome only of major cases (levels A and B).  No activity log: the few
# timelines a report shows are read from their records (`Tally.latest`).
CASE_ROW = ReportRow(
    "case",
    ("id", "title", "opened_at", "type", "level", "category", "channel", "customer", "assignee", "status",
     "links"),
    detail=("resolved_at", "closed_at", "resolution"),
    detailed=_major,
)
