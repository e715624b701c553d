"""What an incident report (故障报告, seed 003) is: its file, its states, its schema.

Seed 003's emergency commitments: an incident report to the customer within
48 hours after the restore.  `casefile incident-report CASE` drafts one from
the case's timeline as a record of its own, linked both ways with the case:

    ---
    id: IR-KMT-00001
    case: KMT-00001
    customer: sz-metro
    level: A
    status: draft              # draft -> issued
    title: 'Core switch down: ticket gates offline at Futian station'
    restored_at: '2026-10-01T05:40:00+08:00'
    drafted_at: '2026-10-02T18:00:00+08:00'
    drafted_by: ma.qiang
    issued_at: '2026-10-02T20:00:00+08:00'
    issued_by: ma.qiang
    ---
    # 故障报告 Incident report — KMT-00001
    ... the timeline, the clocks, the pages, the vendor's actions; the cause
    and the improvements, filled in by the engineer ...

Issuing it records a `report` event in the case in the same commit, which
stops the incident-report clock — whenever that is, before or after the case
was closed.  Files are sharded like their case: `incident-reports/2026/10/`.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from casefile.errors import NotFound
from casefile.records.kinds import INCIDENT_REPORTS
from casefile.records.problems import Checker, Problem
from casefile.i18n import _

FIELD_ORDER = ("id", "case", "customer", "level", "status", "title", "restored_at", "drafted_at", "drafted_by",
               "issued_at", "issued_by")
CAUSE_HEADING = "## 故障原因 Cause"
IMPROVEMENT_HEADING = "## 改进措施 Improvements"
TO_FILL = "（待填写 / to be filled in）"


class ReportStatus(StrEnum):
    DRAFT = "draft"
    ISSUED = "issued"


class IncidentReportNotFound(NotFound):
    def __init__(self, case_id: str) -> None:
        super().__init__(_("{case_id} has no incident report yet").format(case_id=case_id), _("draft one: casefile incident-report {case_id}").format(case_id=case_id))


def report_id(case_id: str) -> str:
    return f"IR-{case_id}"


def case_of(ident: str) -> str:
    return ident.removeprefix("IR-")


def fill_section(body: str, heading: str, text: str) -> str:
    """Put `text` under `heading` (replacing what is there up to the next heading)."""
    start = body.find(heading)
    if start < 0:
        return body.rstrip("\n") + f"\n\n{heading}\n\n{text.strip()}\n"
    after = start + len(heading)
    following = body.find("\n## ", after)
    end = following if following >= 0 else len(body)
    return body[:after] + f"\n\n{text.strip()}\n" + body[end:]


def unfilled(body: str) -> list[str]:
    """The sections still to be filled in: the cause and the improvements."""
    missing = []
    for heading in (CAUSE_HEADING, IMPROVEMENT_HEADING):
        start = body.find(heading)
        if start < 0:
            missing.append(heading.removeprefix("## "))
            continue
        following = body.find("\n## ", start + len(heading))
        section = body[start + len(heading): following if following >= 0 else len(body)]
        if not section.strip() or TO_FILL in section:
            missing.append(heading.removeprefix("## "))
    return missing


def report_problems(data: Mapping[str, Any], file_stem: str | None) -> list[Problem]:
    """What is wrong with an incident report record (empty when it is valid)."""
    c = Checker()
    ident = data.get("id")
    if not isinstance(ident, str) or not INCIDENT_REPORTS.id_pattern.match(ident):
        c.add(("id",), _("id {ident!r} is not an incident report id like IR-KMT-00417").format(ident=ident))
    elif file_stem is not None and file_stem != ident:
        c.add(("id",), _("id {ident} does not match the file name {file_stem}.md").format(ident=ident, file_stem=file_stem))
    elif data.get("case") != case_of(ident):
        c.add(("case",), _("an incident report {ident} is about case {case_of}").format(ident=ident, case_of=case_of(ident)))
    c.choice(data, "status", [str(s) for s in ReportStatus])
    for key in ("case", "customer", "level", "title", "drafted_by", "issued_by"):
        c.text(data, key)
    for key in ("restored_at", "drafted_at", "issued_at"):
        c.instant(data, key, required=key == "drafted_at")
    if data.get("status") == ReportStatus.ISSUED and not (data.get("issued_at") and data.get("issued_by")):
        c.add(("status",), _("an issued incident report needs issued_at and issued_by"))
    return c.problems
