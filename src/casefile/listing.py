"""`casefile list`: which cases to show, and the summary of each.

The summary is the stable JSON shape of `list --json` (see README, "JSON").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .casemodel import OPEN_STATUSES
from .catalog import CaseEntry
from .clock import parse_stored

SUMMARY_KEYS = (
    "id",
    "title",
    "type",
    "level",
    "status",
    "channel",
    "category",
    "customer",
    "assignee",
    "tier",
    "opened_at",
    "responded_at",
    "resolved_at",
    "closed_at",
)


@dataclass(frozen=True)
class CaseFilter:
    statuses: frozenset[str] = frozenset()
    everything: bool = False
    levels: frozenset[str] = frozenset()
    types: frozenset[str] = frozenset()
    assignee: str | None = None
    customer: str | None = None
    since: datetime | None = None
    until: datetime | None = None

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
        if self.since or self.until:
            opened = parse_stored(str(data.get("opened_at")))
            if self.since and opened < self.since:
                return False
            if self.until and opened >= self.until:
                return False
        return True


def summary(entry: CaseEntry) -> dict[str, Any]:
    data = entry.data
    result = {key: data.get(key) for key in SUMMARY_KEYS}
    events = data.get("events") or []
    result["updated_at"] = events[-1].get("at") if events else data.get("opened_at")
    caller = data.get("caller") or {}
    result["caller"] = caller.get("name") if isinstance(caller, dict) else None
    result["path"] = entry.path
    return result


def select(entries: Iterable[CaseEntry], wanted: CaseFilter) -> list[dict[str, Any]]:
    rows = [summary(e) for e in entries if wanted.matches(e.data)]
    rows.sort(key=lambda row: (parse_stored(str(row["opened_at"])), row["id"]))
    return rows
