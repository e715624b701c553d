"""The records reports keep in the repository, under `reports/`.

* `reports/2026-11/monthly.md` — the monthly bulletin of November 2026: front
  matter `kind: monthly-bulletin`, `month`, `status` (due | issued),
  `due_on`, `issued_at`, `issued_by`, `lang`, `events` (check's reminders,
  the issue and any reissue); the body is the bulletin as issued.
* `reports/2026-11/explanations/li.na.md` — the written explanations of
  li.na's scores for November 2026 (seed 002: a score under 8 needs one):
  `kind: score-explanations`, `month`, `engineer`, `explanations` (each
  `score`, `text`, `by`, `at`); the latest one per score counts.

Pure: paths and readers of the plain front matter.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from casefile.records.kinds import REPORTS
from casefile.values import Struct
from casefile.worktime.clock import parse_stored

REPORTS_DIR = REPORTS.folder
BULLETIN_KIND = "monthly-bulletin"
EXPLANATIONS_KIND = "score-explanations"


def bulletin_path(month: str) -> str:
    return REPORTS.path(f"{month}/monthly")


def explanations_dir(month: str) -> str:
    return f"{REPORTS_DIR}/{month}/explanations"


def explanations_path(month: str, engineer: str) -> str:
    return f"{explanations_dir(month)}/{engineer}.md"


def new_bulletin_record(month: str, due_on: str | None) -> dict[str, Any]:
    """The front matter of a month's bulletin record before it is issued, keys in their order."""
    return {"kind": BULLETIN_KIND, "month": month, "status": "due", "due_on": due_on, "issued_at": None,
            "issued_by": None, "lang": None, "cases": None, "events": []}


def issue_of(path: str, data: Mapping[str, Any]) -> Issue | None:
    """The issue of a bulletin record, if it was issued."""
    if data.get("status") != "issued" or not data.get("issued_at"):
        return None
    issued_at = _when(data["issued_at"])
    assert issued_at is not None
    return Issue(issued_at, str(data.get("issued_by") or ""), path)


def explanations_of(data: Mapping[str, Any]) -> dict[str, Explanation]:
    """The latest explanation per score."""
    found: dict[str, Explanation] = {}
    for item in data.get("explanations") or []:
        if not isinstance(item, Mapping) or not item.get("score") or not item.get("text"):
            continue
        at = _when(item.get("at"))
        if at is None:
            continue
        found[str(item["score"])] = Explanation(str(item["score"]), str(item["text"]), str(item.get("by") or ""), at)
    return found


class Issue(Struct, frozen=True):
    """The bulletin's own record (`reports/YYYY-MM/monthly.md`), once issued."""

    issued_at: datetime
    issued_by: str
    path: str


class Explanation(Struct, frozen=True):
    score: str
    text: str
    by: str
    at: datetime


def _when(value: Any) -> datetime | None:
    return parse_stored(str(value)) if value else None
