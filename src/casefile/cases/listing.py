"""`casefile list`: which cases to show, and the summary of each.

The summary is the stable JSON shape of `list --json` (see README, "JSON").
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from casefile.cases.model import OPEN_STATUSES
from casefile.index.catalog import Catalog, RecordView
from casefile.records.file import RecordEntry
from casefile.records.kinds import CASES
from casefile.records.yamlio import RecordError
from casefile.values import Struct
from casefile.worktime.clock import parse_stored

SUMMARY_KEYS = (
    "id",
    "title",
    "type",
    "level",
    "status",
    "channel",
    "category",
    "tags",
    "customer",
    "assignee",
    "tier",
    "opened_at",
    "responded_at",
    "resolved_at",
    "closed_at",
)


class CaseFilter(Struct, frozen=True):
    statuses: frozenset[str] = frozenset()
    everything: bool = False
    levels: frozenset[str] = frozenset()
    types: frozenset[str] = frozenset()
    assignee: str | None = None
    customer: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    tags: frozenset[str] = frozenset()  # every one of them (`list --tag vip --tag network`)

    def status_set(self) -> frozenset[str] | None:
        """The statuses a matching case can be in (None: any), so only those are read."""
        if self.statuses:
            return self.statuses
        return None if self.everything else frozenset(str(s) for s in OPEN_STATUSES)

    def matches(self, data: dict[str, Any]) -> bool:
        status = data.get("status")
        if self.statuses:
            if status not in self.statuses:
                return False
        elif not self.everything and status not in OPEN_STATUSES:
            return False
        if self.levels and data.get("level") not in self.levels:
            return False
        if self.types and data.get("type") not in self.types:
            return False
        if self.assignee is not None and data.get("assignee") != self.assignee:
            return False
        if self.customer is not None and data.get("customer") != self.customer:
            return False
        if self.tags and not self.tags <= set(data.get("tags") or ()):
            return False
        if self.since or self.until:
            opened = parse_stored(str(data.get("opened_at")))
            if self.since and opened < self.since:
                return False
            if self.until and opened >= self.until:
                return False
        return True


def _summary_row(data: dict[str, Any], body: str) -> dict[str, Any]:
    result = {key: data.get(key) for key in SUMMARY_KEYS}
    events = data.get("events") or []
    result["updated_at"] = events[-1].get("at") if events else data.get("opened_at")
    caller = data.get("caller") or {}
    result["caller"] = caller.get("name") if isinstance(caller, dict) else None
    return result


# What `list` shows of a case, kept in the record index so 100,000 cases are
# listed without decoding their activity logs.  Raise the number when
# `_summary_row` changes.
SUMMARY_VIEW = RecordView("list-summary/2", _summary_row)


def summary(entry: RecordEntry) -> dict[str, Any]:
    result = _summary_row(entry.data, entry.body)
    result["path"] = entry.path
    return result


def select(entries: Iterable[RecordEntry], wanted: CaseFilter) -> list[dict[str, Any]]:
    return _oldest_first([summary(e) for e in entries if wanted.matches(e.data)])


def select_cases(catalog: Catalog, wanted: CaseFilter, on_error: Callable[[RecordError], None]) -> list[dict[str, Any]]:
    """The rows of `casefile list`, from the summaries kept in the index.

    A summary holds every field `CaseFilter.matches` looks at, under the same
    names, so filtering it is filtering the case.
    """
    rows = []
    for path, row in catalog.rows(CASES.folder, SUMMARY_VIEW, on_error, wanted.status_set()):
        if wanted.matches(row):
            row["path"] = path
            rows.append(row)
    return _oldest_first(rows)


def _oldest_first(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rows.sort(key=lambda row: (parse_stored(str(row["opened_at"])), row["id"]))
    return rows
