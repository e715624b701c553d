"""How inspections look on a terminal, and their JSON shapes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import tzinfo
from typing import Any

from casefile.inspections.checklists import Checklist
from casefile.inspections.model import RESULT_LABELS_ZH
from casefile.inspections.plan import InspectionDue
from casefile.records.file import RecordEntry
from casefile.render.cells import minute

ROW_KEYS = (
    "id",
    "customer",
    "status",
    "period",
    "planned_on",
    "due_by",
    "inspected_on",
    "inspector",
    "work_order",
)


def inspection_json(entry: RecordEntry) -> dict[str, Any]:
    result = dict(entry.data)
    result["notes"] = entry.body.strip("\n")
    result["path"] = entry.path
    return result


def inspection_row(entry: RecordEntry) -> dict[str, Any]:
    row = {key: entry.data.get(key) for key in ROW_KEYS}
    row["path"] = entry.path
    return row


def render_inspection_list(rows: Sequence[Mapping[str, Any]]) -> str:
    if not rows:
        return "no inspections match"
    lines = [f"{'INSPECTION':<26} {'STATUS':<9} {'PLANNED':<10}  {'DUE BY':<10}  {'DONE':<10}  INSPECTOR"]
    for row in rows:
        lines.append(
            f"{row['id']:<26} {str(row['status']):<9} {str(row['planned_on'] or '—'):<10}  "
            f"{str(row['due_by'] or '—'):<10}  {str(row['inspected_on'] or '—'):<10}  {row['inspector'] or '—'}"
        )
    return "\n".join(lines)


def render_due(due: Sequence[InspectionDue]) -> str:
    if not due:
        return "no inspections are due"
    lines = []
    for item in due:
        if item.days_overdue:
            when = f"OVERDUE by {item.days_overdue} day(s), was due by {item.due_by}"
        else:
            when = f"due by {item.due_by} (planned {item.planned_on})"
        lines.append(f"{item.inspection_id:<26} {item.customer:<14} {when}")
    return "\n".join(lines)


def render_inspection(entry: RecordEntry, checklist: Checklist | None, zone: tzinfo) -> str:
    data = entry.data
    labels = {item.key: item for item in checklist.items} if checklist else {}
    out = [
        f"{data.get('id')}  inspection of {data.get('customer')} · {data.get('status')}",
        f"  period     {data.get('period') or '— (outside the plan)'}",
        f"  planned    {data.get('planned_on') or '—'}, due by {data.get('due_by') or '—'}",
        f"  inspected  {data.get('inspected_on') or '—'} by {data.get('inspector') or '—'}",
        f"  work order {data.get('work_order') or '—'}",
        f"  recorded   {minute(data.get('recorded_at'), zone)} by {data.get('recorded_by') or '—'}",
    ]
    if data.get("checklist"):
        out += ["", f"Checklist ({data.get('checklist_name') or 'default'})"]
        for row in data["checklist"]:
            item = labels.get(row.get("item"))
            label = f"{item.label_zh} {item.label}" if item else str(row.get("item"))
            result = str(row.get("result"))
            note = f" — {row['note']}" if row.get("note") else ""
            out.append(f"  {result:<11} {RESULT_LABELS_ZH.get(result, ''):<4} {label}{note}")
    for key, title in (
        ("summary", "Summary"),
        ("findings", "Findings"),
        ("suggestions", "Suggestions"),
        ("training", "Training given"),
    ):
        if data.get(key):
            out += ["", title, *("  " + line for line in str(data[key]).splitlines())]
    if data.get("equipment"):
        out += ["", "Equipment"]
        for change in data["equipment"]:
            new = f" -> {change['new_serial']}" if change.get("new_serial") else ""
            out.append(
                f"  {change.get('action')} {change.get('serial')}{new} {change.get('model') or ''}".rstrip()
            )
    notes = entry.body.strip("\n")
    if notes:
        out += ["", "Notes", *("  " + line if line else "" for line in notes.splitlines())]
    return "\n".join(out)
